"""The dispatcher's answers for the Matrix side: the greeting, and giving up a failing event."""

from __future__ import annotations

from board_bot.models import HandledEvent
from tests.bot.conftest import ROOM, BotHarness


def test_the_greeting_is_sent_once_per_room(bot: BotHarness) -> None:
    first = bot.dispatcher.greet(ROOM)
    assert len(first) == 1
    [content] = bot.contents(first)
    assert "!hilfe" in content["body"] and "!board einrichten <Name>" in content["body"]
    assert content["msgtype"] == "m.notice" and content["m.mentions"] == {}
    assert "m.relates_to" not in content
    assert bot.dispatcher.greet(ROOM) == []  # a second join (or a replayed batch) is silent


def test_a_given_up_event_gets_an_apology_and_is_not_run_later(bot: BotHarness) -> None:
    message = bot.message("!board init Nie angelegt")
    ids = bot.dispatcher.give_up(message)
    [content] = bot.contents(ids)
    assert "interner Fehler" in content["body"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": message.event_id}}
    [handled] = [h for h in bot.rows(HandledEvent) if h.event_id == message.event_id]
    assert handled.outcome == "failed"

    # Delivered again (the batch is fetched again): nothing runs, nothing is said twice.
    assert bot.dispatcher.handle(message) == []
    assert bot.dispatcher.give_up(message) == []
    assert "noch kein Smart City Board" in bot.reply("!board show")
