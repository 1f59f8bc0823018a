"""Workshops in the bot tier, with a fixed clock (Monday 07.12.2026, 09:00 in Berlin): plan, vote
by command and by reaction, the live tally with clashes, confirm with the .ics invitation and
direct messages, answers, reschedule and cancel (same UID, higher SEQUENCE), reminders, the
summary's section, and bad input that changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlmodel import Session, col, select

from board_bot.core import delivery
from board_bot.core.db import unit_of_work
from board_bot.core.events import IncomingReaction, IncomingRedaction
from board_bot.core.jobs import Run
from board_bot.core.naming import plain_names
from board_bot.core.render import plain_text
from board_bot.features.workshops import jobs as workshop_jobs
from board_bot.features.workshops import service as wss
from board_bot.models import Board, OutboxMessage, Workshop
from board_bot.scheduler import jobs as rounds
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, make_city
from tests.bot.conftest import ROOM, START, BotHarness
from tests.bot.wp_support import add

VERKEHR = "@vera.verkehr:example.org"  # lead of FB 68
# How the bot names them: the harness knows no display names.
LEAD_NAMED = "lena.lehmann (@lena.lehmann:example.org)"
DEPUTY_NAMED = "dirk.decker (@dirk.decker:other.example)"
VERKEHR_NAMED = "vera.verkehr (@vera.verkehr:example.org)"
BERLIN = ZoneInfo("Europe/Berlin")
PLAN = (
    '!workshop plan "Offene Daten im Verkehr" --depts FB 61, FB 68 --duration 2h '
    '--options "10.12. 10:00; 11.12. 14:00; 25.12. 09:00" --place "Rathaus, Raum 2.14"'
)


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    bot = make_city(bot_factory)
    bot.reply(f"!rolle zuweisen {VERKEHR} leitung FB 68")
    return bot


def deliver(bot: BotHarness) -> dict[int, str]:
    """What the outbox does when it sends: every waiting row to a room gets its event id
    (``$out<id>``), and the workshop messages learn theirs. Returns outbox id -> event id."""
    sent: dict[int, str] = {}
    with unit_of_work(bot.engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.sent_at).is_(None))).all()
        for row in rows:
            if row.room_id.startswith("@") or row.id is None:
                continue
            event_id = f"$out{row.id}"
            delivery.mark_sent(session, row.id, event_id=event_id, now=bot.clock.now())
            wss.message_sent(session, row.id, event_id, row.room_id)
            sent[row.id] = event_id
    return sent


def rows_to(bot: BotHarness, room: str) -> list[OutboxMessage]:
    with Session(bot.engine) as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.room_id == room)
                .order_by(col(OutboxMessage.id))
            )
        )


def workshop(bot: BotHarness, number: int = 1) -> Workshop:
    with Session(bot.engine) as session:
        board = session.exec(select(Board)).one()
        return wss.find(session, board.id or 0, number)


def option_event(bot: BotHarness, position: int) -> str:
    with Session(bot.engine) as session:
        ws = session.exec(select(Workshop)).one()
        event = {o.position: o.event_id for o in wss.options_of(session, ws)}[position]
        assert event is not None
        return event


def react(bot: BotHarness, sender: str, to: str, key: str, event_id: str) -> list[int]:
    ids = bot.dispatcher.reacted(IncomingReaction(event_id, ROOM, sender, to, key))
    bot.last_ids = ids
    return ids


def parsed(row: OutboxMessage) -> icalendar.Calendar:
    assert row.attachment is not None
    return icalendar.Calendar.from_ical(row.attachment)


def event_of(cal: icalendar.Calendar) -> Any:
    [event] = cal.walk("VEVENT")
    return event


def planned(bot: BotHarness) -> None:
    bodies = bot.posted(PLAN)
    assert len(bodies) == 5, bodies  # the header, three options, the tally
    deliver(bot)


def test_plan_posts_the_options_and_a_tally(city: BotHarness) -> None:
    bodies = city.posted(PLAN)
    header, one, two, three, tally = bodies
    assert header.startswith("🗓️ **Workshop 1 „Offene Daten im Verkehr“** · Terminabstimmung")
    assert "Eingeladen: FB 61, FB 68 · Dauer: 2 Std. · Ort: Rathaus, Raum 2.14" in header
    assert "`!workshop abstimmen 1 1,3`" in header
    assert one == "Workshop 1 · **Option 1:** Do., 10.12.2026, 10:00–12:00 Uhr"
    assert two == "Workshop 1 · **Option 2:** Fr., 11.12.2026, 14:00–16:00 Uhr"
    assert three == "Workshop 1 · **Option 3:** Fr., 25.12.2026, 09:00–11:00 Uhr"
    assert tally.startswith("📊 **Zwischenstand Workshop 1 „Offene Daten im Verkehr“**")
    assert "⚠️ Feiertag: Erster Weihnachtstag" in tally  # flagged before anyone votes
    ws = workshop(city)
    assert (ws.status, ws.duration_minutes, ws.place) == ("planning", 120, "Rathaus, Raum 2.14")


def test_votes_by_reaction_and_command_update_the_tally_in_place(city: BotHarness) -> None:
    city.reply("!abwesend 11.12.2026", sender=LEAD)
    planned(city)
    poll = workshop(city).poll_event_id
    assert poll is not None
    react(city, LEAD, option_event(city, 1), "👍🏽", "$r1")
    [edit] = city.contents()
    assert edit["m.relates_to"] == {"rel_type": "m.replace", "event_id": poll}
    text = edit["m.new_content"]["body"]
    assert f"Option 1 (Do., 10.12.2026, 10:00 Uhr): 1 Stimme ⭐ — FB 61: {LEAD_NAMED}" in text
    assert f"abwesend: {LEAD_NAMED}" in text  # on 11.12.: option 2 clashes
    assert react(city, LEAD, option_event(city, 1), "✅", "$r1b") == []  # said so already
    assert react(city, LEAD, option_event(city, 2), "👎", "$r2") == []  # "no" is no vote
    assert city.reply("!workshop abstimmen 1 1, 2", sender=VERKEHR) == (
        "Ihre Stimme für Workshop 1: Option 1, 2."
    )
    shown = city.reply("!workshop show 1", sender=OBSERVER)
    assert "Option 1 (Do., 10.12.2026, 10:00 Uhr): 2 Stimmen ⭐" in shown
    assert f"FB 61: {LEAD_NAMED}; FB 68: {VERKEHR_NAMED}" in shown
    assert "Option 2 (Fr., 11.12.2026, 14:00 Uhr): 1 Stimme" in shown
    # A vote by command replaces the earlier one; removing a reaction takes its vote back.
    city.reply("!workshop abstimmen 1 2", sender=VERKEHR)
    ids = city.dispatcher.redacted(IncomingRedaction("$x", ROOM, LEAD, "$r1"))
    assert ids
    shown = city.reply("!workshop zeigen 1")
    assert "Option 1 (Do., 10.12.2026, 10:00 Uhr): 0 Stimmen" in shown
    assert "Option 2 (Fr., 11.12.2026, 14:00 Uhr): 1 Stimme ⭐ — FB 68" in shown


def test_confirm_sends_the_invitation_with_its_ics_to_the_room_and_the_leads(
    city: BotHarness,
) -> None:
    planned(city)
    assert city.reply("!workshop festlegen 1 1", sender=MEMBER) == (
        "Workshops planen und ändern dürfen nur die Person, die den Workshop geplant hat, die "
        "Leitungen und Vertretungen der eingeladenen Fachbereiche sowie der Board-Vorsitz (CDO): "
        "cdo (@cdo:example.org)."
    )
    bodies = city.handle("!workshop confirm 1 1")
    assert bodies[0] == (
        "✅ Der Termin von Workshop 1 steht fest: Do., 10.12.2026, 10:00–12:00 Uhr. "
        "Die Einladung folgt."
    )
    invitation, ics_file = rows_to(city, ROOM)[-2:]
    assert invitation.content["body"].startswith("📅 **Einladung: Workshop 1")
    assert set(invitation.content["m.mentions"]["user_ids"]) == {LEAD, VERKEHR}
    assert ics_file.content["filename"] == "workshop-1.ics"
    assert ics_file.content["info"]["mimetype"] == "text/calendar"
    cal = parsed(ics_file)
    event = event_of(cal)
    ws = workshop(city)
    assert str(cal["METHOD"]) == "REQUEST"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (ws.uid, 0)
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTEND") - start == timedelta(hours=2)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["LOCATION"]) == "Rathaus, Raum 2.14"
    for lead in (LEAD, VERKEHR):  # and by direct message, with the same file
        text, file = rows_to(city, lead)
        assert text.content["body"].startswith("📅 **Einladung: Workshop 1")
        assert file.attachment == ics_file.attachment
    assert rows_to(city, DEPUTY) == []  # the lead is there: the deputy gets nothing


def test_answers_by_reaction_and_command(city: BotHarness) -> None:
    planned(city)
    city.handle("!workshop confirm 1 1")
    deliver(city)
    invitation = workshop(city).invitation_event_id
    assert invitation is not None
    react(city, LEAD, invitation, "👍", "$yes")
    react(city, DEPUTY, invitation, "🤷‍♀️", "$maybe")
    assert react(city, MEMBER, invitation, "🎉", "$party") == []  # means nothing
    assert city.reply("!workshop zusage 1 nein", sender=VERKEHR) == (
        "👎 Sie haben für Workshop 1 „Offene Daten im Verkehr“ abgesagt."
    )
    shown = city.reply("!workshop show 1")
    assert f"- Zusagen (1): {LEAD_NAMED}" in shown
    assert f"- Vielleicht (1): {DEPUTY_NAMED}" in shown
    assert f"- Absagen (1): {VERKEHR_NAMED}" in shown
    city.dispatcher.redacted(IncomingRedaction("$y", ROOM, LEAD, "$yes"))
    assert "- Zusagen (0): –" in city.reply("!workshop show 1")
    assert city.reply("!workshop zusage 1 gern").startswith("„gern“ ist keine Antwort")


def test_reschedule_and_cancel_send_updated_ics_with_the_same_uid(city: BotHarness) -> None:
    planned(city)
    city.handle("!workshop confirm 1 1")
    uid = workshop(city).uid
    assert city.handle("!workshop verschieben 1 11.12. 14:00")[0] == (
        "🔁 Workshop 1 ist auf Fr., 11.12.2026, 14:00–16:00 Uhr verschoben. Alle Eingeladenen "
        "werden benachrichtigt."
    )
    notice, update = rows_to(city, ROOM)[-2:]
    assert notice.content["body"].startswith("🔁 **Workshop 1 „Offene Daten im Verkehr“ ist")
    event = event_of(parsed(update))
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 1)
    assert event.decoded("DTSTART") == datetime(2026, 12, 11, 14, 0, tzinfo=BERLIN)
    assert len(rows_to(city, VERKEHR)) == 4  # invitation and update, each with its file
    city.handle("!workshop absagen 1")
    cancel = rows_to(city, ROOM)[-1]
    cal = parsed(cancel)
    event = event_of(cal)
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 2)
    before = city.domain_state()
    assert city.reply("!workshop confirm 1 2") == (
        "Workshop 1 ist abgesagt; daran ändert sich nichts mehr."
    )
    assert city.reply("!workshop cancel 1").startswith("Workshop 1 ist abgesagt")
    assert city.domain_state() == before


def test_a_lead_away_today_but_back_for_the_workshop_gets_the_invitation(
    city: BotHarness,
) -> None:
    city.reply("!abwesend 07.12.2026 - 08.12.2026 Urlaub", sender=LEAD)  # back on Wednesday
    planned(city)
    city.posted("!workshop confirm 1 1")  # Thursday 10.12.
    invitation, ics_file = rows_to(city, ROOM)[-2:]
    assert set(invitation.content["m.mentions"]["user_ids"]) == {LEAD, VERKEHR}
    text, file = rows_to(city, LEAD)
    assert text.content["body"].startswith("📅 **Einladung: Workshop 1")
    assert file.attachment == ics_file.attachment
    assert rows_to(city, DEPUTY) == []


def test_a_lead_away_on_the_workshop_day_is_represented_by_the_deputy(city: BotHarness) -> None:
    city.reply("!abwesend 10.12.2026 Dienstreise", sender=LEAD)  # here today, away on the day
    planned(city)
    city.posted("!workshop confirm 1 1")  # Thursday 10.12.
    invitation, ics_file = rows_to(city, ROOM)[-2:]
    assert set(invitation.content["m.mentions"]["user_ids"]) == {DEPUTY, VERKEHR}
    attendees = sorted(str(a) for a in event_of(parsed(ics_file))["ATTENDEE"])
    assert attendees == ["matrix:u/dirk.decker:other.example", "matrix:u/vera.verkehr:example.org"]
    text, file = rows_to(city, DEPUTY)
    assert text.content["body"].startswith("📅 **Einladung: Workshop 1")
    assert file.attachment == ics_file.attachment
    assert rows_to(city, LEAD) == []
    # The reminder the day before (the lead is still here then) names the deputy.
    ws_id = workshop(city).id or 0
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        day_before = datetime(2026, 12, 9, 10, 0, tzinfo=BERLIN)
        assert workshop_jobs.send_workshop_reminder(session, board, ws_id, "day", now=day_before)
    reminder = rows_to(city, ROOM)[-1]
    assert set(reminder.content["m.mentions"]["user_ids"]) == {DEPUTY, VERKEHR}


def test_a_new_slot_goes_to_the_new_days_contacts_and_to_everyone_invited_before(
    city: BotHarness,
) -> None:
    city.reply("!abwesend 11.12.2026", sender=LEAD)
    planned(city)
    city.posted("!workshop confirm 1 1")  # Thursday 10.12.: the lead is here
    assert len(rows_to(city, LEAD)) == 2 and rows_to(city, DEPUTY) == []
    city.posted("!workshop verschieben 1 11.12. 14:00")  # Friday: the lead is away
    notice, update = rows_to(city, ROOM)[-2:]
    assert set(notice.content["m.mentions"]["user_ids"]) == {DEPUTY, VERKEHR, LEAD}
    for person in (DEPUTY, LEAD):  # the stand-in, and the lead who has the old entry
        text, file = rows_to(city, person)[-2:]
        assert text.content["body"].startswith("🔁 **Workshop 1"), person
        assert file.attachment == update.attachment
    assert int(event_of(parsed(update))["SEQUENCE"]) == 1
    city.posted("!workshop absagen 1")
    cancel = rows_to(city, ROOM)[-1]
    for person in (DEPUTY, LEAD, VERKEHR):
        assert rows_to(city, person)[-1].attachment == cancel.attachment, person


def test_who_got_only_an_update_gets_the_next_one_too(city: BotHarness) -> None:
    """The deputy stood in for the second slot and has it in the calendar: moving back to a day
    the lead is here updates the deputy's entry as well."""
    city.reply("!abwesend 11.12.2026", sender=LEAD)
    planned(city)
    city.posted("!workshop confirm 1 1")  # Thursday 10.12.: the lead is here
    city.posted("!workshop verschieben 1 11.12. 14:00")  # Friday: the deputy stands in
    city.posted("!workshop verschieben 1 10.12. 16:00")  # back to Thursday
    update = rows_to(city, ROOM)[-1]
    assert int(event_of(parsed(update))["SEQUENCE"]) == 2
    for person in (DEPUTY, LEAD):
        assert rows_to(city, person)[-1].attachment == update.attachment, person


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        (
            '!workshop plan "X" --depts FB 61 --duration 2h --options "07.12.2026 08:00"',
            "Der Termin 07.12.2026, 08:00 Uhr liegt in der Vergangenheit.",
        ),
        (
            '!workshop plan "X" --depts FB 61 --duration 0 --options "10.12. 10:00"',
            "Ein Workshop muss länger als 0 Minuten dauern.",
        ),
        (
            '!workshop plan "X" --depts FB 61 --duration zwei --options "10.12. 10:00"',
            "„zwei“ ist keine Dauer.",
        ),
        (
            '!workshop plan "X" --depts FB 99 --duration 2h --options "10.12. 10:00"',
            "",
        ),
        ('!workshop plan "X" --depts FB 61 --duration 2h', "Bitte nennen Sie die Terminvorschläge"),
        (
            '!workshop plan "X" --depts FB 61 --duration 2h --options "10.12. 25:00"',
            "„10.12. 25:00“ verstehe ich nicht als Termin.",
        ),
        (
            '!workshop plan "X" --depts FB 61 --duration 2h --options "10.12. 10:00" '
            "--online javascript:alert(1)",
            "„javascript:alert(1)“ ist keine Web-Adresse",
        ),
        ("!workshop abstimmen 1 7", "Workshop 1 hat keine Option 7 (möglich sind 1 bis 3)."),
        ("!workshop abstimmen 1 eins", "„eins“ sind keine Optionsnummern"),
        ("!workshop abstimmen 9 1", "Einen Workshop 9 gibt es nicht."),
        ("!workshop confirm 1 4", "Workshop 1 hat keine Option 4"),
        ("!workshop zusage 1 ja", "Workshop 1 hat noch keinen festen Termin"),
        ("!workshop verschieben 1 12.12. 10:00", "Workshop 1 hat noch keinen festen Termin"),
    ],
)
def test_bad_input_is_answered_and_changes_nothing(
    city: BotHarness, command: str, answer: str
) -> None:
    planned(city)
    before = city.domain_state()
    reply = city.reply(command, sender=LEAD)
    assert reply.startswith(answer), reply
    assert city.domain_state() == before


