"""Pure rules: word counts, references, codes, mentions, and how long answers are spread over a modal."""

from __future__ import annotations

import pytest

from cogs.evidence._ui import PART_CHARS, split_answer
from inquiry.core.errors import InvalidInput
from inquiry.core.rules import count_words, format_reference, neutralise_mentions, normalise_code


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("Older people were isolated.", 4),
        ("It's a council-run, well-used service — open 9-5.", 7),
        ("NHS, GPs & councils: 3 of them!", 6),
        ("  spaced\n\nout\ttext  ", 3),
    ],
)
def test_count_words(text, words):
    assert count_words(text) == words


def test_references_are_the_prefix_and_four_digits():
    assert format_reference("SCI", 1) == "SCI0001"
    assert format_reference("SCI", 42) == "SCI0042"
    assert format_reference("SCI", 12345) == "SCI12345"


def test_codes_are_two_to_six_letters():
    assert normalise_code(" sci ") == "SCI"
    for bad in ("S", "SCI1", "TOOLONGX", "S-C"):
        with pytest.raises(InvalidInput):
            normalise_code(bad)


def test_mentions_are_made_inert_but_readable():
    text = "@everyone @here <@123> <@!456> <@&789> <#42>"
    inert = neutralise_mentions(text)
    assert "@everyone" not in inert and "@here" not in inert
    assert "<@123>" not in inert and "<@&789>" not in inert and "<#42>" not in inert
    assert inert.replace("\u200b", "") == text


def test_long_answers_spread_over_the_inputs_paragraph_by_paragraph():
    paragraphs = [("word " * 500).strip(), ("more " * 300).strip(), ("last " * 100).strip()]
    parts = split_answer("\n\n".join(paragraphs))
    assert all(len(part) <= PART_CHARS for part in parts)
    assert "\n\n".join(parts) == "\n\n".join(paragraphs)


def test_a_single_huge_paragraph_is_cut_at_a_space():
    text = ("longword " * 1000).strip()  # 8,999 characters, one paragraph
    parts = split_answer(text)
    assert len(parts) == 3
    assert all(len(part) <= PART_CHARS for part in parts)
    assert " ".join(parts).split() == text.split()
