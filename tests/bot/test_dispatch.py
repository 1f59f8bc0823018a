"""The dispatcher's promises: exactly once, limits on age, size and rate, one bad handler contained,
replies that are notices, threaded to the command, and ping nobody."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from board_bot.chat.dispatcher import Dispatcher
from board_bot.chat.framework import Context, Group, Registry, Role
from board_bot.core import delivery
from board_bot.features.boards import service as boards
from board_bot.models import AuditEntry, Board, HandledEvent, OutboxMessage
from commands import build_registry
from tests.bot.conftest import ADMIN, ROOM, USER, BotHarness

APOLOGY = (
    "Entschuldigung, bei diesem Befehl ist ein interner Fehler aufgetreten. "
    "Er wurde protokolliert; bitte versuchen Sie es später noch einmal."
)
TOO_OLD = (
    "Dieser Befehl kam an, während der Bot nicht erreichbar war, und ist älter als 24 Stunden. "
    "Er wurde nicht ausgeführt; bitte senden Sie ihn erneut."
)
RATE_LIMITED = (
    "Sie senden gerade sehr viele Befehle. Bitte warten Sie einen Moment; "
    "Befehle in dieser Zeit werden nicht ausgeführt."
)


# --- exactly once -------------------------------------------------------------------------------


def test_the_same_event_twice_is_processed_once(bot: BotHarness) -> None:
    first = bot.handle("!board init Board Nord", event_id="$same")
    assert len(first) == 1
    assert bot.handle("!board init Board Nord", event_id="$same") == []
    assert bot.count(Board) == 1
    assert bot.count(AuditEntry) == 2  # the board, and its first admin
    assert bot.count(OutboxMessage) == 1
    [event] = bot.rows(HandledEvent)
    assert (event.event_id, event.room_id, event.outcome) == ("$same", ROOM, "ok")
    assert event.handled_at == bot.clock.now()


def test_the_same_event_later_and_from_another_sender_still_does_nothing(bot: BotHarness) -> None:
    bot.handle("!about", event_id="$same")
    bot.clock.advance(timedelta(hours=1))
    assert bot.handle("!about", event_id="$same", sender=USER) == []
    assert bot.count(OutboxMessage) == 1


@pytest.mark.parametrize(
    "text",
    ["Guten Morgen zusammen!", "hilfe", "!", "! hilfe", " !hilfe", "", "!\thilfe", "?hilfe"],
)
def test_a_non_command_gets_no_reply_and_is_not_recorded(bot: BotHarness, text: str) -> None:
    assert bot.handle(text) == []
    assert bot.count(HandledEvent) == 0
    assert bot.count(OutboxMessage) == 0


def test_a_crash_before_the_commit_loses_nothing_and_duplicates_nothing(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Effect, handled event and reply commit together: a crash between them leaves no trace, and
    the redelivered event is then processed normally (catalogue items 4 and 5)."""

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("process killed")

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "enqueue", crash)
        with pytest.raises(RuntimeError):
            bot.handle("!board init Board Nord", event_id="$crash")
    assert bot.count(Board) == 0
    assert bot.count(AuditEntry) == 0
    assert bot.count(HandledEvent) == 0

    assert bot.reply("!board init Board Nord", event_id="$crash").startswith(
        "Dieser Raum ist jetzt der Board-Raum von **Board Nord**."
    )
    assert bot.count(Board) == 1
    assert bot.count(AuditEntry) == 2  # the board, and its first admin


# --- age ----------------------------------------------------------------------------------------


def test_a_command_older_than_the_max_age_is_not_executed(bot: BotHarness) -> None:
    sent_at = bot.clock.now() - timedelta(hours=24, seconds=1)
    assert bot.reply("!board init Board Nord", sent_at=sent_at) == TOO_OLD
    assert bot.count(Board) == 0
    assert bot.count(AuditEntry) == 0
    [event] = bot.rows(HandledEvent)
    assert event.outcome == "too_old"


def test_a_command_exactly_at_the_max_age_is_executed(bot: BotHarness) -> None:
    sent_at = bot.clock.now() - timedelta(hours=24)
    assert "Board Nord" in bot.reply("!board init Board Nord", sent_at=sent_at)
    assert bot.count(Board) == 1


def test_the_max_age_comes_from_config(bot_factory: Any) -> None:
    bot = bot_factory(max_command_age_hours=2)
    now = bot.clock.now()
    assert "älter als 2 Stunden" in bot.reply("!about", sent_at=now - timedelta(hours=3))
    assert bot.reply("!about", sent_at=now - timedelta(hours=1)).startswith("**Smart City")