def test_reminders_a_day_and_an_hour_before_once_each_and_again_after_a_new_slot(
    city: BotHarness,
) -> None:
    planned(city)
    city.handle("!workshop confirm 1 1")  # Thursday 10.12., 10:00
    start = datetime(2026, 12, 10, 10, 0, tzinfo=BERLIN)
    ws_id = workshop(city).id or 0
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        plan = rounds.catch_up(session, board, name=plain_names, prefix="!", now=START)
        assert sorted(plan.runs["workshop-reminder"], key=lambda run: run.at) == [
            Run(start - timedelta(days=1), (ws_id, "day")),
            Run(start - timedelta(hours=1), (ws_id, "hour")),
        ]
    city.reply("!workshop zusage 1 ja", sender=DEPUTY)
    day_before = start - timedelta(days=1)
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        assert workshop_jobs.send_workshop_reminder(session, board, ws_id, "day", now=day_before)
        assert not workshop_jobs.send_workshop_reminder(
            session, board, ws_id, "day", now=day_before
        )
    reminder = rows_to(city, ROOM)[-1]
    assert reminder.content["body"] == (
        "⏰ **Morgen: Workshop 1 „Offene Daten im Verkehr“**, Do., 10.12.2026, 10:00–12:00 Uhr, "
        "Rathaus, Raum 2.14. Zusagen bisher: 1."
    )
    assert set(reminder.content["m.mentions"]["user_ids"]) == {LEAD, VERKEHR, DEPUTY}
    # The bot was down at the hour: back within 20 minutes, the hour's reminder is due now;
    # later, "in one hour" would be wrong, and none is sent.
    late = start - timedelta(minutes=50)
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        assert rounds.catch_up(session, board, name=plain_names, prefix="!", now=late).runs[
            "workshop-reminder"
        ] == [Run(late, (ws_id, "hour"))]
        too_late = start - timedelta(minutes=30)
        assert (
            rounds.catch_up(session, board, name=plain_names, prefix="!", now=too_late).runs[
                "workshop-reminder"
            ]
            == []
        )
    # A new slot: both reminders are due again.
    city.clock.advance(timedelta(hours=1))
    city.handle("!workshop verschieben 1 17.12. 10:00")
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        plan = rounds.catch_up(session, board, name=plain_names, prefix="!", now=day_before)
        kinds = {run.args[1] for run in plan.runs["workshop-reminder"]}
    assert kinds == {"day", "hour"}


