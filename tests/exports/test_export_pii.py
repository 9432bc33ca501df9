"""Personal data found in evidence: email addresses, telephone numbers, UK postcodes and street addresses."""

from __future__ import annotations

import pytest

from exports import PiiMatch, find_personal_data, redact


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in find_personal_data(text)]


@pytest.mark.parametrize(
    "email",
    ["info@britishfuture.org", "jane.smith+inquiry@example.co.uk", "o'neill@council.gov.uk", "A_B-C@sub.domain.io"],
)
def test_email_addresses(email):
    assert _found(f"Write to {email}, please.") == [("email", email)]


@pytest.mark.parametrize(
    "phone",
    [
        "020 7946 0958",
        "(020) 7946 0958",
        "07700 900123",
        "07700900123",
        "0113 496 0000",
        "(01632) 960001",
        "01632 960 001",
        "0800 123 4567",
        "07700-900-123",
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "+447700900123",
        "0044 7700 900123",
        "+1 202 555 0143",
        "+1 (202) 555-0143",
        "+33 1 23 45 67 89",
        "0033 1 23 45 67 89",
        "+353 1 234 5678",
        "+91 98765 43210",
    ],
)
def test_telephone_numbers_in_uk_and_international_forms(phone):
    assert _found(f"Ring {phone} any time.") == [("phone", phone)]
    assert _found(f"Ring {phone}.") == [("phone", phone)]


@pytest.mark.parametrize("postcode", ["LS6 2AB", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "ls6 2ab"])
def test_postcodes(postcode):
    assert _found(f"We are based in {postcode} now.") == [("postcode", postcode)]


@pytest.mark.parametrize(
    "address",
    [
        "14 Acacia Avenue, Leeds LS6 2AB",
        "Flat 2, 14 Acacia Avenue, Leeds, West Yorkshire LS6 2AB",
        "221b Baker Street, London NW1 6XE",
        "3 High Street",
        "27 Old Gloucester Road",
    ],
)
def test_street_addresses_are_taken_whole_with_town_and_postcode(address):
    assert _found(f"Send it to {address} by Friday.") == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "In 2020, 1,000 people and 20,000 volunteers signed up.",
        "It cost £2,000,000 over 2019-2020.",
        "The call closed on 14/04/2020 at 17:00; sessions ran 01-04-2020 to 2020.04.15.",
        "See SCI0001 and SCI0042, and Q1 of the call.",
        "COVID-19 hit in Q1 2020; 1 in 5 people were lonely; 0.5 per cent.",
        "Paragraph 12.3 of ISBN 978-0-12-345678-9 says 30 000 more.",
        "The letter went to 10 Downing Street.",
        "Mention @integrationAPPG or #socialintegrationappg on social media.",
    ],
)
def test_ordinary_numbers_and_text_are_left_alone(text):
    assert _found(text) == []


def test_several_kinds_in_one_text_in_order_and_without_overlap():
    text = "Email a@b.org or call 07700 900123; visit 5 Mill Lane, York YO1 7HH or YO10 5DD."
    assert _found(text) == [
        ("email", "a@b.org"),
        ("phone", "07700 900123"),
        ("address", "5 Mill Lane, York YO1 7HH"),
        ("postcode", "YO10 5DD"),
    ]


def test_redact_replaces_each_match_with_its_kind():
    text = "Email a@b.org or call 07700 900123 in LS6 2AB."
    assert redact(text, find_personal_data(text)) == (
        "Email [email address redacted] or call [telephone number redacted] in [postcode redacted]."
    )
    assert redact(text, find_personal_data(text), replacement="***") == "Email *** or call *** in ***."


def test_match_offsets_point_at_the_text():
    text = "Contact: jo@x.org"
    [match] = find_personal_data(text)
    assert match == PiiMatch("email", 9, 17, "jo@x.org")
    assert text[match.start : match.end] == match.text


def test_empty_and_plain_text():
    assert find_personal_data("") == []
    assert redact("nothing here", []) == "nothing here"


def test_long_runs_of_digits_are_not_telephone_numbers():
    # Also a guard against catastrophic backtracking: with nested repeats this input would take minutes.
    text = ("00" + "1" * 60 + " ") * 200 + "0" * 5000
    assert find_personal_data(text) == []
