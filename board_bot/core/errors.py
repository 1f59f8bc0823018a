"""Errors a command may raise; the dispatcher turns them into replies.

Each carries a translation key and its parameters, never finished text, so that the reply is
rendered in the board's language.
"""

from __future__ import annotations

from typing import Any


class BotError(Exception):
    """An expected failure whose message the user may read."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class UsageError(BotError):
    """The command was typed wrongly; the reply adds the usage line."""

    usage: str | None = None


class NotFound(BotError):
    """Something the user named does not exist."""


class Forbidden(BotError):
    """The sender may not do this."""


class ConfigError(Exception):
    """The configuration is invalid; the message names every bad key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
