"""Disguised personal data is still found and redacted: invisible characters, bidirectional controls,
look-alike letters of other scripts, fullwidth and other compatibility forms, combining marks. And the volume
prints no invisible or bidirectional control characters at all, so what is printed is what was checked."""

from __future__ import annotations

import pytest
from export_samples import all_xml, answer_to, reopen, submission, texts, volume_doc

from exports import MediaTranscript, Redaction, build_evidence_volume, find_personal_data
from exports._normalise import INVISIBLE

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in find_personal_data(text)]


def _interleave(text: str, char: str) -> str:
    return char.join(text)


@pytest.mark.parametrize("char", ZERO_WIDTH + BIDI)
@pytest.mark.parametrize(
    ("kind", "plain"),
    [
        ("email", "jo.smith@example.org"),
        ("phone", "07700 900123"),
        ("postcode", "LS6 2AB"),
        ("phone", "+44 20 7946 0958"),
    ],
)
def test_invisible_and_bidirectional_characters_inside_personal_data_do_not_hide_it(char, kind, plain):
    disguised = _interleave(plain, char)
    assert _found(f"Reach me at {disguised} today.") == [(kind, disguised)]


@pytest.mark.parametrize(
    ("kind", "disguised"),
    [
        ("email", "jо.smith@еxample.org"),  # Cyrillic о and е
        ("email", "ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ"),  # fullwidth
        ("email", "𝐣𝐨@𝐞𝐱𝐚𝐦𝐩𝐥𝐞.𝐨𝐫𝐠"),  # mathematical bold
        ("email", "jo@example。org"),  # ideographic full stop
        ("email", "jö@exämple.org"),  # accents
        ("email", "jo\u0301@example.org"),  # a combining accent on its own
        ("phone", "０７７００ ９００１２３"),  # fullwidth digits
        ("phone", "٠٧٧٠٠ ٩٠٠١٢٣"),  # Arabic-Indic digits
        ("phone", "07700\u00a0900123"),  # no-break space
        ("phone", "07700\u2011900\u2011123"),  # non-breaking hyphens
        ("phone", "＋44 20 7946 0958"),  # fullwidth plus
        ("postcode", "LЅ6 2АВ"),  # Cyrillic Ѕ, А, В
        ("postcode", "LS6\u00a02AB"),  # no-break space
        ("postcode", "ＬＳ６ ２ＡＢ"),  # fullwidth
        ("address", "14 Аcacia Аvenue, Leeds LS6 2AB"),  # Cyrillic А
        ("address", "14 Acacia\u200b Avenue, Leeds LS6 2AB"),
    ],
)
def test_look_alike_letters_and_compatibility_forms_do_not_hide_personal_data(kind, disguised):
    text = f"Reach me at {disguised} today."
    [match] = find_personal_data(text)
    assert (match.kind, match.text) == (kind, disguised)
    assert text[match.start : match.end] == disguised


def test_ordinary_text_in_other_scripts_is_not_taken_for_personal_data():
    text = "Привет, мир. Γειά σου κόσμε. Llanelli â Chaerdydd. 日本語のテキスト。ＣＯＶＩＤ－１９ in ２０２０."
    assert find_personal_data(text) == []


def _anonymous(answer: str, **changes):
    return submission("SCI0007", "Jane Bloggs", [answer_to(1, answer)], publication="anonymous", **changes)


def _body(piece) -> tuple[list[str], object]:
    result = build_evidence_volume(volume_doc([piece]))
    return texts(reopen(result.data)), result


@pytest.mark.parametrize(
    "disguised",
    [
        "J\u200bane Bl\u200cog\u200dgs",  # zero-width space, non-joiner, joiner
        "Jane\u2060 Bloggs\ufeff",  # word joiner, byte order mark
        "\u202eJane Bloggs\u202c",  # right-to-left override
        "\u2067Jane\u2069 Bloggs",  # isolates
        "Jаne Вloggs",  # Cyrillic а and В
        "Jane Βloggs",  # Greek Β
        "ＪＡＮＥ ＢＬＯＧＧＳ",  # fullwidth
        "Jane\u00a0\u00a0Bloggs",  # no-break spaces
        "Jáne Blóggs",  # accents
        "Ja\u0308ne Bloggs",  # combining diaeresis
    ],
)
def test_an_anonymous_authors_disguised_name_is_still_redacted(disguised):
    body, result = _body(_anonymous(f"I, {disguised}, run a lunch club."))

    assert "1.\tI, [name redacted], run a lunch club." in body
    assert [r.kind for r in result.redactions] == ["name"]
    xml = all_xml(result.data)
    assert "Bloggs" not in xml and "ＢＬＯＧＧＳ" not in xml and "Вloggs" not in xml


def test_an_anonymous_organisations_name_with_typographic_apostrophes_is_redacted():
    piece = _anonymous(
        "At Leeds Older People’s Forum we rang everyone; Leeds Older People's Forum still does.",
        organisation="Leeds Older People's Forum",
        capacity="organisation",
    )
    body, result = _body(piece)

    assert "1.\tAt [name redacted] we rang everyone; [name redacted] still does." in body
    assert "Older People" not in all_xml(result.data)


def test_a_disguised_name_in_a_media_transcript_is_redacted():
    media = MediaTranscript("voice", "v.ogg", "English", "My name is J\u200bаne Bloggs.", None, True)
    body, result = _body(_anonymous("Written answer.", media=[media]))

    assert "2.\tMy name is [name redacted]." in body
    assert [(r.kind, r.location) for r in result.redactions] == [("name", "voice transcript")]


def test_a_secretariat_passage_is_found_through_disguises():
    piece = submission(
        "SCI0003",
        "Ann Other",
        [answer_to(1, "The manager, Mr\u200b Вrown, refused.")],
        redactions=[Redaction(1, "Mr Brown", "identifies a third party")],
    )
    body, result = _body(piece)

    assert "1.\tThe manager, [redacted], refused." in body
    assert result.unapplied == []
    assert [(r.kind, r.original) for r in result.redactions] == [("secretariat", "Mr Вrown")]


def test_redactions_record_the_disguised_text_for_the_audit_log():
    body, result = _body(_anonymous("Mail ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ or ring 07700\u200b900123."))

    assert "1.\tMail [email address redacted] or ring [telephone number redacted]." in body
    assert [(r.kind, r.original) for r in result.redactions] == [
        ("email", "ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ"),
        ("phone", "07700900123"),  # as printed: the invisible character is gone
    ]


def test_the_volume_prints_no_invisible_or_bidirectional_characters():
    hidden = "".join(ZERO_WIDTH + BIDI) + "\u00ad\u200e\u200f\u061c"
    answer = f"We{hidden} met{hidden} weekly.\u202e.gnitirw sdrawkcab"
    piece = submission(f"SCI0001{hidden}", f"Ann{hidden} Other", [answer_to(1, answer)])
    body, result = _body(piece)

    assert "1.\tWe met weekly..gnitirw sdrawkcab" in body
    assert "Written evidence submitted by Ann Other (SCI0001)" in body
    assert not INVISIBLE & set(all_xml(result.data))


def test_text_in_other_scripts_is_printed_as_written():
    answer = "Привет, мир. Γειά σου κόσμε. Llanelli â Chaerdydd. 日本語のテキスト。"
    body, result = _body(_anonymous(answer))

    assert f"1.\t{answer}" in body
    assert result.redactions == []
