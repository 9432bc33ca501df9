"""Telling whether a document answers the inquiry's questions by their numbers, and splitting it if so.

Committees ask for numbered paragraphs, so numbers alone prove little: a submission numbered 1 to 40 is not
forty answers to five questions. The split is made only when the document plainly answers by question:

- markers that name a question (``Question 2``, ``Q2``, ``Answer to question 2``) at the start of a heading,
  paragraph or list item: at least two, in increasing order, all within the questions asked; or, when there
  are none of those,
- bare numbers (``2.``, ``2)``, ``(2)``, and ``2 Title`` in headings) of one kind of block, headings first,
  then paragraphs, then list items: at least two, in increasing order, all within the questions asked, and,
  for paragraphs and list items, with other text between two of them (a document whose every paragraph is
  numbered is numbered paragraphs, not answers).

Anything less clear returns None and the document stands as one statement.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Block, BlockKind, Document, join_blocks

NAMED = re.compile(
    r"^\s*(?:(?:answer|response|reply)\s+to\s+)?(?:question|q)\s*\.?\s*(\d{1,2})(?![\d.,]\d)(?!\s+(?:19|20)\d\d\b)"
    r"\s*[.:)\-–—]?\s*",
    re.IGNORECASE,
)
BARE = re.compile(r"^\s*\(?(\d{1,2})(?:[.):]|\))(?:\s+|$)")
BARE_HEADING = re.compile(r"^\s*(\d{1,2})\s+(?=\D)")
LIST_NUMBER = re.compile(r"^\(?(\d{1,2})[.):]?\)?$")


@dataclass(frozen=True, slots=True)
class QuestionSplit:
    """A document split into answers by question number (from 1), with any text before the first answer."""

    answers: dict[int, str]
    blocks: dict[int, tuple[Block, ...]]
    preamble: str
    preamble_blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class _Marker:
    index: int
    number: int
    rest: str  # the block's text after the marker


def split_by_questions(
    document: Document | tuple[Block, ...] | list[Block],
    question_count: int,
    *,
    questions: Sequence[str] | None = None,
) -> QuestionSplit | None:
    """The document's answers by question number when it clearly answers questions 1..``question_count`` by
    their numbers, else None (see the module's docstring for what counts as clear).

    With ``questions`` (their texts, question 1 first), a block at the start of an answer that copies its
    question out is left out of the answer.
    """
    blocks = tuple(document.blocks if isinstance(document, Document) else document)
    markers = _choose(blocks, question_count)
    if markers is None:
        return None
    answers: dict[int, tuple[Block, ...]] = {}
    for position, marker in enumerate(markers):
        end = markers[position + 1].index if position + 1 < len(markers) else len(blocks)
        head = blocks[marker.index]
        body = list(blocks[marker.index + 1 : end])
        rest = marker.rest.strip()
        if rest and not (head.kind is BlockKind.HEADING and rest.endswith("?")) and not _restates(head, marker):
            kind = BlockKind.HEADING if head.kind is BlockKind.HEADING else BlockKind.PARAGRAPH
            body.insert(0, Block(kind, rest, level=head.level if kind is BlockKind.HEADING else 0))
        asked = questions[marker.number - 1] if questions and marker.number <= len(questions) else None
        if asked and body and _same_words(body[0].text, asked):
            body.pop(0)
        if any(block.text.strip() for block in body):
            answers[marker.number] = tuple(body)
    if not answers:
        return None
    preamble = blocks[: markers[0].index]
    return QuestionSplit(
        answers={number: join_blocks(body) for number, body in answers.items()},
        blocks=answers,
        preamble=join_blocks(preamble),
        preamble_blocks=preamble,
    )


def _same_words(text: str, question: str) -> bool:
    """Whether ``text`` is ``question`` copied out, give or take punctuation, case and a slip or two."""
    ours, theirs = (" ".join(re.findall(r"\w+", value.casefold())) for value in (text, question))
    return bool(ours) and difflib.SequenceMatcher(None, ours, theirs).ratio() >= 0.9


def _restates(head: Block, marker: _Marker) -> bool:
    """Whether a named marker's block only restates the question (it ends with a question mark)."""
    return bool(NAMED.match(head.text)) and marker.rest.rstrip().endswith("?")


def _choose(blocks: tuple[Block, ...], question_count: int) -> list[_Marker] | None:
    named = [m for i, b in enumerate(blocks) if (m := _named(i, b))]
    if len(named) >= 2:
        return named if _in_order(named, question_count) else None
    for kind in (BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
        bare = [m for i, b in enumerate(blocks) if b.kind is kind and (m := _bare(i, b))]
        if len(bare) < 2:
            continue
        if not _in_order(bare, question_count):
            return None
        if kind is not BlockKind.HEADING and not _text_between(bare):
            return None
        return bare
    return None


def _named(index: int, block: Block) -> _Marker | None:
    if block.kind is BlockKind.TABLE:
        return None
    match = NAMED.match(block.text)
    return _Marker(index, int(match[1]), block.text[match.end() :]) if match else None


def _bare(index: int, block: Block) -> _Marker | None:
    if block.kind is BlockKind.LIST_ITEM:
        match = LIST_NUMBER.match(block.marker) if block.level == 0 else None
        return _Marker(index, int(match[1]), block.text) if match else None
    match = BARE.match(block.text) or (BARE_HEADING.match(block.text) if block.kind is BlockKind.HEADING else None)
    return _Marker(index, int(match[1]), block.text[match.end() :]) if match else None


def _in_order(markers: list[_Marker], question_count: int) -> bool:
    numbers = [m.number for m in markers]
    return all(1 <= n <= question_count for n in numbers) and all(a < b for a, b in itertools.pairwise(numbers))


def _text_between(markers: list[_Marker]) -> bool:
    """Whether some answer before the last runs on past its numbered block (text after the last marker may
    be closing words, so it proves nothing)."""
    indexes = [m.index for m in markers]
    return any(b - a > 1 for a, b in itertools.pairwise(indexes))
