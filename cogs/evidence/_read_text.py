"""What /evidence read shows: the list of the evidence a reader may read, and one submission laid out in pages that
each fit in one Discord message (long answers are split at paragraph, line or word boundaries and continue on the
next page under their question)."""

from __future__ import annotations

from dataclasses import dataclass

from cogs._shared.format import MESSAGE_LIMIT, chunks, clip, safe
from inquiry.evidence.reading import ReadableEvidence, ReadableSummary

LIST_PAGE_SIZE = 10  # submissions per page of the list (a select menu holds 25)
CHUNK = 1200  # the longest piece of an answer on one page (with its heading, header and footer: under 2,000)
QUESTION_CHARS = 250  # a question's wording is shortened to this in a heading
NAME_CHARS = 80
SEPARATOR = "\n\n"
NOT_SHOWN = "Contact details and the secretariat's notes are not shown here."


def status_words(summary: ReadableSummary) -> str:
    """``published · 1,234 words · late · given in confidence``"""
    words = [summary.status.value, f"{summary.word_count:,} word{'s' if summary.word_count != 1 else ''}"]
    if summary.late:
        words.append("late")
    if summary.confidential:
        words.append("given in confidence (not for publication)")
    return " · ".join(words)


def summary_line(summary: ReadableSummary) -> str:
    """``**SCI0001** · Amira Khan · accepted · 245 words``"""
    return f"**{summary.reference}** · {clip(safe(summary.who), NAME_CHARS)} · {status_words(summary)}"


def option_label(summary: ReadableSummary) -> str:
    """A submission in the select menu (100 characters at most)."""
    return clip(f"{summary.reference} · {' '.join(summary.who.split())}", 100)


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of the list: its text, the submissions on it, and where it stands among the pages."""

    text: str
    shown: tuple[ReadableSummary, ...]
    number: int
    pages: int


def list_page(code: str, summaries: list[ReadableSummary], number: int, *, confidential: bool) -> ListPage:
    """Page ``number`` (from 1; out of range: the nearest page) of the list of readable evidence."""
    pages = max(1, -(-len(summaries) // LIST_PAGE_SIZE))
    number = min(max(1, number), pages)
    shown = tuple(summaries[(number - 1) * LIST_PAGE_SIZE : number * LIST_PAGE_SIZE])
    which = "including evidence given in confidence" if confidential else "evidence given in confidence is not shown"
    count = f"{len(summaries)} submission(s) the committee can read"
    header = f"**Written evidence to {code}: {count}** (accepted; {which})"
    body = [summary_line(s) for s in shown] or ["There is no accepted evidence to read yet."]
    footer = f"Page {number} of {pages} · choose a submission below to read it." if summaries else ""
    text = "\n".join(line for line in [header, *body, footer] if line)
    return ListPage(text=clip(text, MESSAGE_LIMIT), shown=shown, number=number, pages=pages)


def header_line(evidence: ReadableEvidence) -> str:
    """The first line of every page of a submission."""
    return summary_line(evidence.summary)


def submission_pages(evidence: ReadableEvidence) -> list[str]:
    """The submission as pages of one message each: a header, then its parts (each under its question, with the
    form it came in), then a footer with the page's number and how many passages were withheld."""
    header = header_line(evidence)
    units = _units(evidence)
    if not units:
        units = [("", "This submission has no text to read.")]
    bodies: list[list[str]] = [[]]
    room = MESSAGE_LIMIT - len(header) - len(_footer(evidence, 999, 999)) - 2 * len(SEPARATOR)
    used = 0
    for continuation, text in units:
        if bodies[-1] and used + len(text) + len(SEPARATOR) > room:
            bodies.append([])
            used = 0
            if continuation:
                text = continuation + "\n" + text
        bodies[-1].append(text)
        used += len(text) + len(SEPARATOR)
    pages = len(bodies)
    return [
        SEPARATOR.join([header, *body, _footer(evidence, number, pages)]) for number, body in enumerate(bodies, start=1)
    ]


def _units(evidence: ReadableEvidence) -> list[tuple[str, str]]:
    """The pieces pages are made of, each with what to put before it when it opens a page: a part's heading, the
    form it came in and its first piece of text go together; the following pieces go one by one."""
    units: list[tuple[str, str]] = []
    last_label = None
    for part in evidence.parts:
        if part.label != last_label:
            heading = f"**{part.label}**" + (f" {clip(safe(part.heading), QUESTION_CHARS)}" if part.heading else "")
        else:
            heading = ""
        last_label = part.label
        continued = f"**{part.label}** (continued)"
        form = f"*{part.form}*" if part.form else ""
        pieces = chunks(safe(part.text), CHUNK)
        opening = "\n".join(line for line in (heading, form, pieces[0] if pieces else "") if line)
        units.append((continued if not heading else "", opening))
        units += [(continued, piece) for piece in pieces[1:]]
    return units


def _footer(evidence: ReadableEvidence, number: int, pages: int) -> str:
    withheld = evidence.withheld
    said = f"Page {number} of {pages}"
    if withheld:
        said += f" · {withheld} passage{'s' if withheld != 1 else ''} withheld (redactions and personal data)"
    return f"-# {said}. {NOT_SHOWN}"
