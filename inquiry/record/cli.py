"""``evidence-bot export minutes|transcript|evidence``: the record as Word documents, from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="evidence-bot export", description="Write formal minutes, a transcript or the evidence volume as .docx."
    )
    cli.add_argument("document", choices=("minutes", "transcript", "evidence"))
    cli.add_argument("--db", required=True, help="the bot's SQLite database")
    which = cli.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", type=int, help="the oral evidence session (minutes, transcript)")
    which.add_argument("--inquiry", help="the inquiry's code, such as SCI (evidence)")
    cli.add_argument("--out", required=True, help="the .docx file to write")
    cli.add_argument("--timezone", default="Europe/London", help="time zone of the dates shown")
    return cli


class ExportError(Exception):
    """A one-line reason the export could not be made."""


def main(argv: list[str] | None = None) -> int:
    """Run the export; a one-line error on stderr and a non-zero exit on failure."""
    args = parser().parse_args(argv)
    try:
        if args.document == "evidence" and not args.inquiry:
            raise ExportError("the evidence volume needs --inquiry CODE")
        if args.document != "evidence" and args.session is None:
            raise ExportError(f"{args.document} need --session N")
        if not Path(args.db).is_file():
            raise ExportError(f"no database at {args.db}")
        try:
            tz = ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ExportError(f"{args.timezone!r} is not a known time zone") from None
        path = asyncio.run(_export(args, tz))
    except ExportError as error:
        print(f"evidence-bot export: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


async def _export(args, tz: ZoneInfo) -> Path:
    from inquiry.core.errors import DomainError
    from inquiry.record.service import ExportService
    from inquiry.store import Store

    out = Path(args.out)
    async with await Store.open(args.db) as store:
        service = ExportService(store, tz, out.parent, lambda: datetime.now(UTC))
        try:
            if args.document == "evidence":
                matches = await store.inquiries.by_code_anywhere(args.inquiry)
                if not matches:
                    raise ExportError(f"no inquiry with the code {args.inquiry.upper()} in {args.db}")
                if len(matches) > 1:
                    raise ExportError(f"{len(matches)} servers have an inquiry {args.inquiry.upper()}")
                exported = await service.evidence_volume(matches[0], None)
            elif args.document == "minutes":
                exported = await service.minutes(args.session)
            else:
                exported = await service.transcript(args.session)
        except DomainError as error:
            raise ExportError(str(error)) from error
        await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(out.write_bytes, exported.data)
    return out
