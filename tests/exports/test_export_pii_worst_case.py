r"""Redaction takes time in proportion to the text, whatever the text: no input can make a pattern backtrack
catastrophically (which would hold the interpreter for minutes while an export runs).

The bound, for each worst case of :mod:`pii_worst_cases`: redacting 100 kB takes less than 20 times as long as
redacting 10 kB, plus 0.2 s, and less than 5 s. Linear work takes about 10 times as long; a quadratic pattern
takes 100 times as long and a cubic one 1,000 times, so neither can meet it, while a slow or busy machine
scales both sizes alike. Times are CPU times of this process (best of a few runs), so other processes sharing
the machine do not count. For scale: a pattern with nested repeats of capitalised words, such as
``(?:Name(?:\s+Name)*,?\s*){0,3}$``, takes about a minute on 2 kB of capitals; these cases take milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from export_samples import answer_to, submission
from pii_worst_cases import NAME_WORST_CASES, WORST_CASES

from exports import Redaction, find_personal_data
from exports._redaction import SubmissionRedactor

SMALL, LARGE = 10_000, 100_000
SCALING, ALLOWANCE, CEILING = 20, 0.2, 5.0


def _cpu_seconds(work: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def _assert_linear(redact: Callable[[str], object], make: Callable[[int], str]) -> None:
    small, large = make(SMALL), make(LARGE)
    redact(small)  # warm: the skeleton's table of characters fills in on first sight
    small_seconds = _cpu_seconds(lambda: redact(small), 3)
    large_seconds = _cpu_seconds(lambda: redact(large), 2)
    assert large_seconds < SCALING * small_seconds + ALLOWANCE, (small_seconds, large_seconds)
    assert large_seconds < CEILING, large_seconds


def _redactor() -> SubmissionRedactor:
    piece = submission(
        "SCI0007",
        "Jane Bloggs",
        [answer_to(1, "")],
        publication="anonymous",
        redactions=[Redaction(1, "Mr Brown refused to help", "identifies a third party")],
    )
    return SubmissionRedactor(piece)


@pytest.mark.parametrize("case", sorted(WORST_CASES))
def test_finding_personal_data_is_linear_in_the_worst_case(case):
    _assert_linear(find_personal_data, WORST_CASES[case])


@pytest.mark.parametrize("case", sorted({**WORST_CASES, **NAME_WORST_CASES}))
def test_redacting_an_anonymous_submission_is_linear_in_the_worst_case(case):
    make = {**WORST_CASES, **NAME_WORST_CASES}[case]
    _assert_linear(lambda text: _redactor().apply(text, "Q1", 1), make)


def test_a_street_and_postcode_with_a_long_run_of_capitals_between_are_both_still_redacted():
    text = "We met at 12 High Street " + "A" * 100_000 + " Write to LS6 2AB."

    found = [(m.kind, m.text) for m in find_personal_data(text)]

    assert found == [("address", "12 High Street"), ("postcode", "LS6 2AB")]


def test_place_names_between_a_street_and_its_postcode_are_taken_with_it():
    text = "Send it to Flat 2, 14 Acacia Avenue, Headingley, Leeds, West Yorkshire LS6 2AB by Friday."

    found = [(m.kind, m.text) for m in find_personal_data(text)]

    assert found == [("address", "Flat 2, 14 Acacia Avenue, Headingley, Leeds, West Yorkshire LS6 2AB")]


def test_a_postcode_far_from_any_street_is_redacted_on_its_own():
    text = "1 High Street " * 2_000 + "LS6 2AB " * 2_000

    found = find_personal_data(text)

    assert [m.kind for m in found] == ["address"] * 1_999 + ["address"] + ["postcode"] * 1_999
    assert found[1_999].text == "1 High Street LS6 2AB"