def test_the_too_old_notice_is_in_the_board_language(board_bot: BotHarness) -> None:
    board_bot.reply("!board language en")
    reply = board_bot.reply("!about", sent_at=board_bot.clock.now() - timedelta(days=2))
    assert reply == (
        "This command arrived while the bot was unreachable and is older than 24 hours. "
        "It was not carried out; please send it again."
    )


# --- size ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [8193, 100_000])
def test_a_command_over_the_size_cap_is_refused_politely(bot: BotHarness, size: int) -> None:
    text = "!board init " + "x" * (size - len("!board init "))
    shown = f"{size:,}".replace(",", ".")  # German digit grouping: 8.193, 100.000
    assert bot.reply(text) == (
        f"Diese Nachricht ist zu lang ({shown} Bytes, erlaubt sind 8.192). "
        "Bitte kürzen Sie den Befehl."
    )
    assert bot.count(Board) == 0
    [event] = bot.rows(HandledEvent)
    assert event.outcome == "too_long"


def test_the_size_cap_counts_bytes_not_characters(bot: BotHarness) -> None:
    text = "!board init " + "ä" * 4100  # 4,112 characters, 8,212 bytes
    assert bot.reply(text).startswith("Diese Nachricht ist zu lang (8.212 Bytes")
    assert bot.count(Board) == 0


def test_a_command_of_exactly_the_size_cap_is_executed(bot: BotHarness) -> None:
    text = "!about" + " " * (8192 - len("!about"))
    assert bot.reply(text).startswith("**Smart City Board Bot**")


# --- rate limit ---------------------------------------------------------------------------------


def test_a_flood_is_refused_with_one_notice_and_others_are_unaffected(bot: BotHarness) -> None:
    burst = bot.config.bot.rate_limit_burst
    for _ in range(burst):
        assert bot.reply("!about", sender=USER).startswith("**Smart City")
    assert bot.reply("!about", sender=USER) == RATE_LIMITED
    # Further refused commands are not carried out and get no further notice.
    for _ in range(5):
        assert bot.handle("!hilfe", sender=USER) == []
    # Not carried out: the admin is refused too once flooding, and no board appears.
    for _ in range(burst):
        bot.reply("!about")
    assert bot.reply("!board init Board Nord") == RATE_LIMITED
    assert bot.count(Board) == 0
    # Another user is unaffected.
    assert bot.reply("!about", sender="@bernd:example.org").startswith("**Smart City")
    # The refusals are recorded as handled, so a redelivery does not sneak through later.
    outcomes = [e.outcome for e in bot.rows(HandledEvent)]
    assert outcomes.count("rate_limited") == 7


def test_commands_written_during_a_downtime_are_no_flood(bot: BotHarness) -> None:
    """Fifteen commands written one a minute while the bot was down reach it together after
    the restart: the rate limit goes by when they were sent, so all are carried out."""
    now = bot.clock.now()
    replies = [
        bot.reply("!about", sender=USER, sent_at=now - timedelta(minutes=15 - n)) for n in range(15)
    ]
    assert all(reply.startswith("**Smart City") for reply in replies)
    assert [e.outcome for e in bot.rows(HandledEvent)].count("rate_limited") == 0
    # Fifteen sent within the same minute are a flood, handled now or later.
    minute_ago = now - timedelta(seconds=30)
    flood = [bot.handle("!about", sender=ADMIN, sent_at=minute_ago) for _ in range(15)]
    assert sum(1 for bodies in flood if bodies) == 11  # ten carried out, one notice


def test_a_lying_timestamp_does_not_get_around_the_limit(bot: BotHarness) -> None:
    """After the bot has started, commands count when they arrive: timestamps spaced out by the
    sender's homeserver, or in the future, change nothing."""
    bot.clock.advance(timedelta(minutes=1))  # running for a minute now
    now = bot.clock.now()
    spaced = [
        bot.handle("!about", sender=USER, sent_at=now + timedelta(minutes=n)) for n in range(12)
    ]
    assert sum(1 for bodies in spaced if bodies) == 11  # ten carried out, one notice
    bot.clock.advance(timedelta(seconds=3))  # one token back (20 a minute), not a day's worth
    assert bot.reply("!about", sender=USER, sent_at=now + timedelta(days=1)).startswith("**Smart")
    assert bot.reply("!about", sender=USER) == RATE_LIMITED


