"""Support for the bot-tier tests of ``!wp``: the city of ``tests.bot.city`` and its packages."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from board_bot.models import WorkPackage
from tests.bot.city import LEAD
from tests.bot.conftest import ADMIN, BotHarness


def wp(bot: BotHarness, number: int) -> WorkPackage:
    """The package ``WP-<number>``, detached."""
    with Session(bot.engine, expire_on_commit=False) as session:
        found = session.exec(select(WorkPackage).where(WorkPackage.number == number)).one()
        session.expunge_all()
        return found


def field(bot: BotHarness, number: int, name: str) -> Any:
    return getattr(wp(bot, number), name)


def add(bot: BotHarness, text: str, *, sender: str = ADMIN) -> str:
    """``!wp add <text>``; the reply, which must be a success."""
    reply = bot.reply(f"!wp add {text}", sender=sender)
    assert " angelegt: " in reply, reply
    return reply


def seed(bot: BotHarness) -> None:
    """WP-1 (FB 61, by its lead) and WP-2 (FB 68, by the admin)."""
    add(bot, "Digitale Bauakte --ll 2 --hf Verwaltung --due 31.12.2026", sender=LEAD)
    add(bot, "Radverkehrsplan --dept FB68 --ll 3 --start 01.12.2026 --due 15.03.2027")


def refused(bot: BotHarness, command: str, sender: str, message: str) -> str:
    """Send ``command``; its reply must start with ``message`` and nothing may have changed."""
    before = bot.domain_state()
    reply = bot.reply(command, sender=sender)
    assert reply.startswith(message), reply
    assert bot.domain_state() == before
    return reply