def test_the_list_and_the_summary_show_the_next_workshops(city: BotHarness) -> None:
    assert city.reply("!workshops").startswith("Noch keine Workshops.")
    assert "Nächste Workshops" not in city.handle("!bericht")[0]  # absent without workshops
    planned(city)
    city.handle(PLAN.replace("Offene Daten im Verkehr", "Digitale Bauakte"))
    city.handle("!workshop confirm 2 2")
    city.reply("!workshop zusage 2 ja", sender=LEAD)
    listed = city.reply("!workshops")
    assert listed.split("\n")[:3] == [
        "**Anstehende Workshops**",
        "- **Workshop 2** „Digitale Bauakte“ (FB 61, FB 68): Fr., 11.12.2026, 14:00 Uhr, 1 Zusage",
        "- **Workshop 1** „Offene Daten im Verkehr“ (FB 61, FB 68): Terminabstimmung läuft, "
        "0 Personen haben abgestimmt",
    ]
    report = city.handle("!bericht")[0]
    assert "**Nächste Workshops**" in report
    assert (
        "- **Workshop 2** „Digitale Bauakte“ (FB 61, FB 68): Fr., 11.12.2026, 14:00 Uhr" in report
    )


def confirmed(bot: BotHarness) -> None:
    planned(bot)
    bot.posted("!workshop confirm 1 1")
    deliver(bot)


