"""Mention pills become user ids in commands (the body only has the display name)."""

from __future__ import annotations

import pytest

from board_bot.matrix.pills import command_text

PILL = '<a href="https://matrix.to/#/@j.schulz:stadt.example">Jana Schulz</a>'


@pytest.mark.parametrize(
    ("body", "formatted", "expected"),
    [
        ("!help", None, "!help"),
        ("!help", "<b>!help</b>", "!help"),  # no pill: the body as typed
        (
            "!role assign Jana Schulz vertretung FB 61",
            f"!role assign {PILL} vertretung FB 61",
            "!role assign @j.schulz:stadt.example vertretung FB 61",
        ),
        (
            "!role assign Jana vertretung",
            '!role assign <a href="https://matrix.to/#/%40j.schulz%3Astadt.example">Jana</a> x',
            "!role assign @j.schulz:stadt.example x",
        ),
        (
            "!away 01.12.2026 Urlaub & Co --for Jana",
            f"!away 01.12.2026 Urlaub &amp; Co --for {PILL}",
            "!away 01.12.2026 Urlaub & Co --for @j.schulz:stadt.example",
        ),
        (
            "!help",
            '<a href="https://matrix.to/#/!room:stadt.example">Raum</a> !help',
            "!help",  # a room link is not a person
        ),
        (
            "> quoted\n\n!role assign Jana lead",
            f"<mx-reply><blockquote>{PILL} said</blockquote></mx-reply>!role assign {PILL} lead",
            "!role assign @j.schulz:stadt.example lead",
        ),
    ],
)
def test_command_text(body: str, formatted: str | None, expected: str) -> None:
    assert command_text(body, formatted) == expected
