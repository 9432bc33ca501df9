"""The written evidence volume: the index, each piece under its heading, numbered paragraphs, media transcripts,
anonymity, confidentiality and redaction."""

from __future__ import annotations

from datetime import UTC, datetime

from export_samples import (
    all_xml,
    answer_to,
    headings,
    reopen,
    seed_submissions,
    styled,
    submission,
    texts,
    volume_doc,
)

from exports import EvidenceAnswer, MediaTranscript, Redaction, build_evidence_volume


def _index_rows(document) -> list[list[str]]:
    [table] = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def _section(body: list[str], heading: str) -> list[str]:
    """The paragraphs under one submission's heading, up to the next submission."""
    start = body.index(heading) + 1
    end = next((i for i in range(start, len(body)) if body[i].startswith("Written evidence submitted by")), len(body))
    return body[start:end]


def test_index_lists_published_evidence_in_reference_order():
    document = reopen(build_evidence_volume(volume_doc()).data)

    assert _index_rows(document) == [
        ["Reference", "Submitted by", "Individual or organisation", "Late"],
        ["SCI0001", "British Future", "Organisation", "No"],
        ["SCI0002", "Rhys Evans", "Individual", "Yes"],
        ["SCI0007", "Anonymous", "Individual", "No"],
    ]


def test_each_piece_has_its_heading_and_starts_a_page():
    document = reopen(build_evidence_volume(volume_doc()).data)

    level_1 = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in level_1] == [
        "Index of written evidence",
        "Written evidence submitted by British Future (SCI0001)",
        "Written evidence submitted by Rhys Evans (SCI0002)",
        "Written evidence submitted by an individual (SCI0007)",
    ]
    assert all(p.paragraph_format.page_break_before for p in level_1)


def test_title_page():
    body = texts(reopen(build_evidence_volume(volume_doc()).data))

    assert "Written evidence" in body
    assert "Inquiry reference: SCI" in body
    assert "Call for evidence closed: Tuesday 14 April 2020, 5.00 pm (BST)" in body
    assert "This volume contains 3 pieces of written evidence, in order of reference." in body


def test_answers_sit_under_their_questions_in_continuously_numbered_paragraphs():
    document = reopen(build_evidence_volume(volume_doc()).data)
    body = texts(document)

    assert _section(body, "Written evidence submitted by British Future (SCI0001)") == [
        "Q1. What issues has the COVID-19 crisis raised for socially isolated groups?",
        "1.\tIsolation has deepened for older people.",
        "2.\tDigital exclusion is the largest barrier.",
        "Q2. How are you/your organisation responding to these challenges to reach these groups?",
        "3.\tWe convened councils and charities. [redacted]",
    ]
    label = next(p for p in document.paragraphs if p.text.startswith("Q1. "))
    assert label.runs[0].bold
    numbered = next(p for p in document.paragraphs if p.text.startswith("1.\tIsolation"))
    assert numbered.style.name == "Numbered Paragraph"


def test_numbering_restarts_for_each_piece_and_runs_through_media_transcripts():
    body = texts(reopen(build_evidence_volume(volume_doc()).data))

    assert _section(body, "Written evidence submitted by Rhys Evans (SCI0002)") == [
        "Q3. " + " ".join(answer_to(3, "").question_text.split()),
        "1.\tContact me at [email address redacted] or on [telephone number redacted].",
        "Transcript of video evidence",
        "Language: Welsh. [uncorrected transcript]",
        "2.\tBore da. Mae unigrwydd yn broblem.",
        "English translation",
        "Good morning.",
        "Transcript of a voice message",
        "Language: English.",
        "3.\tWe need more volunteers.",
    ]


def test_media_transcripts_are_level_two_headings():
    document = reopen(build_evidence_volume(volume_doc()).data)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == [
        "Transcript of video evidence",
        "Transcript of a voice message",
    ]


def test_confidential_evidence_is_left_out_entirely():
    result = build_evidence_volume(volume_doc())
    xml = all_xml(result.data)

    assert "SCI0009" not in xml
    assert "Hidden Witness" not in xml
    assert "A confidential account of a care home." not in xml
    assert all(r.reference != "SCI0009" for r in result.redactions)


def test_anonymous_evidence_names_nobody():
    result = build_evidence_volume(volume_doc())
    body = texts(reopen(result.data))
    xml = all_xml(result.data)

    assert "Jane Bloggs" not in xml
    assert "JANE BLOGGS" not in xml
    assert _section(body, "Written evidence submitted by an individual (SCI0007)")[1] == (
        "1.\tI, [name redacted], live at [address redacted] and [name redacted] runs a club."
    )
    names = [(r.kind, r.original) for r in result.redactions if r.reference == "SCI0007" and r.kind == "name"]
    assert names == [("name", "Jane Bloggs"), ("name", "JANE BLOGGS")]


def test_anonymous_organisation_hides_its_own_name_too():
    piece = submission(
        "SCI0010",
        "Alex Green",
        [answer_to(1, "At Leeds Tenants Together we called everyone.")],
        organisation="Leeds Tenants Together",
        capacity="organisation",
        publication="anonymous",
    )
    result = build_evidence_volume(volume_doc([piece]))
    document = reopen(result.data)

    assert "Written evidence submitted by an organisation (SCI0010)" in texts(document)
    assert "Leeds Tenants Together" not in all_xml(result.data)
    assert _index_rows(document)[1] == ["SCI0010", "Anonymous", "Organisation", "No"]