def test_a_flooder_is_allowed_again_after_the_clock_advances(bot: BotHarness) -> None:
    burst = bot.config.bot.rate_limit_burst
    for _ in range(burst):
        bot.reply("!about", sender=USER)
    assert bot.reply("!about", sender=USER) == RATE_LIMITED
    per_minute = bot.config.bot.rate_limit_per_minute
    bot.clock.advance(timedelta(seconds=60 / per_minute))  # one token back
    assert bot.reply("!about", sender=USER).startswith("**Smart City")
    # That one token is spent; a new run of refusals gets its one notice again.
    assert bot.reply("!about", sender=USER) == RATE_LIMITED
    assert bot.handle("!about", sender=USER) == []
    bot.clock.advance(timedelta(minutes=1))
    for _ in range(burst):
        assert bot.reply("!about", sender=USER).startswith("**Smart City")


# --- a handler that fails -----------------------------------------------------------------------

SECRET_BODY = "Vertrauliche Haushaltsplanung 4711"

explode_group = Group("test")


@explode_group.command("explode", requires=Role.ANYONE, needs_board=False)
def explode(ctx: Context, *, text: str = "") -> str:
    """Create a board, then fail as a buggy handler would"""
    boards.create(
        ctx.session,
        room_id="!half:example.org",
        name="Halb angelegt",
        language="de",
        timezone="Europe/Berlin",
        actor=ctx.sender,
        now=ctx.now,
    )
    raise RuntimeError("handler bug: list index out of range")


@pytest.fixture
def failing_bot(bot: BotHarness) -> Iterator[BotHarness]:
    registry: Registry = build_registry()
    registry.add_group(explode_group)
    bot.dispatcher = Dispatcher(
        config=bot.config,
        engine=bot.engine,
        clock=bot.clock,
        registry=registry,
        runtime=bot.dispatcher.runtime,
        handlers=bot.dispatcher.handlers,
    )
    yield bot


def test_a_failing_handler_gets_an_apology_and_its_writes_roll_back(
    failing_bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bot = failing_bot
    with caplog.at_level(logging.DEBUG):
        reply = bot.reply(f'!test explode --text "{SECRET_BODY}"', event_id="$boom")
    assert reply == APOLOGY
    assert "handler bug" not in reply and "RuntimeError" not in reply

    # The log has the traceback, but not the message body.
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.levelno == logging.ERROR
    assert "Traceback" in caplog.text
    assert "RuntimeError: handler bug" in caplog.text
    assert SECRET_BODY not in caplog.text
    assert "Vertrauliche" not in caplog.text

    # The partial writes are gone; the event is recorded as handled, with its reply.
    assert bot.count(Board) == 0
    assert bot.count(AuditEntry) == 0
    [event] = bot.rows(HandledEvent)
    assert (event.event_id, event.outcome) == ("$boom", "error")
    assert bot.count(OutboxMessage) == 1
    assert bot.handle("!test explode", event_id="$boom") == []

    # One bad handler does not stop the bot: the next command works, in the same room.
    assert "Board Nord" in bot.reply("!board init Board Nord")
    [board] = bot.rows(Board)
    assert board.name == "Board Nord"


def test_the_apology_is_in_the_board_language(failing_bot: BotHarness) -> None:
    failing_bot.reply("!board init Board Nord")
    failing_bot.reply("!board language en")
    assert failing_bot.reply("!test explode", room="!x:example.org") == APOLOGY
    assert failing_bot.reply("!test explode").startswith("Sorry, this command failed")
    assert failing_bot.count(Board) == 1


# --- the shape of every reply -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kwargs"),
    [
        ("!about", {}),
        ("!hilfe", {}),
        ("!board init Board Nord", {}),
        ("!board init Board Nord", {"sender": USER}),  # forbidden
        ("!hilf", {}),  # unknown
        ("!board init", {}),  # usage
        ("!board show", {}),  # no board
        ("!about", {"sent_at": "old"}),  # too old
        ("!about" + " " * 9000, {}),  # too long
    ],
)
def test_replies_are_notices_threaded_to_the_command_pinging_nobody(
    bot: BotHarness, text: str, kwargs: dict[str, Any]
) -> None:
    if kwargs.get("sent_at") == "old":
        kwargs["sent_at"] = bot.clock.now() - timedelta(days=3)
    bot.handle(text, event_id="$cmd:example.org", **kwargs)
    [content] = bot.contents()
    assert content["msgtype"] == "m.notice"
    assert content["m.mentions"] == {}
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd:example.org"}}
    assert content["format"] == "org.matrix.custom.html"
    assert content["formatted_body"].startswith("<")
    [row] = bot.rows(OutboxMessage)
    assert (row.room_id, row.sent_at, row.created_at) == (ROOM, None, bot.clock.now())


def test_the_reply_goes_to_the_room_of_the_command(bot: BotHarness) -> None:
    bot.handle("!about", room="!elsewhere:example.org", sender=ADMIN)
    [row] = bot.rows(OutboxMessage)
    assert row.room_id == "!elsewhere:example.org"
    assert row.id in bot.last_ids