def test_the_agenda_takes_items_and_proposes_blockers_and_dependencies(city: BotHarness) -> None:
    add(city, "Digitale Bauakte --dept FB 61")  # WP-1
    add(city, "Verkehrsdaten --dept FB 68")  # WP-2
    add(city, "Baustellenatlas --dept FB 68")  # WP-3
    city.reply("!wp depend WP-1 WP-2")
    city.reply("!wp edit WP-3 status blockiert")
    confirmed(city)
    shown = city.reply("!workshop tagesordnung 1")
    assert "Noch keine Punkte." in shown
    assert "- P1: WP-1 (FB 61) wartet auf WP-2 Verkehrsdaten (FB 68)" in shown
    assert "- P2: WP-3 Baustellenatlas (FB 68) ist blockiert" in shown
    city.reply("!workshop tagesordnung 1 add Begrüßung und Ziele")
    shown = city.reply("!workshop tagesordnung 1 add P1")
    assert "1. Begrüßung und Ziele\n2. WP-1 (FB 61) wartet auf WP-2 Verkehrsdaten (FB 68)" in shown
    assert "P1: WP-3 Baustellenatlas" in shown  # taken proposals are not offered again
    assert city.reply("!workshop tagesordnung 1 add P7").startswith(
        "Einen Vorschlag P7 gibt es nicht"
    )
    assert "1. WP-1 (FB 61) wartet" in city.reply("!workshop tagesordnung 1 remove 1")
    assert city.reply("!workshop tagesordnung 1 add Kaffee", sender=OBSERVER).startswith(
        "Workshops planen und ändern dürfen"
    )