def test_automatic_redactions_are_reported_for_the_audit_log():
    result = build_evidence_volume(volume_doc())

    found = {(r.reference, r.kind, r.original, r.location) for r in result.redactions if r.kind != "name"}
    assert found == {
        ("SCI0001", "secretariat", "Our funder's name is confidential to us.", "Q2"),
        ("SCI0002", "email", "rhys.evans@example.org", "Q3"),
        ("SCI0002", "phone", "07700 900123", "Q3"),
        ("SCI0007", "address", "14 Acacia Avenue, Leeds LS6 2AB", "Q4"),
    }
    xml = all_xml(result.data)
    for secret in ("rhys.evans@example.org", "07700 900123", "Acacia Avenue", "LS6 2AB", "Our funder"):
        assert secret not in xml
    assert result.unapplied == []


def test_secretariat_redaction_tolerates_white_space_and_reaches_media_when_unscoped():
    piece = submission(
        "SCI0003",
        "Ann Other",
        [answer_to(1, "The manager of the home,\nMr Brown, refused.\nOthers helped.")],
        media=[MediaTranscript("audio", "a.wav", "English", "I spoke to Mr Brown again.", None, True)],
        redactions=[
            Redaction(1, "the home, Mr Brown, refused.", "identifies a third party"),
            Redaction(None, "Mr Brown", "identifies a third party", replacement="[name removed]"),
        ],
    )
    result = build_evidence_volume(volume_doc([piece]))
    body = texts(reopen(result.data))

    assert "1.\tThe manager of [redacted]" in body
    assert "3.\tI spoke to [name removed] again." in body
    assert "Mr Brown" not in all_xml(result.data)
    locations = sorted(r.location for r in result.redactions if r.kind == "secretariat")
    assert locations == ["Q1", "audio transcript"]


def test_a_redaction_whose_passage_is_missing_is_reported_not_lost():
    missing = Redaction(2, "words that are not there", "third party")
    piece = submission("SCI0004", "Ann Other", [answer_to(2, "Plain answer.")], redactions=[missing])
    result = build_evidence_volume(volume_doc([piece]))

    assert result.unapplied == [("SCI0004", missing)]
    assert "2.\tPlain answer." not in texts(reopen(result.data))  # only paragraph of the piece is number 1
    assert "1.\tPlain answer." in texts(reopen(result.data))


def test_a_redaction_scoped_to_another_question_does_not_apply():
    scoped = Redaction(1, "shared words", "third party")
    piece = submission("SCI0005", "Ann Other", [answer_to(2, "Some shared words.")], redactions=[scoped])
    result = build_evidence_volume(volume_doc([piece]))

    assert "1.\tSome shared words." in texts(reopen(result.data))
    assert result.unapplied == [("SCI0005", scoped)]


def test_empty_volume():
    result = build_evidence_volume(volume_doc([]))
    document = reopen(result.data)

    assert document.tables == []
    assert "No written evidence has been published." in texts(document)
    assert "This volume contains 0 pieces of written evidence, in order of reference." in texts(document)


def test_a_piece_without_answers_says_so():
    result = build_evidence_volume(volume_doc([submission("SCI0006", "Ann Other", [])]))
    body = texts(reopen(result.data))
    assert _section(body, "Written evidence submitted by Ann Other (SCI0006)") == ["No answers were given."]


def test_a_thousand_submissions_build_and_reopen():
    pieces = [
        submission(
            f"SCI{n:04d}",
            f"Witness {n}",
            [EvidenceAnswer(q, f"Question {q}?", f"Answer {q} from witness {n}.\nA second paragraph.") for q in (1, 2)],
            late=n % 10 == 0,
            publication="confidential" if n % 100 == 0 else "named",
        )
        for n in range(1, 1001)
    ]
    result = build_evidence_volume(volume_doc(pieces))
    document = reopen(result.data)

    rows = _index_rows(document)
    assert len(rows) == 1 + 990
    assert rows[1] == ["SCI0001", "Witness 1", "Individual", "No"]
    assert rows[10] == ["SCI0010", "Witness 10", "Individual", "Yes"]
    assert all(row[0] != "SCI0100" for row in rows)
    pieces_written = headings(document, 1)
    assert len(pieces_written) == 1 + 990
    assert pieces_written[-1] == "Written evidence submitted by Witness 999 (SCI0999)"
    assert sum(1 for style, _ in styled(document) if style == "Numbered Paragraph") == 990 * 4


def test_created_defaults_to_the_latest_submission():
    result = build_evidence_volume(volume_doc())
    assert reopen(result.data).core_properties.created == datetime(2020, 4, 10, 12, 0, tzinfo=UTC)


def test_seed_volume_is_the_same_document_each_time():
    first = build_evidence_volume(volume_doc(seed_submissions()))
    second = build_evidence_volume(volume_doc(seed_submissions()))
    assert all_xml(first.data) == all_xml(second.data)
    assert first.redactions == second.redactions
