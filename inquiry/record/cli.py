"""``evidence-bot export minutes|transcript|evidence|audit``: the record as Word documents (and the inquiry's
audit trail as CSV), from the command line.

A session is named by its number within its inquiry (``--session 2``), as in Discord; ``--inquiry CODE`` says which
inquiry when the database holds several with a session of that number."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="evidence-bot export",
        description="Write formal minutes, a transcript or the evidence volume as .docx, or the audit trail as CSV.",
    )
    cli.add_argument("document", choices=("minutes", "transcript", "evidence", "audit"))
    cli.add_argument("--db", required=True, help="the bot's database: a SQLite file or a postgresql:// URL")
    cli.add_argument("--session", type=int, help="the session's number in its inquiry (minutes, transcript)")
    cli.add_argument("--inquiry", help="the inquiry's code, such as SCI (evidence; for a session, if several have it)")
    cli.add_argument("--out", required=True, help="the .docx file to write (.csv for the audit trail)")
    cli.add_argument("--timezone", default="Europe/London", help="time zone of the dates shown")
    return cli


class ExportError(Exception):
    """A one-line reason the export could not be made."""


def main(argv: list[str] | None = None) -> int:
    """Run the export; a one-line error on stderr and a non-zero exit on failure."""
    args = parser().parse_args(argv)
    try:
        if args.document == "audit" and (not args.inquiry or args.session is not None):
            raise ExportError("the audit trail is the inquiry's: give --inquiry CODE (and no --session)")
        if args.document == "evidence" and not args.inquiry:
            raise ExportError("the evidence volume needs --inquiry CODE")
        if args.document in ("minutes", "transcript") and args.session is None:
            raise ExportError(f"{args.document} need --session N")
        if args.document == "evidence" and args.session is not None:
            raise ExportError("the evidence volume is the inquiry's: give --inquiry CODE, not --session")
        from inquiry.store import is_postgres

        if not is_postgres(args.db) and not Path(args.db).is_file():
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
    if args.document == "audit":
        return await _audit(args, tz, out)
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
                exported = await service.minutes(await _session_id(store, args))
            else:
                exported = await service.transcript(await _session_id(store, args))
        except DomainError as error:
            raise ExportError(str(error)) from error
        await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(out.write_bytes, exported.data)
    return out


async def _session_id(store, args) -> int:
    """The session numbered ``--session`` (in the inquiry ``--inquiry``, when given)."""
    found = await store.sessions.numbered(args.session)
    if args.inquiry:
        codes = {i.id for i in await store.inquiries.by_code_anywhere(args.inquiry)}
        found = [s for s in found if s.inquiry_id in codes]
    where = f"inquiry {args.inquiry.upper()}" if args.inquiry else args.db
    if not found:
        raise ExportError(f"no session {args.session} in {where}")
    if len(found) > 1 and args.inquiry:
        raise ExportError(f"{len(found)} servers have an inquiry {args.inquiry.upper()} with a session {args.session}")
    if len(found) > 1:
        codes = ", ".join(sorted({(await store.inquiries.get(s.inquiry_id)).code for s in found}))
        raise ExportError(f"{len(found)} inquiries have a session {args.session} ({codes}): add --inquiry CODE")
    return found[0].id


async def _audit(args, tz: ZoneInfo, out: Path) -> Path:
    """The inquiry's whole audit trail as CSV (when, who, action, target, reason, details)."""
    from inquiry.audit.csv_file import audit_csv
    from inquiry.audit.service import AuditService
    from inquiry.store import Store

    async with await Store.open(args.db) as store:
        matches = await store.inquiries.by_code_anywhere(args.inquiry)
        if not matches:
            raise ExportError(f"no inquiry with the code {args.inquiry.upper()} in {args.db}")
        if len(matches) > 1:
            raise ExportError(f"{len(matches)} servers have an inquiry {args.inquiry.upper()}")
        text = audit_csv(await AuditService(store, lambda: datetime.now(UTC)).rows(matches[0], tz))
    await asyncio.to_thread(out.parent.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(out.write_bytes, text.encode("utf-8"))
    return out