def test_minutes_file_decisions_in_the_register_and_turn_actions_into_packages(
    city: BotHarness,
) -> None:
    add(city, "Digitale Bauakte --dept FB 61")  # WP-1
    confirmed(city)
    assert city.reply("!beschluss Datenportal gemeinsam betreiben", sender=LEAD).startswith(
        "Zurzeit läuft kein Protokoll."
    )
    started = city.reply("!protokoll start 1")
    assert started.startswith("📝 Das Protokoll von Workshop 1 „Offene Daten im Verkehr“ läuft.")
    assert city.reply("!protokoll start 1").startswith("Das Protokoll von Workshop 1 läuft schon.")
    assert city.reply("!beschluss Datenportal wird gemeinsam betrieben").startswith("✔️ Beschluss")
    assert city.reply(f"!aufgabe {VERKEHR} Schnittstelle beschreiben --due 15.01.2027").startswith(
        f"✔️ Aufgabe für {VERKEHR_NAMED} festgehalten"
    )
    assert "Meilenstein von WP-1" in city.reply(f"!aufgabe {LEAD} Testdaten liefern --wp WP-1")
    city.reply("!notiz Nächster Termin im Februar")
    # Bad input: an unknown person, a date in the past, a closed or missing package.
    before = city.domain_state()
    assert city.reply("!aufgabe @niemand:example.org Kaffee kochen").startswith(
        "niemand (@niemand:example.org) kennt der Bot nicht"
    )
    assert city.reply(f"!aufgabe {LEAD} Alt --due 01.12.2026").startswith(
        "Das Fälligkeitsdatum 01.12.2026 liegt in der Vergangenheit."
    )
    assert city.reply(f"!aufgabe {LEAD} X --wp WP-9").startswith("Ein Arbeitspaket WP-9 gibt es")
    assert city.reply("!aufgabe kein-name Text").startswith("„kein-name“")
    assert city.domain_state() == before
    draft = city.reply("!protokoll zeigen")
    assert "(läuft noch)" in draft and "Schnittstelle beschreiben" in draft

    minutes = city.reply("!protokoll ende")
    lines = minutes.split("\n")
    assert lines[0] == "📝 **Protokoll Workshop 1 „Offene Daten im Verkehr“**"
    assert "- **B-1** Datenportal wird gemeinsam betrieben" in lines
    assert (
        f"- {VERKEHR_NAMED}: Schnittstelle beschreiben (fällig 15.01.2027) → neues "
        "Arbeitspaket WP-2" in lines
    )
    assert f"- {LEAD_NAMED}: Testdaten liefern → Meilenstein von WP-1" in lines
    assert "- Nächster Termin im Februar" in lines
    assert plain_text(workshop(city).minutes or "") == minutes  # kept
    assert city.reply("!protokoll zeigen 1") == minutes
    new = city.reply("!wp show WP-2")
    assert "Schnittstelle beschreiben" in new and "FB 68" in new and "15.01.2027" in new
    assert "Testdaten liefern" in city.reply("!wp show WP-1")
    assert city.reply("!protokoll ende").startswith("Zurzeit läuft kein Protokoll.")
    assert city.reply("!protokoll start 1").startswith(
        "Das Protokoll von Workshop 1 ist schon abgeschlossen."
    )

    register = city.reply("!beschlüsse")
    assert register.split("\n")[1] == (
        "- **B-1** Datenportal wird gemeinsam betrieben · vorgeschlagen · aus Workshop 1"
    )
    assert city.reply("!beschlüsse status B-1 beschlossen", sender=LEAD).startswith(
        "Diesen Befehl darf nur"
    )
    assert city.reply("!beschlüsse status B-1 beschlossen") == (
        "✔️ Beschluss B-1 ist jetzt beschlossen."
    )
    assert city.reply("!beschlüsse status B-1 erledigt").startswith("„erledigt“ ist kein Stand")
    assert city.reply("!beschlüsse status B-7 umgesetzt").startswith("Einen Beschluss B-7 gibt")
    assert city.reply("!beschlüsse liste beschlossen").split("\n")[1] == (
        "- **B-1** Datenportal wird gemeinsam betrieben · beschlossen · aus Workshop 1"
    )
    assert city.reply("!beschlüsse liste umgesetzt") == "Kein Beschluss hat den Stand „umgesetzt“."
    # Outside minutes, an admin records a decision straight into the register.
    assert city.reply("!beschluss Open-Data-Leitlinie gilt für alle Fachbereiche") == (
        "✔️ Beschluss B-2 steht im Beschlussregister (vorgeschlagen)."
    )


