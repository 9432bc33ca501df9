"""Creating inquiries, editing their questions, and opening and closing the call for evidence."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from inquiry.core.errors import InvalidInput, InvalidState, NotFound
from inquiry.core.localtime import local_time, split_zone
from inquiry.core.models import GuildConfig
from inquiry.core.rules import DEFAULT_WORD_LIMIT, MAX_QUESTION_CHARS, MAX_TITLE_CHARS, normalise_code, require_text
from inquiry.inquiries.models import Inquiry, InquiryStatus, InquiryStatusReport
from inquiry.inquiries.templates import TEMPLATES
from inquiry.store import Store

log = logging.getLogger(__name__)

MAX_CALL_YEARS = 5  # a call for evidence open longer than this is a mistyped year
DEADLINE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d")


class InquiryService:
    """The secretariat's work on an inquiry and its call for written evidence."""

    def __init__(self, store: Store, clock: Callable[[], datetime], tz: ZoneInfo) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz

    # Server configuration --------------------------------------------------------------------

    async def config(self, guild_id: int) -> GuildConfig | None:
        """The server's role and channel mapping, if /setup has run."""
        return await self.store.guilds.get(guild_id)

    async def save_config(self, config: GuildConfig) -> None:
        """Record the server's role and channel mapping."""
        async with self.store.transaction():
            await self.store.guilds.save(config, self.clock())

    # Inquiries -------------------------------------------------------------------------------

    async def create(
        self, guild_id: int, *, code: str, title: str, terms: str, actor_id: int, word_limit: int = DEFAULT_WORD_LIMIT
    ) -> Inquiry:
        """Create an inquiry in draft; its code prefixes every reference (``SCI0001``)."""
        code = normalise_code(code)
        title = require_text(title, "title", MAX_TITLE_CHARS)
        terms = require_text(terms, "terms of reference", 4000, required=False)
        _check_word_limit(word_limit)
        if await self.store.inquiries.by_code(guild_id, code):
            raise InvalidInput(f"An inquiry with the code {code} already exists on this server.")
        async with self.store.transaction():
            inquiry_id = await self.store.inquiries.create(
                guild_id=guild_id,
                code=code,
                title=title,
                terms=terms,
                word_limit=word_limit,
                actor_id=actor_id,
                now=self.clock(),
            )
            await self.store.audit.record(
                inquiry_id=inquiry_id,
                submission_id=None,
                actor_id=actor_id,
                action="inquiry created",
                detail=f"{code}: {title}",
                at=self.clock(),
            )
        return await self.get(inquiry_id)

    async def get(self, inquiry_id: int) -> Inquiry:
        """The inquiry with its questions."""
        inquiry = await self.store.inquiries.get(inquiry_id)
        if inquiry is None:
            raise NotFound("That inquiry no longer exists.")
        return inquiry

    async def in_guild(self, guild_id: int) -> list[Inquiry]:
        """Every inquiry of a server, oldest first."""
        return await self.store.inquiries.in_guild(guild_id)

    async def resolve(self, guild_id: int, code: str | None) -> Inquiry:
        """Find an inquiry by code; without a code, the server's only (or only open) inquiry."""
        if code:
            inquiry = await self.store.inquiries.by_code(guild_id, code.strip())
            if inquiry is None:
                raise NotFound(f"There is no inquiry with the code {code.strip().upper()} on this server.")
            return inquiry
        inquiries = await self.store.inquiries.in_guild(guild_id)
        if not inquiries:
            raise NotFound("There is no inquiry on this server yet: the secretariat creates one with /inquiry create.")
        open_ones = [i for i in inquiries if i.status is InquiryStatus.OPEN]
        if len(inquiries) == 1 or len(open_ones) == 1:
            return await self.get((open_ones or inquiries)[0].id)
        codes = ", ".join(i.code for i in inquiries)
        raise InvalidInput(f"This server has several inquiries ({codes}): please name one.")

    async def set_word_limit(self, inquiry: Inquiry, limit: int, actor_id: int) -> Inquiry:
        """Change the word limit per submission."""
        _check_word_limit(limit)
        async with self.store.transaction():
            await self.store.inquiries.update_settings(
                inquiry.id, title=inquiry.title, terms=inquiry.terms_of_reference, word_limit=limit
            )
            await self._audit(inquiry, actor_id, "word limit set", f"{inquiry.word_limit} → {limit}")
        return await self.get(inquiry.id)

    async def set_committee_access(self, inquiry: Inquiry, confidential: bool, actor_id: int) -> Inquiry:
        """Let the chair and members read the evidence given in confidence (``confidential``), or stop them."""
        words = {True: "readable by the committee", False: "hidden from the committee"}
        async with self.store.transaction():
            if not await self.store.inquiries.set_committee_confidential(inquiry.id, confidential):
                raise InvalidState(f"Confidential evidence to {inquiry.code} is already {words[confidential]}.")
            await self.store.audit.record(
                inquiry_id=inquiry.id,
                submission_id=None,
                actor_id=actor_id,
                action="committee access changed",
                detail="confidential evidence",
                at=self.clock(),
                before=words[not confidential],
                after=words[confidential],
            )
        return await self.get(inquiry.id)

    # Questions -------------------------------------------------------------------------------

    async def add_question(self, inquiry: Inquiry, text: str, actor_id: int) -> Inquiry:
        """Append a numbered question."""
        text = require_text(text, "question", MAX_QUESTION_CHARS)
        async with self.store.transaction():
            position = len(await self.store.inquiries.questions(inquiry.id)) + 1
            await self.store.inquiries.add_question(inquiry.id, position, text)
            await self._audit(inquiry, actor_id, "question added", f"Q{position}: {text}")
        return await self.get(inquiry.id)

    async def edit_question(self, inquiry: Inquiry, number: int, text: str, actor_id: int) -> Inquiry:
        """Change the wording of question ``number``."""
        question = _question(inquiry, number)
        text = require_text(text, "question", MAX_QUESTION_CHARS)
        async with self.store.transaction():
            await self.store.inquiries.set_question_text(question.id, text)
            await self._audit(inquiry, actor_id, "question edited", f"Q{number}: {question.text} → {text}")
        return await self.get(inquiry.id)

    async def move_question(self, inquiry: Inquiry, number: int, to: int, actor_id: int) -> Inquiry:
        """Move question ``number`` to position ``to``, renumbering the others."""
        question = _question(inquiry, number)
        _question(inquiry, to)
        await self._refuse_if_answered(inquiry, "reorder questions")
        order = [q for q in inquiry.questions if q.id != question.id]
        order.insert(to - 1, question)
        await self._renumber(inquiry, order, actor_id, f"Q{number} moved to Q{to}")
        return await self.get(inquiry.id)

    async def remove_question(self, inquiry: Inquiry, number: int, actor_id: int) -> Inquiry:
        """Remove question ``number``; the ones after it move up."""
        question = _question(inquiry, number)
        answered = await self.store.inquiries.count_answers_to(question.id)
        if answered:
            raise InvalidState(
                f"Q{number} already has {answered} answer(s) and cannot be removed; edit its wording instead."
            )
        async with self.store.transaction():
            await self.store.inquiries.delete_question(question.id)
            rest = [q for q in inquiry.questions if q.id != question.id]
            await self._renumber(inquiry, rest, actor_id, f"Q{number} removed: {question.text}")
        return await self.get(inquiry.id)

    async def load_template(self, inquiry: Inquiry, key: str, actor_id: int) -> Inquiry:
        """Fill an inquiry that has no questions yet with a template's questions."""
        template = TEMPLATES.get(key)
        if template is None:
            raise NotFound(f"There is no template called {key!r}.")
        if inquiry.questions:
            raise InvalidState("This inquiry already has questions; remove them first to load a template.")
        async with self.store.transaction():
            for position, text in enumerate(template.questions, start=1):
                await self.store.inquiries.add_question(inquiry.id, position, text)
            await self._audit(inquiry, actor_id, "template loaded", template.title)
        return await self.get(inquiry.id)

    # The call for evidence -------------------------------------------------------------------

    def parse_deadline(self, text: str) -> datetime:
        """Read a closing date such as ``2020-04-14 17:00`` in the inquiry's time zone."""
        written, zone = split_zone(text)
        for fmt in DEADLINE_FORMATS:
            try:
                naive = datetime.strptime(written, fmt)
            except ValueError:
                continue
            if fmt == "%Y-%m-%d":
                naive = naive.replace(hour=23, minute=59)
            return local_time(naive, self.tz, zone)
        raise InvalidInput(
            f"I could not read {text!r} as a date and time: write it as YYYY-MM-DD HH:MM ({self.tz.key} time)."
        )

    async def open_call(self, inquiry: Inquiry, closes_at: datetime, actor_id: int) -> Inquiry:
        """Open the call for written evidence until ``closes_at``."""
        if not inquiry.questions:
            raise InvalidState("Add at least one question (or load the template) before opening the call.")
        if closes_at <= self.clock():
            raise InvalidInput("The closing date must be in the future.")
        if closes_at > self.clock() + timedelta(days=366 * MAX_CALL_YEARS):
            raise InvalidInput(f"The closing date must be within {MAX_CALL_YEARS} years; check the year.")
        async with self.store.transaction():
            await self.store.inquiries.set_status(inquiry.id, InquiryStatus.OPEN, closes_at)
            await self._audit(inquiry, actor_id, "call opened", f"closes {closes_at.isoformat()}")
        return await self.get(inquiry.id)

    async def close_call(self, inquiry: Inquiry, actor_id: int) -> Inquiry:
        """Close the call: no more submissions are taken, late or not."""
        if inquiry.status is not InquiryStatus.OPEN:
            raise InvalidState("The call for evidence is not open.")
        async with self.store.transaction():
            await self.store.inquiries.set_status(inquiry.id, InquiryStatus.CLOSED, inquiry.closes_at)
            await self._audit(inquiry, actor_id, "call closed", "")
        return await self.get(inquiry.id)

    async def record_announcement(self, inquiry: Inquiry, channel_id: int, message_id: int) -> None:
        """Remember where the call was announced, so the post can be updated."""
        async with self.store.transaction():
            await self.store.inquiries.set_announcement(inquiry.id, channel_id, message_id)

    async def status(self, inquiry: Inquiry) -> InquiryStatusReport:
        """Counts of submissions by status, late ones, and answers per question."""
        counts = await self.store.submissions.count_by_status(inquiry.id)
        return InquiryStatusReport(
            inquiry=inquiry,
            counts={k: v for k, v in counts.items() if k != "draft"},
            late=await self.store.submissions.count_late(inquiry.id),
            answers_per_question=await self.store.submissions.answers_per_question(inquiry.id),
            drafts=counts.get("draft", 0),
        )

    # Helpers ---------------------------------------------------------------------------------

    async def _refuse_if_answered(self, inquiry: Inquiry, what: str) -> None:
        for question in inquiry.questions:
            if await self.store.inquiries.count_answers_to(question.id):
                raise InvalidState(f"Witnesses have already answered; you can no longer {what}.")

    async def _renumber(self, inquiry: Inquiry, order: list, actor_id: int, detail: str) -> None:
        async with self.store.transaction():
            # Two passes keep (inquiry, position) unique at every step.
            for index, question in enumerate(order, start=1):
                await self.store.inquiries.set_question_position(question.id, -index)
            for index, question in enumerate(order, start=1):
                await self.store.inquiries.set_question_position(question.id, index)
            await self._audit(inquiry, actor_id, "questions reordered", detail)

    async def _audit(self, inquiry: Inquiry, actor_id: int, action: str, detail: str) -> None:
        await self.store.audit.record(
            inquiry_id=inquiry.id, submission_id=None, actor_id=actor_id, action=action, detail=detail, at=self.clock()
        )


def _question(inquiry: Inquiry, number: int):
    for question in inquiry.questions:
        if question.position == number:
            return question
    raise NotFound(f"{inquiry.code} has no question {number} (it has {len(inquiry.questions)}).")


def _check_word_limit(limit: int) -> None:
    if not 50 <= limit <= 50_000:
        raise InvalidInput("The word limit must be between 50 and 50,000 words.")
