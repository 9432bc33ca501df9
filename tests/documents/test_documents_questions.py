"""Splitting a document into answers by question number, only when it plainly answers by number; and the
blocks numbered as the evidence volume prints them."""

from __future__ import annotations

import docx
from document_samples import QUESTIONS, numbered_paragraphs_docx, sample_docx, save_docx

from documents import Block, BlockKind, extract_document, numbered_paragraphs, render_numbered, split_by_questions

P, H, L = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM


def blocks(*pairs) -> list[Block]:
    return [Block(kind, text, level=1 if kind is H else 0) for kind, text in pairs]


def word(*paragraphs: tuple[str, str | None]) -> bytes:
    """A Word file of (text, style) paragraphs."""
    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    return save_docx(document)


def test_answers_under_question_headings():
    document = extract_document(sample_docx(), "evidence.docx")
    split = split_by_questions(document, 3)
    assert split is not None
    assert sorted(split.answers) == [1, 2, 3]
    assert split.answers[1].startswith("Isolation has deepened for people who live alone")
    assert "• Volunteer phone trees" in split.answers[1]
    assert "Three things helped most:" in split.answers[2]
    assert "1. Weekly telephone calls from trained volunteers" in split.answers[2]
    assert "Leeds | 1,200" in split.answers[2]
    assert split.answers[3] == "Fund digital inclusion schemes through local charities, not national portals."
    assert "Northfield Age Concern supports eleven hundred older people" in split.preamble
    assert split.preamble_blocks[0].kind is H
    assert "Question" not in " ".join(split.answers.values())


def test_forty_numbered_paragraphs_are_not_answers_to_five_questions():
    document = extract_document(numbered_paragraphs_docx(40), "evidence.docx")
    assert split_by_questions(document, 5) is None


def test_a_few_numbered_paragraphs_and_nothing_else_are_not_answers():
    document = extract_document(numbered_paragraphs_docx(4), "evidence.docx")
    assert split_by_questions(document, 5) is None


def test_numbered_paragraphs_in_word_numbering_are_not_answers():
    document = extract_document(
        word(*((f"Point {n} about the closure of day centres.", "List Number") for n in range(1, 13))), "e.docx"
    )
    assert [b.marker for b in document.blocks][:3] == ["1.", "2.", "3."]
    assert split_by_questions(document, 5) is None


def test_q_markers_at_the_start_of_paragraphs():
    document = extract_document(
        word(
            ("Q1. Loneliness rose sharply among carers.", None),
            ("Carers told us they had no break at all.", None),
            ("Q2: Online groups helped the young more than the old.", None),
            ("Q3 - Fund local schemes.", None),
        ),
        "evidence.docx",
    )
    split = split_by_questions(document, 3)
    assert split is not None
    assert split.answers == {
        1: "Loneliness rose sharply among carers.\n\nCarers told us they had no break at all.",
        2: "Online groups helped the young more than the old.",
        3: "Fund local schemes.",
    }
    assert split.preamble == ""


def test_bare_numbers_with_answers_running_on():
    split = split_by_questions(
        blocks(
            (P, "Evidence from the Rural Transport Forum."),
            (P, "1. Bus cuts cut people off."),
            (P, "Villages lost their only service."),
            (P, "2) Community transport filled some gaps."),
        ),
        5,
    )
    assert split is not None
    assert split.answers == {
        1: "Bus cuts cut people off.\n\nVillages lost their only service.",
        2: "Community transport filled some gaps.",
    }
    assert split.preamble == "Evidence from the Rural Transport Forum."


def test_numbered_list_inside_named_answers_is_not_a_question_marker():
    split = split_by_questions(
        blocks(
            (H, "Question 1"),
            (P, "1. First, volunteers."),
            (P, "2. Second, funding."),
            (P, "3. Third, buildings."),
            (H, "Question 2"),
            (P, "More money for councils."),
        ),
        2,
    )
    assert split is not None
    assert split.answers[1] == "1. First, volunteers.\n\n2. Second, funding.\n\n3. Third, buildings."
    assert split.answers[2] == "More money for councils."


def test_numbered_headings_over_running_paragraph_numbers():
    pairs = [(H, "1. Loneliness")]
    pairs += [(P, f"{n}. A paragraph about loneliness.") for n in range(1, 7)]
    pairs += [(H, "2 Digital exclusion")]
    pairs += [(P, f"{n}. A paragraph about broadband.") for n in range(7, 13)]
    split = split_by_questions(blocks(*pairs), 2)
    assert split is not None
    assert split.answers[1].startswith("Loneliness\n\n1. A paragraph about loneliness.")
    assert split.answers[2].startswith("Digital exclusion\n\n7. A paragraph about broadband.")


