"""What /privacy forget-me says: exactly what is erased and what is kept (and why), before and after; and what
the secretariat is told."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs._shared.format import MESSAGE_LIMIT, clip, safe
from inquiry.evidence.erasure import ErasurePlan, ErasureReport

ORAL_WHY = (
    "what you said in a public session is part of the inquiry's published record, so it stays; the secretariat"
    " is told of your request and decides whether any of it is withdrawn or redacted"
)


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _oral(plan: ErasurePlan) -> str:
    return ", ".join(f"{plan.code(o.inquiry_id)} session {o.number} (“{safe(o.title)}”)" for o in plan.oral)


def erased_lines(plan: ErasurePlan, *, done: bool) -> list[str]:
    """What erasure removes on this server, line by line."""
    lines = []
    if plan.submissions:
        lines.append(
            f"your written evidence {', '.join(plan.references)}: your name, organisation and contact details, your"
            " answers and the transcripts of your recordings, the secretariat's redactions of them, and its posts"
            " in the secretariat's evidence forum"
        )
    if plan.drafts:
        lines.append(_n(len(plan.drafts), "unfinished draft"))
    if plan.recordings:
        lines.append(f"{_n(plan.recordings, 'recording')} you sent with it: the files and their transcripts")
    if plan.documents:
        lines.append(f"{_n(plan.documents, 'document')} you sent with it: the files and what I read from them")
    if plan.messages:
        lines.append(
            f"{_n(plan.messages, 'message')} I sent you that hold that evidence (receipts, transcripts, decisions)"
        )
    if plan.grants:
        lines.append(_n(plan.grants, "upload link"))
    if plan.exports:
        lines.append(
            f"{_n(len(plan.exports), 'saved document')} on the bot's server that "
            f"{'held' if done else 'hold'} your evidence (the secretariat makes them again without it)"
        )
    lines.append("the name I know you by on this server")
    return lines


def kept_lines(plan: ErasurePlan, guild_name: str) -> list[str]:
    """What erasure keeps, and why."""
    lines = []
    if plan.references:
        lines.append(
            f"the reference numbers {', '.join(plan.references)}, marked erased and empty, so that they are never"
            " given to anyone else"
        )
    if plan.oral:
        lines.append(f"your oral evidence in {_oral(plan)}: {ORAL_WHY}")
    lines += [
        "the audit log's record of what was done and when, without your name or what you wrote",
        "the messages you sent me: only you can delete them in Discord",
        "copies in the bot's backups, until those backups are replaced on the secretariat's schedule",
        "anything already published outside Discord, which I cannot recall",
        f"anything on other servers: this acts on **{safe(guild_name)}** only",
    ]
    return lines


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def confirmation(plan: ErasurePlan, guild_name: str) -> str:
    """Before: what pressing the button will erase and keep."""
    text = (
        f"**Forget me on {safe(guild_name)}**\n**Erased for good:**\n{_bullets(erased_lines(plan, done=False))}\n"
        f"**Kept:**\n{_bullets(kept_lines(plan, guild_name))}\n"
        "The secretariat is told of your request. This cannot be undone. Are you sure?"
    )
    return clip(text, MESSAGE_LIMIT)


def nothing_held(guild_name: str | None) -> str:
    where = f"on {safe(guild_name)}" if guild_name else "on any server"
    return f"I hold no evidence from you {where}: there is nothing to erase."


def done(report: ErasureReport, guild_name: str) -> str:
    """After: what was erased and what was kept."""
    plan = report.plan
    if plan is None or not plan.holds_anything:
        return nothing_held(guild_name)
    erased = erased_lines(plan, done=True)
    if plan.drafts:
        erased[erased.index(_n(len(plan.drafts), "unfinished draft"))] = (
            f"{_n(report.drafts_deleted, 'unfinished draft')} deleted"
        )
    text = (
        f"Done. **On {safe(guild_name)} I have erased:**\n{_bullets(erased)}\n"
        f"**I have kept:**\n{_bullets(kept_lines(plan, guild_name))}\n"
        "The secretariat is told in their evidence forum. My messages to you are deleted in the next few moments."
    )
    return clip(text, MESSAGE_LIMIT)


def server_choice() -> str:
    return (
        "You hold evidence on more than one server. Which server's inquiry should forget you? (Each server is"
        " asked separately.)"
    )


def secretariat_notice(payload: dict, at: datetime, tz: ZoneInfo) -> str:
    """The post in the evidence forum telling the secretariat of an erasure."""
    local = at.astimezone(tz)
    erased = ", ".join(payload.get("erased") or []) or "no sent evidence"
    lines = [
        f"A witness asked to be forgotten on this server ({local:%-d %B %Y, %H:%M} {local.tzname()}).",
        f"**Erased:** {erased} (their forum posts are deleted); {_n(payload.get('drafts', 0), 'draft')};"
        f" {_n(payload.get('recordings', 0), 'recording')} with their transcripts;"
        f" {_n(payload.get('documents', 0), 'document')};"
        f" {_n(payload.get('messages', 0), 'direct message')} of the bot's to them.",
    ]
    exports = payload.get("exports_deleted") or []
    if exports:
        names = ", ".join(f"`{e['filename']}`" for e in exports)
        lines.append(
            f"**Saved documents deleted** because they held that evidence: {names}. Make them again (for example"
            " with /export evidence) if you still need them."
        )
    oral = payload.get("oral") or []
    if oral:
        sessions = "; ".join(
            f"{o['code']} session {o['number']} (“{safe(o['title'])}”)"
            + (f" as {safe(o['witness'])}" if o.get("witness") else "")
            + f": {_n(o['answers'], 'answer')} in the thread, {_n(o['passages'], 'recorded passage')}"
            for o in oral
        )
        lines.append(
            f"**For your decision:** their oral evidence is kept in the record: {sessions}. It was given in a public"
            " session, so it stays unless you decide to withdraw or redact it."
        )
        kept = payload.get("session_exports") or []
        if kept:
            lines.append("Saved documents of those sessions, kept: " + ", ".join(f"`{name}`" for name in kept) + ".")
    return clip("\n".join(lines), MESSAGE_LIMIT)
