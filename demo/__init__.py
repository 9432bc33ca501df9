"""The offline demo: the seed inquiry run end to end against a simulated Discord, with no token or network."""

from __future__ import annotations

from .run import run_demo

__all__ = ["run_demo"]