def test_unclear_numbering_gives_none():
    out_of_order = blocks((H, "Question 2"), (P, "Yes."), (H, "Question 1"), (P, "No."))
    beyond = blocks((H, "Question 1"), (P, "Yes."), (H, "Question 7"), (P, "No."))
    single = blocks((H, "Question 1"), (P, "Everything in one answer."))
    repeated = blocks((P, "Q1 Yes."), (P, "Q1 Again."))
    nothing = blocks((P, "We are a charity."), (P, "We support older people."))
    for case in (out_of_order, beyond, single, repeated, nothing):
        assert split_by_questions(case, 5) is None


def test_restated_questions_are_dropped_and_titles_kept():
    split = split_by_questions(
        blocks(
            (H, "Question 1: How has the lockdown affected social connection?"),
            (P, "It has isolated the old."),
            (H, "Question 2: What has helped"),
            (P, "Phone trees."),
            (H, "Question 3"),
            (H, "Question 4"),
            (P, "Nothing else."),
        ),
        4,
    )
    assert split is not None
    assert split.answers[1] == "It has isolated the old."
    assert split.answers[2] == "What has helped\n\nPhone trees."
    assert 3 not in split.answers  # left unanswered
    assert split.answers[4] == "Nothing else."


def test_word_numbered_list_items_as_answer_markers():
    document = extract_document(
        word(
            ("Our answers follow.", None),
            ("People stopped meeting at all.", "List Number"),
            ("This was worst in the winter.", None),
            ("Phone calls helped.", "List Number"),
        ),
        "evidence.docx",
    )
    split = split_by_questions(document, 2)
    assert split is not None
    assert split.answers == {
        1: "People stopped meeting at all.\n\nThis was worst in the winter.",
        2: "Phone calls helped.",
    }


def test_volume_numbering_of_the_sample():
    document = extract_document(sample_docx(), "evidence.docx")
    printed = numbered_paragraphs(document)
    assert printed[0].number is None
    assert printed[0].kind is H
    assert printed[1].number == 1
    assert printed[1].text.startswith("Northfield Age Concern supports")
    numbered = [(p.number, p.text) for p in printed if p.number is not None]
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    assert (None, "• Volunteer phone trees") in [(p.number, p.text) for p in printed]
    texts = {p.text: p.number for p in printed}
    assert texts["Weekly telephone calls from trained volunteers"] is not None  # Word's numbered paragraphs
    assert texts["Leeds | 1,200"] is None
    assert texts["Question 2"] is None
    assert numbered_paragraphs(document, start=8)[1].number == 8


def test_volume_numbering_drops_typed_numbers_only_when_they_agree():
    document = extract_document(numbered_paragraphs_docx(3), "evidence.docx")
    assert [(p.number, p.text) for p in numbered_paragraphs(document)][1:] == [
        (1, "Paragraph 1 of our evidence on neighbourhood ties and volunteering."),
        (2, "Paragraph 2 of our evidence on neighbourhood ties and volunteering."),
        (3, "Paragraph 3 of our evidence on neighbourhood ties and volunteering."),
    ]
    shifted = numbered_paragraphs(document, start=10)
    assert shifted[1].text.startswith("1. Paragraph 1")
    text = render_numbered(document)
    assert "\n\n1. Paragraph 1 of our evidence" in text
    assert text.startswith("Submission from the Centre for Neighbourhood Research")


def test_questions_copied_out_are_left_out_of_the_answers():
    split = split_by_questions(
        blocks(
            (H, "Question 1"),
            (P, "How has the lockdown affected social connection in your community"),
            (P, "Badly, for those living alone."),
            (H, "Question 2"),
            (P, "What has helped people stay in touch?"),
            (P, "Phone trees."),
            (H, "Question 3"),
            (P, "Councils should fund schemes, not portals."),
        ),
        3,
        questions=QUESTIONS,
    )
    assert split is not None
    assert split.answers == {
        1: "Badly, for those living alone.",
        2: "Phone trees.",
        3: "Councils should fund schemes, not portals.",
    }


def test_quarters_of_a_year_are_not_questions():
    quarters = blocks((P, "Q1 2021 saw calls double."), (P, "They fell back."), (P, "Q2 2021 was calmer."))
    assert split_by_questions(quarters, 5) is None
