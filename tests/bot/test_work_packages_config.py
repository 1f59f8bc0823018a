"""!wp against the deployment's configuration, and handing a package to another department."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.city import LEAD, make_city
from tests.bot.conftest import ADMIN, BotHarness
from tests.bot.wp_support import add, field, refused, seed


def test_the_configured_handlungsfelder_count(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory, handlungsfelder=["Klimaschutz", "Verwaltung"])
    add(city, "Wärmeplanung --dept FB61 --hf klimaschutz")
    assert field(city, 1, "handlungsfeld") == "Klimaschutz"
    reply = refused(
        city, "!wp add Schulportal --dept FB61 --hf Bildung", ADMIN, "„Bildung“ ist kein"
    )
    assert "Klimaschutz" in reply and "Mobilität" not in reply


def test_handing_a_package_over_needs_the_receiving_department(
    bot_factory: Callable[..., BotHarness],
) -> None:
    city = make_city(bot_factory)
    seed(city)  # WP-1 belongs to FB 61, whose lead is LEAD
    refused(city, "!wp edit WP-1 fachbereich FB 68", LEAD, "Arbeitspakete für FB 68")
    # (the lead of FB 61 may manage WP-1, but not hand it to FB 68; the admin may)
    assert city.reply("!wp edit WP-1 fachbereich FB 68", sender=ADMIN).split("\n") == [
        "WP-1 geändert:",
        "- Fachbereich: FB 61 → FB 68",
    ]
