"""A whole status round in the bot tier, with a fixed clock: started by an admin and by the
schedule, prompts to the leads (or their deputies), answers in the direct room, by edit, by
``!update``, reminders to the silent only, the overview, and the bad input."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session, col, select

from board_bot.core import delivery
from board_bot.core.db import unit_of_work
from board_bot.core.events import IncomingMessage, IncomingRedaction
from board_bot.core.naming import plain_names
from board_bot.features.status_rounds import jobs as status_jobs
from board_bot.features.status_rounds import service as sr
from board_bot.models import (
    Board,
    OutboxMessage,
    StatusAnswer,
    StatusFlag,
    StatusItem,
    StatusPrompt,
    StatusRound,
)
from board_bot.scheduler import jobs as rounds
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, make_city
from tests.bot.conftest import ADMIN, ROOM, START, BotHarness
from tests.bot.wp_support import add, field
from tests.browser import measure

VERKEHR = "@vera.verkehr:example.org"  # lead of FB 68
HAUPTAMT = "@hans.haupt:example.org"  # lead of FB 13
# How the bot names them: the harness knows no display names.
LEAD_NAMED = "lena.lehmann (@lena.lehmann:example.org)"
DEPUTY_NAMED = "dirk.decker (@dirk.decker:other.example)"
HAUPTAMT_NAMED = "hans.haupt (@hans.haupt:example.org)"


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return round_city(bot_factory)


def round_city(
    bot_factory: Callable[..., BotHarness], leitlinien: tuple[int, int, int] | None = None
) -> BotHarness:
    """The city with a lead in each department and three packages (filed under
    ``leitlinien``, if given): WP-1 and WP-2 of FB 61, WP-3 of FB 68."""
    bot = make_city(bot_factory)
    bot.reply(f"!rolle zuweisen {VERKEHR} leitung FB 68")
    bot.reply(f"!rolle zuweisen {HAUPTAMT} leitung FB 13")
    filed = [f" --ll {n}" for n in leitlinien] if leitlinien else ["", "", ""]
    add(bot, f"Digitale Bauakte --dept FB 61 --due 31.03.2027{filed[0]}")  # WP-1
    add(bot, f"Geoportal --dept FB 61{filed[1]}")  # WP-2
    add(bot, f"Verkehrsdaten --dept FB 68{filed[2]}")  # WP-3
    return bot


def open_direct_rooms(bot: BotHarness) -> dict[str, str]:
    """What the outbox does before sending a direct message: a room per person, the waiting
    rows and prompts moved to it. Returns user id -> room id."""
    made: dict[str, str] = {}
    with unit_of_work(bot.engine) as session:
        people = session.exec(
            select(OutboxMessage.room_id).where(
                col(OutboxMessage.room_id).startswith("@"), col(OutboxMessage.sent_at).is_(None)
            )
        ).all()
        for user in sorted(set(people)):
            room = sr.direct_room(session, user) or f"!dm-{user[1:].split(':')[0]}:example.org"
            sr.remember_direct_room(session, user, room, bot.clock.now())
            delivery.retarget(session, user, room)
            sr.retarget_prompts(session, user, room)
            made[user] = room
    return made


def sent_to(bot: BotHarness, room: str) -> list[dict[str, Any]]:
    with Session(bot.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.room_id == room)
            .order_by(col(OutboxMessage.id))
        ).all()
        return [{**r.content, "body": plain(r.content["body"])} for r in rows]


def plain(body: str) -> str:
    """A body without its Markdown emphasis, for shorter expectations."""
    return body.replace("**", "")


def answer(bot: BotHarness, room: str, sender: str, text: str, **kwargs: Any) -> list[str]:
    msg = IncomingMessage(
        event_id=kwargs.pop("event_id", f"$answer-{len(text)}-{sender}-{bot.clock.now()}"),
        room_id=room,
        sender=sender,
        body=text,
        sent_at=kwargs.pop("sent_at", bot.clock.now()),
        **kwargs,
    )
    bot.last_ids = bot.dispatcher.handle(msg)
    return [plain(c["body"]) for c in bot.contents(bot.last_ids)]


def started(bot: BotHarness) -> dict[str, str]:
    reply = bot.reply("!status run-now")
    assert reply.startswith("▶️ Statusrunde KW 50 gestartet: 3 Fachbereiche werden abgefragt"), reply
    assert "Frist Mi., 09.12.2026, 12:00 Uhr" in reply
    return open_direct_rooms(bot)


def test_a_round_from_start_to_overview(city: BotHarness) -> None:
    dms = started(city)
    assert set(dms) == {LEAD, VERKEHR, HAUPTAMT}

    [prompt] = sent_to(city, dms[LEAD])
    body = prompt["body"]
    assert body.startswith("📋 Statusabfrage KW 50 · FB 61 – Stadtplanung")
    assert "Bitte melden Sie bis Mi., 09.12.2026, 12:00 Uhr" in body
    assert "WP-1 Digitale Bauakte · 🟢 grün · 0 % · fällig 31.03.2027" in body
    assert "Verkehrsdaten" not in body  # FB 68's package is not FB 61's business
    assert "`WP-12 gelb 60% Ausschreibung verzögert sich`" in body
    assert prompt["msgtype"] == "m.text" and prompt["m.mentions"] == {}

    city.clock.advance(timedelta(hours=1))
    [confirm] = answer(
        city,
        dms[LEAD],
        LEAD,
        "Hallo,\nWP-1 gelb 60% Ausschreibung verzögert sich\nWP-2 grün 20%\n"
        "Entscheidung nötig: Freigabe der Haushaltsmittel",
    )
    assert confirm.startswith("✅ Danke! Statusmeldung von FB 61 – Stadtplanung für KW 50")
    assert "WP-1 Digitale Bauakte: 🟡 gelb · 60 % — Ausschreibung verzögert sich" in confirm
    assert "WP-2 Geoportal: 🟢 grün · 20 %" in confirm
    assert "📣 Entscheidungsbedarf beim Board: Freigabe der Haushaltsmittel" in confirm
    assert (field(city, 1, "traffic_light"), field(city, 1, "progress")) == ("yellow", 60)
    assert field(city, 1, "traffic_reason") == "Ausschreibung verzögert sich"

    [free] = answer(city, dms[VERKEHR], VERKEHR, "Wir liegen im Plan, die Vergabe läuft.")
    assert "Als Freitext für den ganzen Fachbereich gespeichert." in free

    overview = plain(city.reply("!status", sender=OBSERVER))
    lines = overview.split("\n")
    assert lines[0] == ("Statusrunde KW 50 · Frist Mi., 09.12.2026, 12:00 Uhr · 2 von 3 gemeldet")
    assert any(line.startswith("- ⏳ FB 13 – Hauptamt: offen") for line in lines), overview
    assert any(line.startswith("- ✅ FB 61 – Stadtplanung: gemeldet") for line in lines)
    assert "- FB 61: 📣 Entscheidungsbedarf beim Board: Freigabe der Haushaltsmittel" in overview

    # The reminder goes to the silent department only, mentioning its lead.
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        rnd = session.exec(select(StatusRound)).one()
        rnd.reminders_at = [(START + timedelta(days=1)).isoformat()]
        assert (
            status_jobs.send_reminder(
                session, board, rnd.period, 1, name=plain_names, now=city.clock.now()
            )
            == 1
        )
        assert (
            status_jobs.send_reminder(
                session, board, rnd.period, 1, name=plain_names, now=city.clock.now()
            )
            == 0
        )
    [_, reminder] = sent_to(city, dms[HAUPTAMT])
    assert reminder["body"].startswith(
        f"⏰ Erinnerung an {HAUPTAMT_NAMED}: Die Statusmeldung von FB 13"
    )
    assert reminder["m.mentions"] == {"user_ids": [HAUPTAMT]}
    assert len(sent_to(city, dms[LEAD])) == 2  # prompt and confirmation, no reminder


def test_an_edit_replaces_the_answer_and_a_redaction_removes_it(city: BotHarness) -> None:
    dms = started(city)
    answer(city, dms[LEAD], LEAD, "WP-1 gelb 60% Verzug", event_id="$first")
    [corrected] = answer(
        city, dms[LEAD], LEAD, "WP-1 rot 50% Vergabe gestoppt", event_id="$edit", replaces="$first"
    )
    assert corrected.startswith("✏️ Korrektur übernommen")
    assert (field(city, 1, "traffic_light"), field(city, 1, "progress")) == ("red", 50)
    assert [(i.traffic_light, i.note) for i in city.rows(StatusItem)] == [
        ("red", "Vergabe gestoppt")
    ]
    [stored] = city.rows(StatusAnswer)
    assert stored.event_id == "$first" and stored.text == "WP-1 rot 50% Vergabe gestoppt"

    city.last_ids = city.dispatcher.redacted(
        IncomingRedaction(event_id="$redact", room_id=dms[LEAD], sender=LEAD, redacts="$first")
    )
    assert city.contents()[0]["body"].startswith("🗑️ Die gelöschte Statusmeldung")
    assert city.rows(StatusItem) == []
    [prompt] = [p for p in city.rows(StatusPrompt) if p.contact == LEAD]
    assert prompt.answered_at is None
    assert "0 von 3 gemeldet" in city.reply("!status")


def test_bad_lines_are_named_and_the_good_ones_kept(city: BotHarness) -> None:
    dms = started(city)
    [reply] = answer(
        city,
        dms[LEAD],
        LEAD,
        "WP-1 grün 140%\nWP-3 rot 10% nicht unseres\nWP-9 gelb\nWP-2 gelb 30% Personal fehlt",
    )
    assert "Nicht übernommen:" in reply
    assert "Zeile 1 „WP-1 grün 140%“: Der Fortschritt muss zwischen 0 und 100 % liegen." in reply
    assert "Zeile 2 „WP-3 rot 10% nicht unseres“: WP-3 gehört zu FB 68" in reply
    assert "Zeile 3 „WP-9 gelb“: WP-9 gibt es in diesem Board nicht." in reply
    assert "WP-2 Geoportal: 🟡 gelb · 30 % — Personal fehlt" in reply
    assert field(city, 3, "traffic_light") == "green"  # another department's package: untouched
    assert (field(city, 2, "traffic_light"), field(city, 2, "progress")) == ("yellow", 30)


def test_only_leads_and_deputies_answer(city: BotHarness) -> None:
    dms = started(city)
    # A member writing in the lead's direct room is not the lead: told so, nothing is taken.
    [refused] = answer(city, dms[LEAD], MEMBER, "WP-1 rot 0%")
    assert refused.startswith("Statusmeldungen gibt die Leitung eines Fachbereichs ab")
    assert city.rows(StatusAnswer) == []
    # The deputy may answer for the department (here with !update from the board room).
    reply = plain(city.reply("!update WP-1 gelb 10% Abstimmung läuft", sender=DEPUTY))
    assert "WP-1 Digitale Bauakte: 🟡 gelb · 10 %" in reply
    assert city.reply("!update WP-1 grün", sender=MEMBER).startswith(
        "Statusmeldungen gibt die Leitung eines Fachbereichs ab (oder ihre Vertretung)"
    )
    city.reply("!status close")
    assert city.reply("!update WP-1 grün", sender=DEPUTY).startswith(
        "Es läuft gerade keine Statusrunde, für die Sie melden könnten."
    )


def test_unchanged_carries_the_status_forward(city: BotHarness) -> None:
    dms = started(city)
    [reply] = answer(city, dms[LEAD], LEAD, "unverändert")
    assert "Stand unverändert übernommen für: WP-1, WP-2" in reply
    assert [(i.unchanged, i.traffic_light) for i in city.rows(StatusItem)] == [
        (True, "green"),
        (True, "green"),
    ]


def test_an_absent_lead_is_covered_by_the_deputy(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026 - 18.12.2026 Urlaub", sender=LEAD)
    dms = started(city)
    assert LEAD not in dms and DEPUTY in dms
    [prompt] = sent_to(city, dms[DEPUTY])
    assert f"Sie vertreten {LEAD_NAMED}; die Leitung ist abwesend." in prompt["body"]
    overview = city.reply("!status")
    assert (
        f"🌴 {LEAD_NAMED} ist bis 18.12.2026 abwesend, vertreten durch {DEPUTY_NAMED}" in overview
    )


def test_a_second_start_prompts_nobody_twice(city: BotHarness) -> None:
    started(city)
    prompts = city.count(StatusPrompt)
    rows = city.count(OutboxMessage)
    assert city.reply("!status run-now").startswith("Die Statusrunde KW 50 läuft schon")
    with unit_of_work(city.engine) as session:  # the scheduled job of the same week
        board = session.exec(select(Board)).one()
        assert not status_jobs.start_planned_round(
            session, board, "2026-W50", name=plain_names, now=START
        )
    assert (city.count(StatusPrompt), city.count(OutboxMessage)) == (prompts, rows + 1)


def test_run_now_and_close_are_for_admins(city: BotHarness) -> None:
    assert city.reply("!status run-now", sender=LEAD).startswith(
        "Diesen Befehl darf nur der Board-Vorsitz (CDO)"
    )
    started(city)
    assert city.reply("!status close", sender=LEAD).startswith(
        "Diesen Befehl darf nur der Board-Vorsitz (CDO)"
    )
    assert city.reply("!status close") == (
        "⏹️ Statusrunde KW 50 abgeschlossen. Gemeldet: 0 von 3 Fachbereichen."
    )
    # The round's summary and chart follow the reply in the board room, once.
    reply, summary, chart = sent_to(city, ROOM)[-3:]
    assert reply["body"].startswith("⏹️ Statusrunde KW 50 abgeschlossen")
    assert summary["body"].startswith("📊 Lagebericht Smart City Board Musterstadt · KW 50")
    assert chart["msgtype"] == "m.image"
    assert (
        city.reply("!status close") == "Es läuft keine Statusrunde, die geschlossen werden könnte."
    )


def test_the_schedule_is_shown_and_changed(city: BotHarness) -> None:
    shown = city.reply("!status schedule")
    assert "wöchentlich" in shown and "nächste Runde: KW 51, Mo., 14.12.2026, 09:00 Uhr" in shown
    saved = city.reply(
        "!status schedule 14-täglich Abfrage Di 08:30 Erinnerung Mi 10:00 Frist Do 12:00"
    )
    assert saved.startswith("Zeitplan gespeichert: alle zwei Wochen")
    assert city.reply("!status zeitplan Abfrage Mo 25:00").startswith(
        "„Mo 25:00“ ist kein Zeitpunkt"
    )
    assert city.reply(
        "!status zeitplan Frist So 12:00 Abfrage Mo 09:00 Erinnerung Mo 08:00"
    ).startswith("Der Zeitplan passt so nicht")
    assert city.reply("!status schedule Abfrage Mo 09:00", sender=LEAD).startswith(
        "Diesen Befehl darf nur der Board-Vorsitz (CDO)"
    )


def test_a_scheduled_round_is_started_once_and_late_within_grace(
    city: BotHarness,
) -> None:
    """The job of Monday 09:00 runs at 10:30 (the bot was down): the round starts, marked late."""
    late = START + timedelta(hours=1, minutes=30)
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        plan = rounds.catch_up(session, board, name=plain_names, prefix="!", now=late)
    [rnd] = city.rows(StatusRound)
    assert (rnd.period, rnd.late, rnd.started_by) == ("2026-W50", True, "schedule")
    assert [run.args for run in plan.runs["prompt"]] == [("2026-W51",)]
    assert [run.args for run in plan.runs["reminder"]] == [("2026-W50", 1)]
    dms = open_direct_rooms(city)
    [prompt] = sent_to(city, dms[LEAD])
    assert "Diese Abfrage kommt verspätet" in prompt["body"]


def test_a_round_missed_beyond_grace_is_reported_once(city: BotHarness) -> None:
    too_late = START + timedelta(hours=7)
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        rounds.catch_up(session, board, name=plain_names, prefix="!", now=too_late)
        rounds.catch_up(
            session, board, name=plain_names, prefix="!", now=too_late + timedelta(minutes=5)
        )
    assert city.rows(StatusRound) == []
    [notice] = sent_to(city, ROOM)[-1:]
    assert notice["m.mentions"] == {"user_ids": [ADMIN]}  # the admins can start it by hand
    assert notice["body"].startswith("⚠️ Die Statusrunde KW 50 (geplant Mo., 07.12.2026, 09:00 Uhr)")
    assert sum("ist ausgefallen" in c["body"] for c in sent_to(city, ROOM)) == 1


def test_answers_after_the_deadline_are_marked_late(city: BotHarness) -> None:
    dms = started(city)
    city.clock.advance(timedelta(days=3))
    [reply] = answer(city, dms[VERKEHR], VERKEHR, "WP-3 grün 80%")
    assert "Die Frist war schon abgelaufen" in reply
    assert "verspätet gemeldet" in city.reply("!status")


def test_chat_in_the_board_room_is_no_answer(city: BotHarness) -> None:
    started(city)
    assert answer(city, ROOM, LEAD, "Guten Morgen zusammen!") == []
    assert city.rows(StatusAnswer) == []
    assert city.rows(StatusFlag) == []


def test_wp_show_has_the_last_status_lines_of_the_rounds(city: BotHarness) -> None:
    dms = started(city)
    answer(city, dms[LEAD], LEAD, "WP-1 gelb 60% Ausschreibung verzögert sich")
    shown = plain(city.reply("!wp show WP-1"))
    tail = shown.split("Letzte Statusmeldungen aus den Runden\n", 1)[1]
    assert tail == "- 07.12.2026 · 🟡 gelb · 60 % — Ausschreibung verzögert sich"


def test_an_admin_reminds_the_silent_now(city: BotHarness) -> None:
    dms = started(city)
    answer(city, dms[LEAD], LEAD, "unverändert")
    assert (
        city.reply("!status erinnern") == "⏰ Erinnerung an 2 Fachbereiche verschickt: FB 13, FB 68"
    )
    assert len(sent_to(city, dms[HAUPTAMT])) == 2 and len(sent_to(city, dms[LEAD])) == 2
    answer(city, dms[HAUPTAMT], HAUPTAMT, "unverändert")
    answer(city, dms[VERKEHR], VERKEHR, "unverändert")
    assert city.reply("!status remind") == (
        "Alle Fachbereiche haben für KW 50 gemeldet; niemand muss erinnert werden."
    )


def test_a_second_round_in_the_same_week_after_closing(city: BotHarness) -> None:
    started(city)
    city.reply("!status close")
    reply = city.reply("!status run-now")
    assert reply.startswith("▶️ Statusrunde KW 50 (2. Runde) gestartet"), reply
    assert plain(city.reply("!status")).startswith("Statusrunde KW 50 (2. Runde) · Frist")


def test_in_a_department_room_only_replies_to_the_prompt_or_package_lines_count(
    city: BotHarness,
) -> None:
    city.reply("!fb raum FB 68 !verkehr:example.org")
    started(city)
    with unit_of_work(city.engine) as session:  # the outbox sent the prompt: its event id
        prompt = session.exec(
            select(StatusPrompt).where(StatusPrompt.room_id == "!verkehr:example.org")
        ).one()
        prompt.event_id = "$prompt68"
        session.add(prompt)
    room = "!verkehr:example.org"
    assert answer(city, room, VERKEHR, "Danke, sehe ich genauso!", reply_to="$chat") == []
    assert answer(city, room, VERKEHR, "Guten Morgen") == []
    [reply] = answer(city, room, VERKEHR, "Alles im Plan.", reply_to="$prompt68")
    assert "Als Freitext" in reply
    # In a thread under the prompt (the reply is the thread's fallback, not a real one).
    assert answer(city, room, VERKEHR, "Moin zusammen", thread_root="$chat") == []
    [threaded] = answer(city, room, VERKEHR, "Weiter im Plan.", thread_root="$prompt68")
    assert "Als Freitext" in threaded
    assert city.contents()[0]["m.relates_to"]["event_id"] == "$prompt68"  # stays in the thread
    [lines] = answer(city, room, VERKEHR, "WP-3 gelb 40% Zählstellen fehlen")
    assert "WP-3 Verkehrsdaten: 🟡 gelb · 40 %" in lines
    # Someone who does not answer for FB 68 is told so, and nothing is stored.
    [refused] = answer(city, room, MEMBER, "WP-3 rot 10%")
    assert refused.startswith("Statusmeldungen gibt die Leitung eines Fachbereichs ab")
    assert field(city, 3, "traffic_light") == "yellow"
    assert answer(city, room, MEMBER, "Kaffee jemand?") == []


def test_a_redaction_counts_only_from_the_author_in_the_answers_room(city: BotHarness) -> None:
    dms = started(city)
    answer(city, dms[LEAD], LEAD, "WP-1 gelb 60% Verzug", event_id="$mine")
    for sender, room, moderator in ((MEMBER, dms[LEAD], False), (LEAD, ROOM, False)):
        city.last_ids = city.dispatcher.redacted(
            IncomingRedaction(f"$r-{sender}-{room}", room, sender, "$mine", moderator)
        )
        assert city.last_ids == []
    assert city.rows(StatusAnswer)[0].removed_at is None
    city.dispatcher.redacted(IncomingRedaction("$mod", dms[LEAD], ADMIN, "$mine", True))
    [stored] = city.rows(StatusAnswer)
    assert stored.removed_at is not None and stored.text == ""  # our copy is gone too


def test_an_answer_synced_late_is_judged_by_when_it_was_written(city: BotHarness) -> None:
    dms = started(city)
    written = START + timedelta(days=2, hours=2, minutes=50)  # Wed 11:50 Berlin; deadline 12:00
    city.clock.advance(timedelta(days=2, hours=3, minutes=20))  # the bot sees it at 12:20
    [reply] = answer(city, dms[VERKEHR], VERKEHR, "WP-3 grün 80%", sent_at=written)
    assert "Frist war schon abgelaufen" not in reply
    assert city.rows(StatusAnswer)[0].late is False


def test_a_reply_of_only_refused_lines_leaves_the_department_unanswered(
    city: BotHarness,
) -> None:
    dms = started(city)
    [reply] = answer(city, dms[LEAD], LEAD, "WP-9 gelb 50%")
    assert "WP-9 gibt es in diesem Board nicht." in reply
    [prompt] = [p for p in city.rows(StatusPrompt) if p.contact == LEAD]
    assert prompt.answered_at is None


def test_an_update_whose_every_line_is_refused_stores_nothing_and_says_so(
    city: BotHarness,
) -> None:
    dms = started(city)
    reply = plain(city.reply("!update WP-9 gelb 50%\nWP-3 rot Verzug", sender=LEAD))
    assert "gespeichert" not in reply and "Danke" not in reply
    assert reply.startswith(
        "⚠️ Nichts übernommen: Die Statusmeldung von FB 61 – Stadtplanung für KW 50 steht noch aus."
    ), reply
    assert "Zeile 1 „WP-9 gelb 50%“: WP-9 gibt es in diesem Board nicht." in reply
    assert "Zeile 2 „WP-3 rot Verzug“: WP-3 gehört zu FB 68" in reply
    assert reply.endswith(
        "Stimmt etwas nicht? Bearbeiten Sie Ihre Nachricht; die Meldung wird ersetzt."
    )
    assert field(city, 3, "traffic_light") == "green"

    # Everyone who asks agrees that FB 61 has not reported: !status, its reminder, the summary.
    overview = plain(city.reply("!status"))
    assert "0 von 3 gemeldet" in overview
    assert any(line.startswith("- ⏳ FB 61 – Stadtplanung: offen") for line in overview.split("\n"))
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        rnd = session.exec(select(StatusRound)).one()
        rnd.reminders_at = [(START + timedelta(days=1)).isoformat()]
        assert (
            status_jobs.send_reminder(
                session, board, rnd.period, 1, name=plain_names, now=city.clock.now()
            )
            == 3
        )
    [_, reminder] = sent_to(city, dms[LEAD])
    assert reminder["body"].startswith(
        f"⏰ Erinnerung an {LEAD_NAMED}: Die Statusmeldung von FB 61"
    )
    report = plain(city.handle("!bericht")[0]).split("\n")
    silent = report[report.index("Nicht gemeldet (3)") + 1 :]
    assert any(line.startswith("- FB 61 – Stadtplanung") for line in silent), report
    assert city.reply("!status close").startswith(
        "⏹️ Statusrunde KW 50 abgeschlossen. Gemeldet: 0 von 3 Fachbereichen."
    )


def test_one_good_line_is_stored_and_thanked_for(city: BotHarness) -> None:
    started(city)
    reply = plain(city.reply("!update WP-9 gelb 50%\nWP-1 gelb 40% Verzug", sender=LEAD))
    assert reply.startswith(
        "✅ Danke! Statusmeldung von FB 61 – Stadtplanung für KW 50 gespeichert."
    )
    assert "Zeile 1 „WP-9 gelb 50%“: WP-9 gibt es in diesem Board nicht." in reply
    assert "WP-1 Digitale Bauakte: 🟡 gelb · 40 % — Verzug" in reply
    assert "1 von 3 gemeldet" in city.reply("!status")


def test_an_edit_that_takes_nothing_makes_the_department_unanswered_again(
    city: BotHarness,
) -> None:
    dms = started(city)
    answer(city, dms[LEAD], LEAD, "WP-1 gelb 60% Verzug", event_id="$first")
    assert "1 von 3 gemeldet" in city.reply("!status")
    [edited] = answer(city, dms[LEAD], LEAD, "WP-9 gelb", event_id="$edit", replaces="$first")
    assert edited.startswith("⚠️ Nichts übernommen: Die Statusmeldung von FB 61"), edited
    assert "0 von 3 gemeldet" in city.reply("!status")
    # With another answer that took, the department stays answered and is told so.
    answer(city, dms[LEAD], LEAD, "WP-2 grün 10%", event_id="$second")
    [again] = answer(city, dms[LEAD], LEAD, "WP-8 rot", event_id="$edit2", replaces="$second")
    assert "Nichts übernommen" in again  # the first answer took nothing either now
    answer(city, dms[LEAD], LEAD, "WP-1 rot 50% Verzug", event_id="$edit3", replaces="$first")
    [kept] = answer(city, dms[LEAD], LEAD, "WP-7 rot", event_id="$edit4", replaces="$second")
    assert kept.startswith("⚠️ Aus dieser Nachricht wurde nichts übernommen."), kept
    assert "1 von 3 gemeldet" in city.reply("!status")


def test_after_a_downtime_only_the_latest_missed_reminder_is_planned(city: BotHarness) -> None:
    started(city)
    with unit_of_work(city.engine) as session:
        rnd = session.exec(select(StatusRound)).one()
        rnd.reminders_at = [
            (START + timedelta(hours=1)).isoformat(),  # missed
            (START + timedelta(hours=2)).isoformat(),  # missed
            (START + timedelta(hours=5)).isoformat(),  # ahead
        ]
        board = session.exec(select(Board)).one()
        plan = rounds.catch_up(
            session, board, name=plain_names, prefix="!", now=START + timedelta(hours=3)
        )
    assert [number for _, number in (run.args for run in plan.runs["reminder"])] == [2, 3]


def test_a_reminder_by_hand_does_not_cancel_the_scheduled_one(city: BotHarness) -> None:
    dms = started(city)
    city.reply("!status erinnern")  # Monday: FB 13, FB 61, FB 68 reminded by hand
    answer(city, dms[LEAD], LEAD, "unverändert")
    city.clock.advance(timedelta(days=1, hours=1))  # Tuesday 10:00, the scheduled reminder
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        assert (
            status_jobs.send_reminder(
                session, board, "2026-W50", 1, name=plain_names, now=city.clock.now()
            )
            == 2
        )


def test_the_summary_on_demand(city: BotHarness) -> None:
    city.reply("!wp edit WP-1 leitlinie 2")
    city.reply("!wp edit WP-3 leitlinie 3")
    city.reply("!wp edit WP-3 fällig 01.12.2026")
    dms = started(city)
    answer(
        city,
        dms[LEAD],
        LEAD,
        "WP-1 rot 20% Vergabe gestoppt\nAn die Oberbürgermeisterin: Mittel für WP-1 freigeben",
    )
    text, image = city.handle("!bericht", sender=OBSERVER)  # observers may ask
    report = plain(text)
    lines = report.split("\n")
    assert lines[0] == ("📊 Lagebericht Smart City Board Musterstadt · KW 50 · Stand 07.12.2026")
    # The first screen: the headline, the mayor's decision, the Leitlinien by name.
    assert lines[1:10] == [
        "1 Entscheidung für Sie · 1 Paket kritisch · 2 im Plan",
        "",
        "- Für Sie: Mittel für WP-1 freigeben · FB 61, WP-1 · seit 07.12.2026",
        "",
        "Leitlinien",
        "⚪ Ziele & Strategien: nichts offen",
        "🔴 Transparenz & Teilhabe: rot",
        "🟢 Infrastruktur & Daten: grün",
        "⚪ Ressourcen & Kooperation: nichts offen",
    ]
    content, chart = city.contents()
    html = content["formatted_body"]
    assert chart["msgtype"] == "m.image" and chart["filename"] == "ampeln-2026-12-07.png"
    assert chart["info"]["mimetype"] == "image/png" and chart["info"]["w"] > 0
    assert (
        image
        == chart["body"]
        == (
            "Ampeln je Leitlinie, jetzt. Ziele & Strategien: jetzt nichts offen. "
            "Transparenz & Teilhabe: jetzt rot. Infrastruktur & Daten: jetzt grün. "
            "Ressourcen & Kooperation: jetzt nichts offen."
        )
    )
    # Below it, folded: each Leitlinie's packages, and the rest.
    assert (
        "<details><summary><strong>Transparenz &amp; Teilhabe</strong>: 🔴 rot (1 offen)</summary>"
        in html
    )
    assert (
        "- WP-1 Digitale Bauakte (FB 61) · 🔴 seit heute rot (Vergabe gestoppt) · 20 % · "
        "fällig 31.03.2027" in lines
    )
    assert ":::" not in content["body"] and ":::" not in html
    # The decision is there in full on the first screen: no second list of it.
    assert "Entscheidungsbedarf" not in report
    assert "- WP-3 Verkehrsdaten (FB 68): grün, aber Frist 01.12.2026 überschritten" in lines
    assert "- WP-3 Verkehrsdaten, fällig 01.12.2026" in lines
    assert any(line.startswith("- FB 13 – Hauptamt") for line in lines)  # not reported
    only = plain(city.reply("!summary fb FB 68"))
    assert "Nur: FB 68" in only and "Vergabe gestoppt" not in only
    assert city.reply("!summary kw 2").startswith("Für KW 2/2026 gibt es keine Statusrunde.")
    assert city.reply("!bericht kw 51").startswith("Für KW 51/2025 gibt es")  # the latest KW 51
    assert city.reply("!bericht kw 60") == (
        "„60“ ist keine Kalenderwoche. Beispiele: `kw 48`, `kw 48/2025`, `2025-W48`.\n\n"
        "Aufruf: `!bericht kw <Woche>`"
    )
    assert city.reply("!bericht kw 53").startswith("Für KW 53/2020 gibt es")  # the last KW 53
    for week in ("kw 50", "KW50", "50", "50/2026", "kw 50/26", "kw 50 2026", "2026-W50"):
        assert plain(city.handle(f"!bericht {week}")[0]).startswith(
            "📊 Lagebericht Smart City Board Musterstadt · KW 50"
        ), week
    assert city.reply("!summary morgen").startswith(
        "`!summary` kennt den Befehl „morgen“ nicht. Meinten Sie `!summary zeigen` oder "
    )


def test_the_next_summary_shows_trends_and_changes_since_the_closed_round(
    city: BotHarness,
) -> None:
    city.reply("!wp edit WP-1 leitlinie 2")
    started(city)
    city.reply("!status close")  # keeps every package's state
    city.reply("!wp edit WP-1 ampel rot Vergabe gestoppt")
    text, image = city.handle("!bericht")
    report = plain(text)
    assert "Leitlinien · Trend seit KW 50\n" in report
    assert "🔴 Transparenz & Teilhabe: rot, schlechter\n" in report
    assert "- WP-1 Digitale Bauakte (FB 61) · 🔴 seit heute rot (Vergabe gestoppt)" in report
    assert "Verändert seit KW 50 (1; vorher → jetzt)\n" in report
    assert "- WP-1 Digitale Bauakte: 🟢 grün 0 % → 🔴 rot 0 %" in report
    assert image.startswith(
        "Ampeln je Leitlinie, KW 50 bis jetzt. Ziele & Strategien: KW 50 bis jetzt nichts "
        "offen. Transparenz & Teilhabe: KW 50 grün, jetzt rot."
    )


def test_a_summary_missed_at_the_deadline_is_posted_once_on_return(city: BotHarness) -> None:
    started(city)
    after_deadline = START + timedelta(days=3)  # Thursday: the bot was down on Wednesday
    with unit_of_work(city.engine) as session:
        board = session.exec(select(Board)).one()
        first = rounds.catch_up(session, board, name=plain_names, prefix="!", now=after_deadline)
        again = rounds.catch_up(
            session, board, name=plain_names, prefix="!", now=after_deadline + timedelta(minutes=5)
        )
    assert first.runs["summary"] == [] and again.runs["summary"] == []
    posted = [c for c in sent_to(city, ROOM) if c["body"].startswith("📊 Lagebericht")]
    assert len(posted) == 1 and "KW 50" in posted[0]["body"]


def test_the_summary_export_for_the_committee(city: BotHarness) -> None:
    city.reply("!wp edit WP-1 leitlinie 2")
    started(city)
    city.reply("!wp edit WP-1 ampel gelb <b>Personal</b> fehlt")
    bodies = city.handle("!bericht export")
    assert len(bodies) == 4
    assert bodies[0].startswith(
        "📎 Der Lagebericht für den Hauptausschuss: **lagebericht-2026-12-07.pdf** zum Drucken"
    )
    files = exported(city)
    assert list(files) == [
        "lagebericht-2026-12-07.pdf",
        "lagebericht-2026-12-07.html",
        "lagebericht-2026-12-07.md",
    ]
    page = files["lagebericht-2026-12-07.html"].decode()
    assert page.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # The header, then the chart first, then what needs the mayor, then the parts.
    order = [
        "<h1>Lagebericht KW 50</h1>",
        '<figure class="chart">',
        '<div class="first-screen">',
        "<h2>Die Leitlinien im Einzelnen</h2>",
        "<h3><strong>Transparenz &amp; Teilhabe</strong>: 🟡 gelb (1 offen)</h3>",
        "<h2>Weitere Angaben</h2>",
    ]
    assert [page.index(part) for part in order] == sorted(page.index(part) for part in order)
    assert '<img src="data:image/png;base64,' in page  # the chart, embedded
    assert "&lt;b&gt;Personal&lt;/b&gt;" in page and "<b>Personal" not in page
    assert "size: A4" in page and "break-before: page" in page
    assert (
        files["lagebericht-2026-12-07.md"]
        .decode()
        .startswith("📊 **Lagebericht Smart City Board Musterstadt**")
    )
    pdf = PdfReader(io.BytesIO(files["lagebericht-2026-12-07.pdf"]))
    assert len(pdf.pages) == 3  # the overview, the Leitlinien, the rest
    first, second, third = (" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Lagebericht KW 50" in first and "Ampeln je Leitlinie" in first
    assert "Transparenz & Teilhabe: gelb" in first
    assert "Smart City Board Musterstadt · KW 50 · 07.12.2026" in second  # its header
    assert "Die Leitlinien im Einzelnen" in second and "<b>Personal</b> fehlt" in second
    assert "Weitere Angaben" in third and "Nicht gemeldet (3)" in third
    assert third.endswith("3 / 3")


def exported(city: BotHarness) -> dict[str, bytes]:
    """The files the last command posted, by name, in order."""
    with Session(city.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.id).in_(city.last_ids))
            .order_by(col(OutboxMessage.id))
        ).all()
        return {r.content["filename"]: bytes(r.attachment) for r in rows if r.attachment}


@pytest.mark.parametrize("width", [390, 1280])
def test_the_export_reads_on_a_phone_and_a_desktop(city: BotHarness, width: int) -> None:
    """Laid out by Chromium at a phone's and a desktop's width: nothing wider than the screen,
    no text smaller than 12 px."""
    city.reply("!wp edit WP-1 leitlinie 2")
    started(city)
    city.reply("!wp edit WP-1 ampel gelb Eine-sehr-lange-Begründung-ohne-Leerzeichen-" + "x" * 80)
    city.handle("!bericht export")
    page = exported(city)["lagebericht-2026-12-07.html"].decode()
    measured = measure(page, width)
    assert measured["scroll_width"] <= width and not measured["too_wide"], measured
    assert measured["smallest_font_px"] >= 12, measured


def test_the_summary_since_a_date(city: BotHarness) -> None:
    city.reply("!wp edit WP-1 leitlinie 2")
    started(city)
    city.reply("!status close")  # kept: WP-1 green
    city.clock.advance(timedelta(days=7))
    city.reply("!status run-now")
    city.reply("!status close")  # kept: WP-1 green again
    city.reply("!wp edit WP-1 fortschritt 50")
    text = plain(city.handle("!bericht seit 07.12.2026")[0])
    assert "Verändert seit 07.12.2026" in text  # the heading says what is compared
    assert "Nur:" not in text
    assert "- WP-1 Digitale Bauakte: 🟢 grün 0 % → 🟢 grün 50 %" in text
    assert city.reply("!bericht seit") == (
        "Es fehlt die Angabe `<Datum>`.\n\nAufruf: `!bericht seit <Datum>`"
    )


def test_an_extra_room_gets_the_summary_after_the_round(city: BotHarness) -> None:
    assert city.reply("!bericht raum !ob-buero:example.org", sender=LEAD).startswith(
        "Diesen Befehl darf nur der Board-Vorsitz (CDO)"
    )
    assert city.reply("!bericht raum !ob-buero:example.org") == (
        "Der Lagebericht geht nach jeder Runde auch in den Raum !ob-buero:example.org (der Bot "
        "muss dort Mitglied sein)."
    )
    assert city.reply("!bericht raum kein-raum").startswith("„kein-raum“")
    started(city)
    city.reply("!status close")
    assert "im Board-Raum, im Raum !ob-buero:example.org" in city.reply("!board show")
    [summary, chart] = sent_to(city, "!ob-buero:example.org")
    assert summary["body"].startswith("📊 Lagebericht") and chart["msgtype"] == "m.image"
    city.reply("!bericht raum aus")
    city.reply("!status run-now")
    city.reply("!status close")
    assert len(sent_to(city, "!ob-buero:example.org")) == 2  # no more


def test_a_thread_of_the_board_room_gets_a_copy_of_the_summary_after_the_round(
    city: BotHarness,
) -> None:
    root = "$wochenberichte:example.org"
    assert city.reply("!bericht thread", thread=root, sender=LEAD).startswith(
        "Diesen Befehl darf nur der Board-Vorsitz (CDO)"
    )
    assert city.reply("!bericht thread").startswith(
        "Schreiben Sie `!bericht thread` in den Thread des Board-Raums"
    )
    assert city.reply("!bericht thread bitte", thread=root).startswith("Schreiben Sie")
    city.handle("!bericht thread", thread=root, event_id="$cmd:example.org")
    [reply] = city.contents()
    assert reply["body"] == "Der Lagebericht geht nach jeder Runde auch in diesen Thread."
    assert reply["m.relates_to"] == {  # the reply to a command in a thread stays in it
        "rel_type": "m.thread",
        "event_id": root,
        "is_falling_back": False,
        "m.in_reply_to": {"event_id": "$cmd:example.org"},
    }
    assert "als Kopie im Berichts-Thread" in city.reply("!board show")
    started(city)
    city.reply("!status close")
    posted = [c for c in sent_to(city, ROOM) if c["body"].startswith("📊 Lagebericht")]
    main, copy = posted
    assert "m.relates_to" not in main  # the room's timeline gets it as before
    assert copy["body"] == main["body"]
    assert copy["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": root,
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": root},
    }
    charts = [c for c in sent_to(city, ROOM) if c.get("msgtype") == "m.image"]
    assert [c.get("m.relates_to", {}).get("event_id") for c in charts] == [None, root]
    assert city.reply("!bericht thread aus") == (
        "Der Lagebericht geht nicht mehr zusätzlich in einen Thread."
    )
    assert "Berichts-Thread" not in city.reply("!board show")
    city.reply("!status run-now")
    city.reply("!status close")
    posted = [c for c in sent_to(city, ROOM) if c["body"].startswith("📊 Lagebericht")]
    assert len(posted) == 3  # no copy in the thread this time
