"""A summary tells honestly what it compares (issue 14, item 2): ``seit`` looks back, a date
before the board existed or in the future is answered clearly."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.city import make_city
from tests.bot.conftest import BotHarness


def test_since_reads_a_day_and_month_as_the_past(bot_factory: Callable[..., BotHarness]) -> None:
    city = make_city(bot_factory)  # the board was set up on 07.12.2026
    assert city.reply("!bericht seit 01.11.").startswith(
        "Das Board gibt es erst seit dem 07.12.2026; vor dem 01.11.2026 gibt es nichts"
    )


def test_since_a_date_before_the_board_or_in_the_future(
    bot_factory: Callable[..., BotHarness],
) -> None:
    city = make_city(bot_factory)
    before = city.domain_state()
    assert city.reply("!bericht seit 01.01.0001").startswith(
        "Das Board gibt es erst seit dem 07.12.2026; vor dem 01.01.0001"
    )
    assert city.reply("!bericht seit 31.12.2030").startswith("Der 31.12.2030 liegt in der Zukunft.")
    assert city.domain_state() == before


def test_since_the_founding_day_heads_the_changes_with_the_date(
    bot_factory: Callable[..., BotHarness],
) -> None:
    city = make_city(bot_factory)
    reply = city.handle("!bericht seit 07.12.2026")
    assert reply  # the summary (and its chart); no error
