"""A readable account of the demo: who did what, and what the bot answered."""

from __future__ import annotations

import re
import sys
import textwrap

_TIMESTAMP = re.compile(r"( · )?<t:(\d+):[a-zA-Z]>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """Discord markdown to plain text for a terminal."""
    text = _TIMESTAMP.sub("", text)
    text = _BOLD.sub(r"\1", text)
    return text.replace("\u200b", "").replace(" · ", " - ").strip()


class Narrator:
    """Prints the conversation as it happens; quiet mode keeps only section titles out too."""

    def __init__(self, *, quiet: bool = False, width: int = 100, stream=None) -> None:
        self.quiet = quiet
        self.width = width
        self.stream = stream or sys.stdout
        self.lines: list[str] = []

    def _emit(self, line: str = "") -> None:
        self.lines.append(line)
        if not self.quiet:
            print(line, file=self.stream)

    def section(self, title: str) -> None:
        self._emit()
        self._emit(f"== {title} ==")

    def note(self, text: str) -> None:
        for line in textwrap.wrap(text, self.width):
            self._emit(f"   {line}")

    def act(self, who: str, what: str) -> None:
        self._emit(f"-> {who}: {what}")

    def bot(self, text: str | None, *, private: bool = False, limit: int = 14) -> None:
        """The bot's answer, indented, shortened to ``limit`` lines."""
        if not text:
            return
        label = "bot (only they see this)" if private else "bot"
        lines = plain(text).splitlines()
        shown = lines[:limit] + ([f"... ({len(lines) - limit} more lines)"] if len(lines) > limit else [])
        self._emit(f"   {label}:")
        for line in shown:
            for wrapped in textwrap.wrap(line, self.width - 6) or [""]:
                self._emit(f"      {wrapped}")

    def table(self, header: tuple[str, ...], rows: list[tuple]) -> None:
        widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=False)]
        for row in (header, tuple("-" * w for w in widths), *rows):
            self._emit("   " + "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=False)))
