"""The oral evidence transcript in the UK committee layout."""

from __future__ import annotations

from export_samples import CHAIR, INQUIRY_TITLE, reopen, texts, transcript_doc

from exports import Answer, QuestionRecord, build_transcript
from exports.transcript import UNCORRECTED, question_range


def _paragraph(document, starts: str):
    [found] = [p for p in document.paragraphs if p.text.startswith(starts)]
    return found


def test_front_matter_in_committee_layout():
    document = reopen(build_transcript(transcript_doc()))
    body = texts(document)

    title = next(p for p in document.paragraphs if p.text == INQUIRY_TITLE)
    assert title.style.name == "Title"
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert heading.text == "Oral evidence: Social connection during the lockdown"
    assert "Wednesday 15 April 2020, 2.00 pm (BST)" in body
    assert "Members present: Holly Lynch MP (Chair); Member MP; Baroness Example." in body
    assert "Questions 14–16" in body  # an en dash, numbers running on from an earlier session
    assert (
        "I: Sam Okafor, Chief Executive, Leeds Older People's Forum; Margaret Ellis, Volunteer organiser, "
        "Village phone tree." in body
    )
    assert "II: Priya Shah, Head of Community Hubs, Hackney Council." in body


def test_chair_is_listed_first_even_when_given_later():
    doc = transcript_doc(members=list(reversed(transcript_doc().members)))
    body = texts(reopen(build_transcript(doc)))
    assert "Members present: Holly Lynch MP (Chair); Baroness Example; Member MP." in body


def test_panels_are_headings_before_their_questions():
    document = reopen(build_transcript(transcript_doc()))
    body = texts(document)
    level_2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]

    assert level_2 == ["Witnesses", "Panel I: examination of witnesses", "Panel II: examination of witnesses"]
    panel_2 = body.index("Panel II: examination of witnesses")
    assert body[panel_2 + 1] == "Witnesses: Priya Shah."
    assert body.index("Q14 Chair: Welcome. What issues has the crisis raised for the people you work with?") < panel_2
    assert body.index("Q16 Member MP: How have councils helped?") > panel_2


def test_questions_are_numbered_and_attributed_in_bold():
    document = reopen(build_transcript(transcript_doc()))

    question = _paragraph(document, "Q14 ")
    assert [(run.text, bool(run.bold)) for run in question.runs] == [
        ("Q14 ", True),
        ("Chair:", True),
        (" Welcome. What issues has the crisis raised for the people you work with?", False),
    ]
    member = _paragraph(document, "Q16 ")
    assert member.runs[1].text == "Member MP:"
    assert member.runs[1].bold


def test_answers_are_attributed_in_bold_to_the_witness():
    document = reopen(build_transcript(transcript_doc()))
    body = texts(document)

    answer = _paragraph(document, "Sam Okafor:")
    assert [(run.text, bool(run.bold)) for run in answer.runs] == [
        ("Sam Okafor:", True),
        (" Loneliness first of all.", False),
    ]
    assert body[body.index(answer.text) + 1] == "Many have no one to collect their shopping."


def test_spoken_answers_are_marked_until_corrected():
    document = reopen(build_transcript(transcript_doc()))
    body = texts(document)

    uncorrected = _paragraph(document, "Margaret Ellis:")
    assert uncorrected.text == f"Margaret Ellis: {UNCORRECTED} We set up a phone tree in the village"
    assert uncorrected.runs[1].italic
    corrected = _paragraph(document, "Priya Shah:")
    assert corrected.text == "Priya Shah: Our hubs called every shielding resident."
    assert any(text.startswith("Answers marked [uncorrected transcript] were spoken") for text in body)


def test_no_notice_of_uncorrected_answers_when_all_are_corrected():
    questions = [QuestionRecord(1, CHAIR, "Hello?", [Answer("Sam Okafor", "Hello.", spoken=True, corrected=True)])]
    body = texts(reopen(build_transcript(transcript_doc(questions=questions))))
    assert not any(UNCORRECTED in text for text in body)
    assert "Question 1" in body


def test_struck_questions_and_answers_are_left_out_with_a_note():
    document = reopen(build_transcript(transcript_doc()))
    body = texts(document)
    joined = "\n".join(body)

    assert "Q15 was struck from the record: asked twice" in body
    assert "A question put in error" not in joined
    assert "Sam Okafor: Gone" not in joined
    assert "An answer from Priya Shah was struck from the record: unparliamentary language" in body
    assert "An offensive remark" not in joined
    note = _paragraph(document, "Q15 was struck")
    assert all(run.italic for run in note.runs)


def test_a_session_without_questions_or_witnesses():
    body = texts(reopen(build_transcript(transcript_doc(questions=[], witnesses=[]))))
    assert "No questions were put." in body
    assert "No witnesses were recorded." in body


def test_question_range():
    assert question_range([14, 16, 15]) == "Questions 14–16"
    assert question_range([7]) == "Question 7"
    assert question_range([]) == ""