def test_only_the_person_who_reacted_takes_a_vote_back_and_only_in_the_board_room(
    city: BotHarness,
) -> None:
    planned(city)
    react(city, LEAD, option_event(city, 1), "👍", "$mine")
    assert city.dispatcher.redacted(IncomingRedaction("$a", ROOM, MEMBER, "$mine")) == []
    assert city.dispatcher.redacted(IncomingRedaction("$b", "!dm:example.org", LEAD, "$mine")) == []
    assert "1 Stimme" in city.reply("!workshop show 1")
    assert city.dispatcher.redacted(IncomingRedaction("$c", ROOM, MEMBER, "$mine", True)) != []
    assert "Option 1 (Do., 10.12.2026, 10:00 Uhr): 0 Stimmen" in city.reply("!workshop show 1")


def test_the_ics_names_organiser_and_attendees_and_the_dm_says_where_to_answer(
    city: BotHarness,
) -> None:
    planned(city)
    city.posted("!workshop confirm 1 1")
    event = event_of(parsed(rows_to(city, ROOM)[-1]))
    assert str(event["ORGANIZER"]) == "matrix:u/cdo:example.org"
    attendees = event["ATTENDEE"]
    assert sorted(str(a) for a in attendees) == [
        "matrix:u/lena.lehmann:example.org",
        "matrix:u/vera.verkehr:example.org",
    ]
    assert "reagieren" not in str(event["DESCRIPTION"])
    text, _ = rows_to(city, LEAD)
    assert "Bitte antworten Sie mit einer Reaktion auf diese Nachricht" in text.content["body"]
    assert "im Board-Raum von Smart City Board Musterstadt" in text.content["body"]


