"""How a department is named in a text."""

from __future__ import annotations

from board_bot.core.render import Safe, escape
from board_bot.models import Department


def dept_title(dept: Department) -> Safe:
    """``FB 61 – Stadtplanung``, escaped."""
    return code_and_name(dept.code, dept.name)


def code_and_name(code: object, name: object) -> Safe:
    """A department's title from its parts (also from an audit snapshot), escaped."""
    return escape(f"{code} – {name}")
