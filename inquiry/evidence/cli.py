"""``evidence-bot evidence import|show``: enter evidence received outside Discord, and show a submission as the
secretariat sees it, from the command line.

``import`` reads the document, gives it the inquiry's next reference and prints it; the running bot then posts it in
the evidence forum (the post is owed in the database, marked as entered by the secretariat) and the entry is in the
audit log. ``show`` prints one submission (who, contact, status, words, its answers in every form) as text or JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inquiry.evidence.models import Capacity, Publication


class EvidenceCliError(Exception):
    """A one-line reason the command could not be done."""


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="evidence-bot evidence",
        description="Enter evidence received outside Discord, or show a submission as the secretariat sees it.",
    )
    sub = cli.add_subparsers(dest="action", required=True)
    entry = sub.add_parser("import", help="enter a document received by post or email; prints its reference")
    entry.add_argument("--db", required=True, help="the bot's database: a SQLite file or a postgresql:// URL")
    entry.add_argument("--inquiry", required=True, help="the inquiry's code, such as SCI")
    entry.add_argument("--file", required=True, help="the document: .docx, .odt, .rtf, .txt, .md or a PDF")
    entry.add_argument("--name", required=True, help="who the evidence is from")
    entry.add_argument("--capacity", required=True, choices=[c.value for c in Capacity])
    entry.add_argument("--organisation", help="the organisation's name (with --capacity organisation)")
    entry.add_argument("--publication", required=True, choices=[p.value for p in Publication])
    entry.add_argument("--contact", help="their address or email (never published)")
    entry.add_argument("--received", help="the day it was received, YYYY-MM-DD (default: today)")
    entry.add_argument("--accept", action="store_true", help="accept it into the record at once")
    entry.add_argument("--media-dir", help="where the bot keeps evidence files (default: media beside the database)")
    entry.add_argument(
        "--media",
        default=os.environ.get("EVIDENCE_BOT_MEDIA") or None,
        help="where the bot keeps evidence files, as a folder or an s3:// URL (default: EVIDENCE_BOT_MEDIA, else"
        " --media-dir); credentials for a bucket come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    )
    entry.add_argument("--timezone", default="Europe/London", help="the inquiry's time zone (default Europe/London)")
    show = sub.add_parser("show", help="print a submission as the secretariat sees it")
    show.add_argument("--db", required=True, help="the bot's database: a SQLite file or a postgresql:// URL")
    show.add_argument("--reference", required=True, help="the submission's reference, such as SCI0001")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument("--timezone", default="Europe/London", help="time zone of the dates shown")
    return cli


def main(argv: list[str] | None = None) -> int:
    """Run the command; a one-line error on stderr and a non-zero exit on failure."""
    args = parser().parse_args(argv)
    try:
        from inquiry.store import is_postgres

        if not is_postgres(args.db) and not Path(args.db).is_file():
            raise EvidenceCliError(f"no database at {args.db}")
        if args.action == "import" and not Path(args.file).is_file():
            raise EvidenceCliError(f"no file at {args.file}")
        try:
            tz = ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise EvidenceCliError(f"{args.timezone!r} is not a known time zone") from None
        output = asyncio.run(_import(args, tz) if args.action == "import" else _show(args, tz))
    except EvidenceCliError as error:
        print(f"evidence-bot evidence: {error}", file=sys.stderr)
        return 1
    print(output)
    return 0


def _services(store, tz: ZoneInfo, media_dir: Path, media: str | None = None):
    from inquiry.services import Services
    from storage import is_s3_url, open_storage
    from transcription.intake import WORK

    storage = None
    if media and is_s3_url(media):
        try:
            storage = open_storage(media, work_dir=media_dir / WORK)
        except ValueError as error:
            raise EvidenceCliError(str(error)) from None
    return Services.build(store, lambda: datetime.now(UTC), tz, media_dir=media_dir, storage=storage)


async def _import(args, tz: ZoneInfo) -> str:
    from inquiry.core.errors import DomainError
    from inquiry.evidence.entry import EntryDetails
    from inquiry.evidence.imports import parse_received
    from inquiry.store import Store

    source = Path(args.file)
    folder = args.media if args.media and "://" not in args.media else None
    media_dir = Path(args.media_dir or folder or Path(args.db).parent / "media")
    async with await Store.open(args.db) as store:
        services = _services(store, tz, media_dir, args.media)
        try:
            inquiry = await services.imports.inquiry(args.inquiry)
            details = EntryDetails(
                name=args.name,
                capacity=Capacity(args.capacity),
                publication=Publication(args.publication),
                organisation=args.organisation,
                contact=args.contact,
                received_on=parse_received(args.received),
                accept=args.accept,
            )
            done = await services.imports.enter(
                inquiry, details, source, source.name, actor_id=None, via="command_line", actor_name="command line"
            )
        except DomainError as error:
            raise EvidenceCliError(str(error)) from error
    return done.submission.reference


async def _show(args, tz: ZoneInfo) -> str:
    from inquiry.core.errors import DomainError
    from inquiry.store import Store

    async with await Store.open(args.db) as store:
        services = _services(store, tz, Path(args.db).parent / "media")
        try:
            inquiry, submission = await services.imports.find(args.reference)
        except DomainError as error:
            raise EvidenceCliError(str(error)) from error
        view = await secretariat_view(services, inquiry, submission, tz)
    return json.dumps(view, ensure_ascii=False, indent=2) if args.format == "json" else as_text(view)


async def secretariat_view(services, inquiry, submission, tz: ZoneInfo) -> dict[str, Any]:
    """A submission as the secretariat reads it: who, contact, status, words, and every answer in every form."""
    content = await services.submissions.content(submission)
    entry = await services.imports.entry_of(submission.id)
    redactions = await services.review.redactions(submission)
    labels = {q.id: q.position for q in inquiry.questions}
    answers = []
    for question in inquiry.questions:
        spoken = [s.confirmed_text for s in content.spoken_for(question.id) if s.confirmed]
        parts = [p.text for p in content.parts_for(question.id)]
        typed = content.typed(question.id)
        if typed or parts or spoken:
            answers.append(
                {
                    "question": question.position,
                    "question_text": question.text,
                    "typed": typed or None,
                    "from_documents": parts,
                    "spoken": spoken,
                    "words": content.question_words(question.id),
                }
            )
    received = submission.submitted_at.astimezone(tz).isoformat() if submission.submitted_at else None
    return {
        "reference": submission.reference,
        "inquiry": {"code": inquiry.code, "title": inquiry.title, "word_limit": inquiry.word_limit},
        "status": submission.status.value,
        "from": submission.display_name,
        "name": submission.submitter_name,
        "capacity": submission.capacity.value if submission.capacity else None,
        "organisation": submission.organisation,
        "contact": submission.contact,
        "publication": submission.publication.value if submission.publication else None,
        "received_at": received,
        "late": submission.late,
        "words": content.words,
        "over_word_limit": content.words > inquiry.word_limit,
        "decision_reason": submission.decision_reason,
        "entered_by_secretariat": entry is not None,
        "entry": None
        if entry is None
        else {"received_on": entry.received_on.isoformat(), "via": entry.via, "entered_by": entry.entered_by},
        "answers": answers,
        "statements": [p.text for p in content.parts_for(None)],
        "documents": [
            {"id": d.id, "filename": d.filename, "format": d.format, "words": d.words, "use": d.use.value}
            for d in content.documents
        ],
        "recordings": [
            {
                "item": s.item_id,
                "kind": s.kind,
                "question": labels.get(s.question_id),
                "state": s.state.value,
                "transcript": s.transcript,
                "confirmed_text": s.confirmed_text,
            }
            for s in content.spoken
        ],
        "redactions": [
            {"question": labels.get(r.question_id), "passage": r.passage, "reason": r.reason} for r in redactions
        ],
    }


def as_text(view: dict[str, Any]) -> str:
    """The secretariat's view as plain text."""
    lines = [
        f"{view['reference']} · {view['inquiry']['code']}: {view['inquiry']['title']}",
        f"From: {view['name']}" + (f", for {view['organisation']}" if view["organisation"] else " (individual)"),
        f"Contact: {view['contact'] or '(none given)'}",
        f"Publication: {view['publication']}",
        f"Status: {view['status']}" + (f" ({view['decision_reason']})" if view["decision_reason"] else ""),
        f"Received: {view['received_at']}" + (" · LATE" if view["late"] else ""),
        f"Words: {view['words']:,} of {view['inquiry']['word_limit']:,}"
        + (" · OVER THE LIMIT" if view["over_word_limit"] else ""),
    ]
    if view["entry"]:
        entry = view["entry"]
        how = {"discord": "/review import", "upload": "an upload link", "command_line": "the command line"}[
            entry["via"]
        ]
        lines.append(f"Entered by the secretariat through {how}; received on {entry['received_on']}.")
    for answer in view["answers"]:
        lines += ["", f"Q{answer['question']}. {answer['question_text']} ({answer['words']:,} words)"]
        if answer["typed"]:
            lines.append(answer["typed"])
        lines += [f"[from a document] {text}" for text in answer["from_documents"]]
        lines += [f"[spoken, confirmed] {text}" for text in answer["spoken"]]
    for text in view["statements"]:
        lines += ["", "Statement (document):", text]
    if view["documents"]:
        lines += ["", "Documents:"]
        lines += [
            f"- {d['filename']} ({d['format']}, {d['words']:,} words, used as {d['use']})" for d in view["documents"]
        ]
    if view["recordings"]:
        lines += ["", "Recordings:"]
        for r in view["recordings"]:
            where = f"Q{r['question']}" if r["question"] else "general statement"
            lines.append(f"- #{r['item']} {r['kind']} for {where}: {r['state']}")
    if view["redactions"]:
        lines += ["", "Redactions:"]
        lines += [f"- Q{r['question']}: “{r['passage']}” ({r['reason']})" for r in view["redactions"]]
    return "\n".join(lines)
