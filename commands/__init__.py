"""The chat commands. This list is the registry: no scanning, no import magic."""

from __future__ import annotations

from commands import about, board, help
from commands.framework import Registry


def build_registry() -> Registry:
    registry = Registry()
    registry.add_command(help.help_)
    registry.add_command(about.about)
    registry.add_group(board.group)
    return registry
