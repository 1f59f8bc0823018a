"""A board set up like a small German city's, for the bot-tier tests of departments, roles and
absences: three departments, a lead, a deputy and a member in FB 61, an observer."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.conftest import ADMIN, BotHarness

LEAD = "@lena.lehmann:example.org"
DEPUTY = "@dirk.decker:other.example"
MEMBER = "@mia.meyer:example.org"
OBSERVER = "@ob:example.org"
STRANGER = "@fremd:example.org"

SETUP = [
    "!board init Smart City Board Musterstadt",
    "!fb anlegen FB 13 Hauptamt",
    "!fb anlegen FB 61 Stadtplanung",
    "!fb anlegen FB 68 Verkehr",
    f"!rolle zuweisen {LEAD} leitung FB 61",
    f"!rolle zuweisen {DEPUTY} vertretung FB 61",
    f"!rolle zuweisen {MEMBER} mitglied FB 61",
    f"!rolle zuweisen {OBSERVER} beobachterin",
]


def make_city(bot_factory: Callable[..., BotHarness], **settings: object) -> BotHarness:
    """A bot (no rate limit to speak of) whose board is set up as in :data:`SETUP`."""
    bot = bot_factory(rate_limit_per_minute=10_000, rate_limit_burst=10_000, **settings)
    for command in SETUP:
        bot.reply(command, sender=ADMIN)
    return bot


def fast_bot(bot_factory: Callable[..., BotHarness], **settings: object) -> BotHarness:
    return bot_factory(rate_limit_per_minute=10_000, rate_limit_burst=10_000, **settings)
