"""Queries on session recordings, their uncorrected transcript segments, correction windows and corrections."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from inquiry.sessions.recording_models import (
    Correction,
    CorrectionDecision,
    CorrectionWindow,
    Recording,
    RecordingStatus,
    RecordingTrack,
    TranscriptSegment,
)

from ._base import Repo, from_db_time, to_db_time


def _track(row) -> RecordingTrack:
    data = dict(row)
    data.pop("result_json")
    return RecordingTrack(**data)


def _correction(row) -> Correction:
    data = dict(row)
    data.update(
        status=CorrectionDecision(data["status"]),
        proposed_at=from_db_time(data["proposed_at"]),
        decided_at=from_db_time(data["decided_at"]),
        segment_ids=tuple(json.loads(data["segment_ids"] or "[]")),
    )
    return Correction(**data)


class SessionTranscriptQueries(Repo):
    """Recordings, transcript segments and corrections of oral evidence sessions."""

    # Recordings -------------------------------------------------------------------------------

    async def add_recording(
        self, session_id: int, filename: str, multitrack: bool, actor_id: int, now: datetime, offset_s: float = 0.0
    ) -> int:
        return await self._run(
            "INSERT INTO session_recordings (session_id, filename, multitrack, uploaded_by, created_at,"
            " started_offset_s) VALUES (?, ?, ?, ?, ?, ?)",
            (session_id, filename, int(multitrack), actor_id, to_db_time(now), offset_s),
        )

    async def add_track(self, recording_id: int, position: int, filename: str, **fields: Any) -> int:
        names = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        return await self._run(
            f"INSERT INTO session_recording_tracks (recording_id, position, filename{', ' if fields else ''}{names})"
            f" VALUES (?, ?, ?{', ' if fields else ''}{marks})",
            (recording_id, position, filename, *fields.values()),
        )

    async def queue_track(self, track_id: int, media_id: int, job_id: int) -> None:
        await self._run(
            "UPDATE session_recording_tracks SET media_id = ?, job_id = ? WHERE id = ?", (media_id, job_id, track_id)
        )

    async def finish_track(self, track_id: int, result: dict[str, Any] | None, error: str | None) -> None:
        """Keep a track's transcript (or why it failed); a track is finished once."""
        await self._run(
            "UPDATE session_recording_tracks SET status = ?, result_json = ?, error = ?"
            " WHERE id = ? AND status = 'queued'",
            ("failed" if error else "done", json.dumps(result) if result is not None else None, error, track_id),
        )

    async def tracks_for_job(self, job_id: int) -> list[RecordingTrack]:
        rows = await self._all("SELECT * FROM session_recording_tracks WHERE job_id = ? ORDER BY id", (job_id,))
        return [_track(r) for r in rows]

    async def track_results(self, recording_id: int) -> list[tuple[RecordingTrack, dict[str, Any] | None]]:
        rows = await self._all(
            "SELECT * FROM session_recording_tracks WHERE recording_id = ? ORDER BY position, id", (recording_id,)
        )
        return [(_track(r), json.loads(r["result_json"]) if r["result_json"] else None) for r in rows]

    async def recording(self, recording_id: int) -> Recording | None:
        row = await self._one("SELECT * FROM session_recordings WHERE id = ?", (recording_id,))
        if row is None:
            return None
        tracks = tuple(track for track, _ in await self.track_results(recording_id))
        data = dict(row)
        data.update(
            multitrack=bool(data["multitrack"]),
            status=RecordingStatus(data["status"]),
            created_at=from_db_time(data["created_at"]),
            finished_at=from_db_time(data["finished_at"]),
        )
        return Recording(**data, tracks=tracks)

    async def done_recordings(self, session_id: int) -> list[Recording]:
        """The session's recordings whose transcript is assembled, the most recent upload first."""
        rows = await self._all(
            "SELECT id FROM session_recordings WHERE session_id = ? AND status = 'done' ORDER BY id DESC", (session_id,)
        )
        return [await self.recording(row[0]) for row in rows]

    async def finish_recording(self, recording_id: int, status: RecordingStatus, now: datetime) -> bool:
        """Mark a recording finished; False if it already was (its transcript is assembled once)."""
        changed = await self._run(
            "UPDATE session_recordings SET status = ?, finished_at = ? WHERE id = ? AND status = 'transcribing'",
            (status.value, to_db_time(now), recording_id),
        )
        return changed > 0

    # The uncorrected transcript ---------------------------------------------------------------

    async def add_segment(self, **fields: Any) -> None:
        names = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        await self._run(f"INSERT INTO session_transcript_segments ({names}) VALUES ({marks})", tuple(fields.values()))

    async def segments(self, recording_id: int) -> list[TranscriptSegment]:
        rows = await self._all(
            "SELECT * FROM session_transcript_segments WHERE recording_id = ? ORDER BY position", (recording_id,)
        )
        return [TranscriptSegment(**dict(r)) for r in rows]

    # Corrections ------------------------------------------------------------------------------

    async def open_window(self, session_id: int, user_id: int, now: datetime, closes_at: datetime) -> None:
        await self._run(
            "INSERT INTO session_correction_windows (session_id, user_id, opened_at, closes_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (session_id, user_id) DO UPDATE SET closes_at = CASE"
            " WHEN excluded.closes_at > session_correction_windows.closes_at THEN excluded.closes_at"
            " ELSE session_correction_windows.closes_at END",
            (session_id, user_id, to_db_time(now), to_db_time(closes_at)),
        )

    async def window(self, session_id: int, user_id: int) -> CorrectionWindow | None:
        row = await self._one(
            "SELECT * FROM session_correction_windows WHERE session_id = ? AND user_id = ?", (session_id, user_id)
        )
        if row is None:
            return None
        return CorrectionWindow(
            row["session_id"], row["user_id"], from_db_time(row["opened_at"]), from_db_time(row["closes_at"])
        )

    async def add_correction(
        self,
        *,
        session_id: int,
        user_id: int,
        original: str,
        proposed: str,
        now: datetime,
        answer_id: int | None = None,
        segment_ids: tuple[int, ...] = (),
    ) -> int | None:
        """Insert a proposal of an answer's correction (``answer_id``) or a recorded passage's (``segment_ids``, the
        first naming it); None when one is already waiting for a decision on it."""
        row = await self._one(
            "INSERT INTO session_corrections (answer_id, segment_id, segment_ids, session_id, user_id, original_text,"
            " proposed_text, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (
                answer_id,
                segment_ids[0] if segment_ids else None,
                json.dumps(list(segment_ids)),
                session_id,
                user_id,
                original,
                proposed,
                to_db_time(now),
            ),
        )
        return int(row[0]) if row else None

    async def segment(self, segment_id: int) -> TranscriptSegment | None:
        row = await self._one("SELECT * FROM session_transcript_segments WHERE id = ?", (segment_id,))
        return TranscriptSegment(**dict(row)) if row else None

    async def correction(self, correction_id: int) -> Correction | None:
        row = await self._one("SELECT * FROM session_corrections WHERE id = ?", (correction_id,))
        return _correction(row) if row else None

    async def corrections(self, session_id: int, status: CorrectionDecision | None = None) -> list[Correction]:
        rows = await self._all(
            "SELECT * FROM session_corrections WHERE session_id = ? AND (CAST(? AS TEXT) IS NULL OR status = ?)"
            " ORDER BY id",
            (session_id, status and status.value, status and status.value),
        )
        return [_correction(r) for r in rows]

    async def decide_correction(
        self, correction_id: int, status: CorrectionDecision, actor_id: int, reason: str | None, now: datetime
    ) -> bool:
        changed = await self._run(
            "UPDATE session_corrections SET status = ?, reason = ?, decided_by = ?, decided_at = ?"
            " WHERE id = ? AND status = 'proposed'",
            (status.value, reason, actor_id, to_db_time(now), correction_id),
        )
        return changed > 0

    async def set_answer_correction(self, answer_id: int, status: str, corrected_text: str | None) -> None:
        """Set an answer's correction status; ``corrected_text`` None keeps the text already there."""
        await self._run(
            "UPDATE session_answers SET correction_status = ?, corrected_text = coalesce(?, corrected_text)"
            " WHERE id = ?",
            (status, corrected_text, answer_id),
        )