@pytest.mark.parametrize(
    ("slot", "answer"),
    [("28.03.2027 02:30", "„28.03.2027 02:30“ gibt es nicht"), ("10.12. 10", "")],
)
def test_a_time_the_clocks_skip_is_refused(city: BotHarness, slot: str, answer: str) -> None:
    reply = city.posted(f'!workshop plan "X" --depts FB 61 --duration 90min --options "{slot}"')[0]
    assert reply.startswith(answer or "🗓️"), reply


def test_a_bare_small_duration_asks_whether_hours_were_meant(city: BotHarness) -> None:
    reply = city.reply('!workshop plan "X" --depts FB 61 --duration 2 --options "10.12. 10:00"')
    assert reply.startswith("2 Minuten sind zu kurz für einen Workshop (mindestens 15).")


def test_a_vote_whose_options_have_all_passed_is_listed_as_expired(city: BotHarness) -> None:
    planned(city)
    city.clock.advance(timedelta(days=20))  # 27.12.: after the last option (25.12.)
    listed = city.reply("!workshops")
    assert "**Vergangene und abgesagte Workshops**" in listed
    assert "Terminabstimmung abgelaufen, kein Termin festgelegt" in listed


def test_a_reaction_to_the_invitation_in_a_direct_message_answers_it(city: BotHarness) -> None:
    from tests.bot.test_status_rounds import open_direct_rooms

    planned(city)
    city.posted("!workshop confirm 1 1")
    dms = open_direct_rooms(city)
    sent = deliver(city)
    invitation, _ = rows_to(city, dms[LEAD])
    assert invitation.id is not None
    event = sent[invitation.id]
    assert react(city, LEAD, "$something-else", "👍", "$r0") == []  # not the invitation
    city.dispatcher.reacted(IncomingReaction("$dm-yes", dms[LEAD], LEAD, event, "👍"))
    assert f"- Zusagen (1): {LEAD_NAMED}" in city.reply("!workshop show 1")
    # The same event id in another room is not the invitation.
    city.dispatcher.reacted(IncomingReaction("$elsewhere", dms[VERKEHR], VERKEHR, event, "👍"))
    assert "- Zusagen (1):" in city.reply("!workshop show 1")
    # Taking the reaction back in the direct room takes the answer back.
    city.dispatcher.redacted(IncomingRedaction("$undo", dms[LEAD], LEAD, "$dm-yes"))
    assert "- Zusagen (0): –" in city.reply("!workshop show 1")
