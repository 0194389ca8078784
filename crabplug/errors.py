"""Errors a user can cause. Each carries one sentence the user can act on; the CLI prints it, no traceback."""

from __future__ import annotations


class CrabError(Exception):
    """Base of every user-facing error: ``str(err)`` is the sentence to print."""


class ConfigError(CrabError):
    """A config file or override is wrong (names the key and, when known, the file and line)."""


class PluginError(CrabError):
    """A plugin failed to load or registered something malformed (names the plugin)."""


class RecordError(CrabError):
    """One record cannot be processed; the pipeline writes it to failures.jsonl and goes on."""

    def __init__(self, reason: str, *, raw: str = "") -> None:
        super().__init__(reason)
        self.raw = raw


class BudgetExceeded(CrabError):
    """The run reached its ``max_cost``; it stops cleanly and resumes when re-run with a larger budget."""
