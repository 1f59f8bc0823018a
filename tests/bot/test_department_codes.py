"""A department's code has a space (``FB 68``): every option and argument that names a
department takes it without quotes, the same way ``!fb anlegen`` reads it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from board_bot.chat.framework import code_continues
from board_bot.models import Department
from tests.bot.city import LEAD, make_city
from tests.bot.conftest import ADMIN, BotHarness
from tests.bot.wp_support import wp


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


@pytest.mark.parametrize(
    ("first", "following", "joined"),
    [
        ("FB", "68", True),
        ("Amt", "13", True),
        ("Dez.", "II", True),
        ("FB", "61.2", True),
        ("FB68", "Radweg", False),
        ("FB", "Radweg", False),
        ("RPA", "--status", False),
        ("FB", "--due", False),
        ("61", "13", False),
    ],
)
def test_two_words_make_a_code_by_the_rule_of_dept_add(
    first: str, following: str, joined: bool
) -> None:
    assert code_continues(first, following) is joined


@pytest.mark.parametrize(
    "command",
    [
        "!wp add --dept FB 68 Radweg 2030",
        "!wp add Radweg 2030 --dept FB 68",
        "!wp add --dept FB68 Radweg 2030",
        '!wp add --dept "FB 68" Radweg 2030',
        "!wp add Radweg 2030 --dept fb 68 --ll 3",
    ],
)
def test_wp_add_takes_the_code_wherever_the_option_stands(city: BotHarness, command: str) -> None:
    reply = city.reply(command, sender=ADMIN)
    assert reply.startswith("WP-1 angelegt: **Radweg 2030** (FB 68 – Verkehr)"), reply
    assert wp(city, 1).title == "Radweg 2030"


def test_wp_list_takes_the_code_with_a_space(city: BotHarness) -> None:
    city.reply("!wp add Radweg --dept FB 68", sender=ADMIN)
    city.reply("!wp add Bauakte --dept FB 61", sender=ADMIN)
    for command in ("!wp list --dept FB 68", "!wp list --dept FB 68 --status geplant"):
        reply = city.reply(command, sender=LEAD)
        assert "Radweg" in reply and "Bauakte" not in reply, (command, reply)
    assert "Zu viele Angaben" not in city.reply("!wp list --dept Amt 13", sender=LEAD)


def test_an_unknown_code_is_named_whole(city: BotHarness) -> None:
    before = city.count(Department)
    reply = city.reply("!wp add --dept FB 99 Radweg", sender=ADMIN)
    assert reply.startswith("Einen Fachbereich „FB 99“ gibt es nicht."), reply
    assert city.count(Department) == before


def test_dept_rename_takes_a_new_code_without_quotes(city: BotHarness) -> None:
    reply = city.reply("!fb umbenennen FB 68 Mobilität --code FB 66", sender=ADMIN)
    assert "FB 66 – Mobilität" in reply, reply
    codes = sorted(d.code for d in city.rows(Department))
    assert codes == ["FB 13", "FB 61", "FB 66"]


def test_a_one_word_code_before_a_number_keeps_the_number_in_the_title(city: BotHarness) -> None:
    city.reply("!fb anlegen RPA Rechnungsprüfung", sender=ADMIN)
    reply = city.reply("!wp add --dept RPA 2030 Strategie", sender=ADMIN)
    assert reply.startswith("WP-1 angelegt: **2030 Strategie** (RPA – Rechnungsprüfung)"), reply
    reply = city.reply("!wp list --dept RPA 2030", sender=ADMIN)
    assert reply.startswith("Zu viele Angaben: „2030“ wird nicht erwartet."), reply
