"""``!meine-daten`` (``!my-data``): refused in a shared room, with a pointer to the direct chat;
in the direct chat a summary and a JSON file with the sender's data, and nothing about anyone
else (bot tier, issue 16)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, col, select

from board_bot.features.privacy import messages
from board_bot.models import OutboxMessage
from tests.bot.city import DEPUTY, LEAD, MEMBER, make_city
from tests.bot.conftest import ADMIN, OTHER_ROOM, ROOM, BotHarness
from tests.bot.test_status_rounds import open_direct_rooms

LEAD_DM = "!dm-lena.lehmann:example.org"


def encrypted_rooms(bot: BotHarness, *rooms: str) -> None:
    """The rooms the bot knows as encrypted (the bot tier has no homeserver to ask)."""
    bot.dispatcher.runtime.room_encrypted = lambda room: room in rooms


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    bot = make_city(bot_factory)
    encrypted_rooms(bot, LEAD_DM, OTHER_ROOM, ROOM)
    bot.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub an der Ostsee", sender=LEAD)
    bot.reply("!abwesend 08.12.2026 Dienstreise nach Kiel", sender=DEPUTY)
    bot.reply("!ap anlegen Digitale Bauakte --dept FB 61")
    bot.reply(f"!ap bearbeiten WP-1 verantwortlich {LEAD}")
    return bot


def rows_of(bot: BotHarness) -> list[tuple[str, dict[str, Any], bytes | None]]:
    """The outbox rows of the last message: room, content, file."""
    with Session(bot.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(bot.last_ids))
            .order_by(col(OutboxMessage.id))
        ).all()
        return [(r.room_id, dict(r.content), r.attachment) for r in rows]


def ask_in_board_room(bot: BotHarness, text: str = "!meine-daten") -> list[str]:
    bodies = bot.posted(text, sender=LEAD)
    rows = rows_of(bot)
    assert [room for room, _, _ in rows] == [ROOM, LEAD]  # the refusal, the pointer to the DM
    assert all(file is None for _, _, file in rows)
    return bodies


def test_in_the_board_room_it_is_refused_and_points_to_the_direct_chat(city: BotHarness) -> None:
    refusal, pointer = ask_in_board_room(city)
    assert refusal.startswith("🔒 Ihre Daten sende ich nur im Direktchat, nicht in diesen Raum.")
    assert "`!meine-daten`" in refusal
    for private in ("Ostsee", "Bauakte", "Rolle", "Leitung", LEAD):
        assert private not in refusal
    assert pointer.startswith("🔒 Sie haben Ihre Daten angefordert. Schreiben Sie hier `!meine")
    # The pointer opens the direct room; there the data comes.
    assert open_direct_rooms(city) == {LEAD: LEAD_DM}


def test_in_the_direct_room_it_sends_the_summary_and_the_file(city: BotHarness) -> None:
    ask_in_board_room(city)
    open_direct_rooms(city)

    bodies = city.handle("!meine-daten", sender=LEAD, room=LEAD_DM)

    (room, _, _), (file_room, content, data) = rows_of(city)
    assert room == file_room == LEAD_DM
    summary = bodies[0]
    assert summary.startswith("🔒 Ihre Daten beim Smart City Board (Auskunft nach Art. 15 DSGVO):")
    assert "1 Rolle, 1 Abwesenheit, 1 Arbeitspaket, 3 Einträge im Änderungsprotokoll und" in summary
    assert "Texte, die Sie nennen" in summary
    assert "meine-daten-2026-12-07.json" in summary
    assert summary.endswith(
        "Zwecke, Empfänger, Speicherdauer und Ihre Rechte beschreibt die Datenschutzinformation "
        "der Stadt."
    )
    assert content["msgtype"] == "m.file" and content["body"] == "meine-daten-2026-12-07.json"
    assert content["info"]["mimetype"] == "application/json"

    assert data is not None
    export = json.loads(data)
    assert export["user_id"] == LEAD
    assert [(r["role"], r["department"]) for r in export["roles"]] == [("lead", "FB 61")]
    [absence] = export["absences"]
    assert (absence["starts_on"], absence["reason"]) == ("2026-12-21", "Urlaub an der Ostsee")
    assert [wp["id"] for wp in export["work_packages"]] == ["WP-1"]
    assert export["direct_room"][0]["room_id"] == LEAD_DM
    # The bot's messages and the audit entries that name them: by their id (only: a display
    # name is chosen by its holder, and no one gets the texts with a word of their choosing).
    assert export["mentioned_as"] == [LEAD]
    mentions = json.dumps(export["mentions"], ensure_ascii=False)
    assert "hat jetzt die Rolle **Leitung** in FB 61" in mentions
    assert "Verantwortlich: – → lena.lehmann" in mentions
    assert "Vertretung durch other-person" in mentions  # their absence, not who stands in
    text = data.decode("utf-8")
    for other in (DEPUTY, MEMBER, ADMIN, "Dienstreise", "dirk.decker"):  # nothing about others
        assert other not in text


def test_my_data_on_an_english_board(bot_factory: Callable[..., BotHarness]) -> None:
    bot = make_city(bot_factory, language="en")
    encrypted_rooms(bot, LEAD_DM)
    refusal, pointer = ask_in_board_room(bot, "!my-data")
    assert refusal.startswith("🔒 I send your data only in our direct chat, not into this room.")
    assert "`!my-data`" in refusal and pointer.startswith("🔒 You asked for your data.")
    open_direct_rooms(bot)

    summary = bot.handle("!my-data", sender=LEAD, room=LEAD_DM)[0]
    assert summary.startswith("🔒 Your data at the Smart City Board (access under Art. 15 GDPR):")
    assert "1 role, 1 audit log entry, and 2 texts that name you" in summary
    assert "my-data-2026-12-07.json" in summary
    assert summary.endswith("your rights are described in the city's data protection notice.")
    [(_, content, data)] = [row for row in rows_of(bot) if row[2] is not None]
    assert content["filename"] == "my-data-2026-12-07.json"
    assert json.loads(data or b"")["user_id"] == LEAD


def test_the_alias_works_and_an_argument_is_refused(city: BotHarness) -> None:
    ask_in_board_room(city, "!meinedaten")
    open_direct_rooms(city)
    [refused] = city.handle(f"!meine-daten {DEPUTY}", sender=LEAD, room=LEAD_DM)
    assert refused.startswith("Zu viele Angaben")
    assert "`!meine-daten`" in refused
    assert all(file is None for _, _, file in rows_of(city))


def test_another_persons_direct_room_and_other_rooms_are_refused(city: BotHarness) -> None:
    ask_in_board_room(city)
    open_direct_rooms(city)
    for sender, room in ((DEPUTY, LEAD_DM), (LEAD, OTHER_ROOM)):
        [refusal, _] = city.posted("!meine-daten", sender=sender, room=room)
        assert refusal.startswith("🔒 Ihre Daten sende ich nur im Direktchat")
        assert all(file is None for _, _, file in rows_of(city))


def test_a_room_with_only_the_person_and_the_bot_counts_as_direct(
    city: BotHarness,
) -> None:
    """A direct chat the person opened themselves (the bot does not keep it yet)."""
    city.dispatcher.runtime.room_members = lambda room: (
        frozenset({LEAD, "@board-bot:example.org"}) if room == OTHER_ROOM else None
    )
    bodies = city.handle("!meine-daten", sender=LEAD, room=OTHER_ROOM)
    assert bodies[0].startswith("🔒 Ihre Daten beim Smart City Board")
    assert [room for room, _, _ in rows_of(city)] == [OTHER_ROOM, OTHER_ROOM]
    # ... but not someone else in it, and not once a third person is invited.
    [refusal, _] = city.posted("!meine-daten", sender=DEPUTY, room=OTHER_ROOM)
    assert refusal.startswith("🔒 Ihre Daten sende ich nur")
    city.dispatcher.runtime.room_members = lambda room: frozenset(
        {LEAD, DEPUTY, "@board-bot:example.org"}
    )
    [refusal, _] = city.posted("!meine-daten", sender=LEAD, room=OTHER_ROOM)
    assert refusal.startswith("🔒 Ihre Daten sende ich nur")


def test_the_direct_room_with_a_third_person_invited_is_refused(city: BotHarness) -> None:
    ask_in_board_room(city)
    open_direct_rooms(city)
    city.dispatcher.runtime.room_members = lambda room: frozenset(
        {LEAD, MEMBER, "@board-bot:example.org"}
    )
    [refusal, _] = city.posted("!meine-daten", sender=LEAD, room=LEAD_DM)
    assert refusal.startswith("🔒 Ihre Daten sende ich nur")
    assert all(file is None for _, _, file in rows_of(city))


def test_an_unencrypted_direct_room_gets_no_file(city: BotHarness) -> None:
    """With encryption enabled for the bot, the file goes only into a room it knows as
    encrypted: not into an unencrypted direct chat, nor one it cannot tell."""
    ask_in_board_room(city)
    open_direct_rooms(city)
    for known in (False, None):
        city.dispatcher.runtime.room_encrypted = lambda room, known=known: known  # type: ignore[misc]
        [refusal] = city.handle("!meine-daten", sender=LEAD, room=LEAD_DM)
        assert refusal == (
            "🔒 Ihre Daten sende ich nur in einen verschlüsselten Chat, und dieser Chat ist nicht "
            "verschlüsselt. Bitte schalten Sie in seinen Einstellungen die Verschlüsselung ein "
            "und senden Sie `!meine-daten` dann noch einmal."
        )
        assert [room for room, _, _ in rows_of(city)] == [LEAD_DM]
        assert all(file is None for _, _, file in rows_of(city))
    encrypted_rooms(city, LEAD_DM)
    assert city.handle("!meine-daten", sender=LEAD, room=LEAD_DM)[0].startswith(
        "🔒 Ihre Daten beim Smart City Board"
    )


def test_without_encryption_in_the_config_the_direct_room_suffices(
    bot_factory: Callable[..., BotHarness],
) -> None:
    bot = make_city(bot_factory, language="en", encryption=False)
    [refusal] = bot.handle("!my-data", sender=LEAD, room=OTHER_ROOM)
    assert refusal.startswith("🔒 I send your data only in our direct chat")
    bot.dispatcher.runtime.room_members = lambda room: frozenset({LEAD, "@board-bot:example.org"})
    bodies = bot.handle("!my-data", sender=LEAD, room=OTHER_ROOM)  # encryption not known
    assert bodies[0].startswith("🔒 Your data at the Smart City Board")
    assert [file is not None for _, _, file in rows_of(bot)] == [False, True]


def test_the_encryption_refusal_in_english(bot_factory: Callable[..., BotHarness]) -> None:
    bot = make_city(bot_factory, language="en")
    bot.dispatcher.runtime.room_members = lambda room: frozenset({LEAD, "@board-bot:example.org"})
    [refusal] = bot.handle("!my-data", sender=LEAD, room=OTHER_ROOM)
    assert refusal == (
        "🔒 I send your data only into an encrypted chat, and this chat is not encrypted. "
        "Please turn on encryption in its settings, then send `!my-data` again."
    )


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("de", 1, "1 Stimme in einer Terminabstimmung und 1 Antwort auf eine Einladung"),
        ("de", 2, "2 Stimmen in Terminabstimmungen und 2 Antworten auf Einladungen"),
        ("en", 1, "1 vote in a slot poll and 1 answer to an invitation"),
        ("en", 2, "2 votes in slot polls and 2 answers to invitations"),
    ],
)
def test_the_summary_reads_right_in_singular_and_plural(lang: str, n: int, expected: str) -> None:
    counts = {"workshop_votes": n, "workshop_rsvps": n}
    assert expected in str(messages.summary(lang, counts, "daten.json"))


def test_the_empty_summary_still_points_to_the_file_and_the_rights() -> None:
    text = str(messages.summary("de", {}, "daten.json"))
    assert text.startswith("🔒 Zu Ihnen sind keine Rollen, Meldungen oder Einträge gespeichert.")
    assert "in der angehängten Datei daten" in text
    assert text.endswith("Ihre Rechte beschreibt die Datenschutzinformation der Stadt.")
