"""Queries on a server's configuration: its role and channel mapping."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from inquiry.core.models import GuildConfig

from ._base import Repo, to_db_time

_COLUMNS = (
    "chair_role_id",
    "secretariat_role_id",
    "member_role_id",
    "call_channel_id",
    "evidence_forum_id",
    "sessions_channel_id",
)


class GuildRepo(Repo):
    async def get(self, guild_id: int) -> GuildConfig | None:
        row = await self._one(
            f"SELECT guild_id, {', '.join(_COLUMNS)} FROM guild_config WHERE guild_id = ?", (guild_id,)
        )
        return GuildConfig(**dict(row)) if row else None

    async def save(self, config: GuildConfig, now: datetime) -> None:
        values = asdict(config)
        await self._run(
            f"""INSERT INTO guild_config (guild_id, {", ".join(_COLUMNS)}, updated_at)
                VALUES (:guild_id, {", ".join(":" + c for c in _COLUMNS)}, :updated_at)
                ON CONFLICT (guild_id) DO UPDATE SET
                {", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)}, updated_at = excluded.updated_at""",
            {**values, "updated_at": to_db_time(now)},
        )
