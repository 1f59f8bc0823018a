"""Issue 5 against a real Synapse: a status round started by the chair, answered by direct
message (free text, package lines, an edit), a reminder for the silent department only, and a
bot killed and restarted in the middle of the round without losing or repeating anything."""

from __future__ import annotations

import io
import signal
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from nio import Event, RoomEncryptedFile, RoomEncryptedImage, RoomMessageText
from pypdf import PdfReader

from board_bot.dev.devserver import LocalSynapse
from tests.e2e.bot_process import BotProcess
from tests.e2e.client import TestClient, thread_events
from tests.e2e.helpers import REPLY_WAIT, board_room, command, replies_to, reply_to

pytestmark = [pytest.mark.e2e]


@dataclass
class Round:
    bot: BotProcess
    cdo: TestClient
    leads: dict[str, TestClient]  # department code -> its lead
    room_id: str


@pytest_asyncio.fixture
async def board(synapse: LocalSynapse, tmp_path: Path) -> AsyncIterator[Round]:
    """A bot of this test's own (it gets killed), a board with three departments and leads."""
    tag = uuid.uuid4().hex[:6]
    chair = synapse.register_user(f"cdo-{tag}", f"pw-{uuid.uuid4().hex}")
    bot_user = synapse.register_user(f"bot-{tag}", uuid.uuid4().hex)
    bot = BotProcess(
        synapse, bot_user, admin=chair.user_id, allowed_inviters=[chair.user_id], workdir=tmp_path
    )
    bot.start()
    clients: list[TestClient] = []
    try:
        cdo = await TestClient.create(synapse.url, chair, tmp_path / "store-cdo")
        clients.append(cdo)
        leads: dict[str, TestClient] = {}
        for code in ("FB 13", "FB 61", "FB 68"):
            slug = code.replace(" ", "").lower()
            user = synapse.register_user(f"{slug}-{tag}", f"pw-{uuid.uuid4().hex}")
            leads[code] = await TestClient.create(synapse.url, user, tmp_path / f"store-{slug}")
            clients.append(leads[code])
        room_id = await board_room(cdo, bot, encrypted=True)
        await command(cdo, room_id, "!board init Smart City Board Musterstadt")
        for code, name in (("FB 13", "Hauptamt"), ("FB 61", "Stadtplanung"), ("FB 68", "Verkehr")):
            await command(cdo, room_id, f"!fb anlegen {code} {name}")
            await command(cdo, room_id, f"!rolle zuweisen {leads[code].user_id} leitung {code}")
        await command(cdo, room_id, "!wp add Digitale Bauakte --dept FB 61")  # WP-1
        await command(cdo, room_id, "!wp add Geoportal --dept FB 61")  # WP-2
        yield Round(bot, cdo, leads, room_id)
    finally:
        for client in clients:
            await client.close()
        bot.stop()


def from_bot(bot: BotProcess, starts: str) -> object:
    def match(event: Event) -> bool:
        return getattr(event, "sender", None) == bot.bot.user_id and getattr(
            event, "body", ""
        ).startswith(starts)

    return match


def bot_messages(client: TestClient, room_id: str, bot: BotProcess, starts: str) -> list[Event]:
    return [
        e
        for e in client.events_in(room_id)
        if getattr(e, "sender", None) == bot.bot.user_id
        and getattr(e, "body", "").startswith(starts)
    ]


async def direct_room(client: TestClient, bot: BotProcess) -> str:
    """Accept the bot's invitation to a direct room and wait for the prompt in it."""
    room_id = await client.wait_for_invite(timeout=REPLY_WAIT)
    await client.join(room_id)
    await client.wait_for(from_bot(bot, "📋"), REPLY_WAIT, room_id=room_id, what="the prompt")
    return room_id


async def test_a_round_answered_by_direct_message_survives_a_restart(board: Round) -> None:
    bot, cdo, leads = board.bot, board.cdo, board.leads
    started = await command(cdo, board.room_id, "!status run-now")
    assert "3 Fachbereiche werden abgefragt" in started.body

    dms = {code: await direct_room(client, bot) for code, client in leads.items()}
    prompt = bot_messages(leads["FB 61"], dms["FB 61"], bot, "📋")[0]
    assert isinstance(prompt, RoomMessageText)  # decrypted: the key reached the invited lead
    assert "WP-1" in prompt.body and "Digitale Bauakte" in prompt.body

    # FB 13 answers in free text, FB 61 with package lines.
    free = await leads["FB 13"].send_text(dms["FB 13"], "Wir liegen im Plan, die Vergabe läuft.")
    confirmed = await leads["FB 13"].wait_for(reply_to(free), REPLY_WAIT, room_id=dms["FB 13"])
    assert "Als Freitext für den ganzen Fachbereich gespeichert." in confirmed.body  # type: ignore[attr-defined]
    lines = await leads["FB 61"].send_text(
        dms["FB 61"], "WP-1 gelb 60% Ausschreibung verzögert sich\nWP-2 grün 20%"
    )
    confirmed = await leads["FB 61"].wait_for(reply_to(lines), REPLY_WAIT, room_id=dms["FB 61"])
    assert "🟡 gelb · 60 %" in confirmed.body  # type: ignore[attr-defined]

    # Killed mid-round; the lead of FB 61 corrects the answer while the bot is down.
    bot.stop(signal.SIGKILL)
    await leads["FB 61"].send_edit(
        dms["FB 61"], lines, "WP-1 rot 50% Vergabe gestoppt\nWP-2 grün 20%"
    )
    bot.start()

    corrected = await leads["FB 61"].wait_for(
        from_bot(bot, "✏️ Korrektur übernommen"), REPLY_WAIT + 20, room_id=dms["FB 61"]
    )
    assert "🔴 rot · 50 %" in corrected.body  # type: ignore[attr-defined]
    reminded = await command(cdo, board.room_id, "!status erinnern")
    assert reminded.body == "⏰ Erinnerung an 1 Fachbereich verschickt: FB 68"
    reminder = await leads["FB 68"].wait_for(
        from_bot(bot, "⏰ Erinnerung"), REPLY_WAIT, room_id=dms["FB 68"]
    )
    assert reminder.source["content"]["m.mentions"] == {"user_ids": [leads["FB 68"].user_id]}

    overview = await command(cdo, board.room_id, "!status")
    assert "2 von 3 gemeldet" in overview.body
    shown = await command(cdo, board.room_id, "!wp show WP-1")
    assert "🔴 rot" in shown.body and "Vergabe gestoppt" in shown.body

    # FB 13 takes its answer back: deleted, it is removed from the round.
    await leads["FB 13"].client.room_redact(dms["FB 13"], free)
    await leads["FB 13"].wait_for(from_bot(bot, "🗑️"), REPLY_WAIT, room_id=dms["FB 13"])
    assert "1 von 3 gemeldet" in (await command(cdo, board.room_id, "!status")).body

    # Nothing was lost or sent twice: one prompt each, one confirmation per answer, one
    # reminder, and only to FB 68.
    for code, client in leads.items():
        assert len(bot_messages(client, dms[code], bot, "📋")) == 1, code
        assert len(bot_messages(client, dms[code], bot, "⏰")) == (1 if code == "FB 68" else 0)
    assert len(replies_to(leads["FB 13"], dms["FB 13"], free)) == 1
    assert len(bot_messages(leads["FB 61"], dms["FB 61"], bot, "✅")) == 1
    assert len(bot_messages(leads["FB 61"], dms["FB 61"], bot, "✏️")) == 1


async def test_a_bot_killed_while_sending_prompts_sends_each_once(board: Round) -> None:
    bot, cdo, leads = board.bot, board.cdo, board.leads
    await command(cdo, board.room_id, "!status run-now")
    bot.stop(signal.SIGKILL)  # prompts committed, some perhaps sent, some not
    bot.start()
    dms = {code: await direct_room(client, bot) for code, client in leads.items()}
    done = await command(cdo, board.room_id, "!status")  # the bot is past its catch-up
    assert "0 von 3 gemeldet" in done.body
    for code, client in leads.items():
        assert len(bot_messages(client, dms[code], bot, "📋")) == 1, code
        assert len(client.invites) == 1, (code, client.invites)  # one direct room, not two


async def test_a_lead_who_never_accepts_the_direct_room_is_told_to_the_admins(
    board: Round,
) -> None:
    """FB 68's lead never accepts the invitation to the direct room: the prompt sits there
    unread. At the reminder the board's admins hear of it in the board room, once; the leads
    who joined are nobody's concern."""
    import asyncio
    import sqlite3

    bot, cdo, leads = board.bot, board.cdo, board.leads
    await command(cdo, board.room_id, "!status run-now")
    for code in ("FB 13", "FB 61"):
        await direct_room(leads[code], bot)
    await leads["FB 68"].wait_for_invite(timeout=REPLY_WAIT)  # and never accepted
    database = sqlite3.connect(bot.workdir / "data" / "board.db")
    try:
        for _ in range(int(REPLY_WAIT * 10)):  # all three prompts went out
            (sent,) = database.execute(
                "SELECT count(*) FROM status_prompt WHERE event_id IS NOT NULL"
            ).fetchone()
            if sent == 3:
                break
            await asyncio.sleep(0.1)
        assert sent == 3
    finally:
        database.close()

    reminded = await command(cdo, board.room_id, "!status erinnern")
    assert reminded.body.startswith("⏰ Erinnerung an 3 Fachbereiche verschickt")
    notice = await cdo.wait_for(
        from_bot(bot, "⚠️ Die Abfrage der Statusrunde"), REPLY_WAIT, room_id=board.room_id
    )
    assert "an FB 68" in notice.body and "nicht angenommen" in notice.body  # type: ignore[attr-defined]
    assert notice.source["content"]["m.mentions"] == {"user_ids": [cdo.user_id]}
    assert await command(cdo, board.room_id, "!status erinnern")  # again: not told twice
    notices = bot_messages(cdo, board.room_id, bot, "⚠️ Die Abfrage")
    assert len(notices) == 1, [e.body for e in notices]  # type: ignore[attr-defined]


async def test_the_summary_with_its_chart_as_a_client_receives_it(board: Round) -> None:
    bot, cdo, leads = board.bot, board.cdo, board.leads
    await command(cdo, board.room_id, "!wp edit WP-1 leitlinie 2")
    await command(cdo, board.room_id, "!status run-now")
    dm = await direct_room(leads["FB 61"], bot)
    answer = await leads["FB 61"].send_text(
        dm, "WP-1 rot 10% Vergabe gestoppt\nAn die Oberbürgermeisterin: Mittel freigeben"
    )
    await leads["FB 61"].wait_for(reply_to(answer), REPLY_WAIT, room_id=dm)

    report = await command(cdo, board.room_id, "!bericht")
    assert "Lagebericht Smart City Board Musterstadt" in report.body
    assert "**Für Sie:** Mittel freigeben · FB 61 · seit " in report.body
    html = report.source["content"]["formatted_body"]
    assert "🔴 Transparenz &amp; Teilhabe: rot" in html  # on the first screen
    assert "<details><summary><strong>Transparenz &amp; Teilhabe</strong>: 🔴 rot" in html

    def the_chart(event: Event) -> bool:
        return isinstance(event, RoomEncryptedFile | RoomEncryptedImage) or (
            getattr(event, "sender", None) == bot.bot.user_id
            and getattr(event, "source", {}).get("content", {}).get("msgtype") == "m.image"
        )

    image = await cdo.wait_for(the_chart, REPLY_WAIT, room_id=board.room_id, what="the chart")
    assert isinstance(image, RoomEncryptedImage)  # the board room is encrypted: so is the file
    assert image.body.startswith("Ampeln je Leitlinie, jetzt. Ziele & Strategien: jetzt nichts")
    png = await cdo.download(image)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


async def test_closing_a_round_posts_its_summary_and_the_export_files(board: Round) -> None:
    bot, cdo = board.bot, board.cdo
    await command(cdo, board.room_id, "!wp edit WP-2 leitlinie 1")
    await command(cdo, board.room_id, "!status run-now")
    closed = await command(cdo, board.room_id, "!status close")
    assert closed.body.startswith("⏹️ Statusrunde")
    posted = await cdo.wait_for(
        from_bot(bot, "📊 **Lagebericht"), REPLY_WAIT, room_id=board.room_id, what="the summary"
    )
    assert "🟢 Ziele & Strategien: grün" in posted.body  # type: ignore[attr-defined]

    exported = await command(cdo, board.room_id, "!bericht export")
    assert exported.body.startswith("📎 Der Lagebericht für den Hauptausschuss")
    position = cdo.events_in(board.room_id).index(exported)

    def export_file(suffix: str) -> Callable[[Event], bool]:
        def match(event: Event) -> bool:
            return (
                isinstance(event, RoomEncryptedFile)
                and event.body.endswith(suffix)
                and cdo.events_in(board.room_id).index(event) > position
            )

        return match

    printable = await cdo.wait_for(export_file(".pdf"), REPLY_WAIT, room_id=board.room_id)
    page = await cdo.wait_for(export_file(".html"), REPLY_WAIT, room_id=board.room_id)
    source = await cdo.wait_for(export_file(".md"), REPLY_WAIT, room_id=board.room_id)
    assert isinstance(printable, RoomEncryptedFile)
    assert isinstance(page, RoomEncryptedFile) and isinstance(source, RoomEncryptedFile)
    pdf = PdfReader(io.BytesIO(await cdo.download(printable)))
    assert len(pdf.pages) >= 2 and "Lagebericht" in pdf.pages[0].extract_text()
    html = (await cdo.download(page)).decode()
    assert html.startswith("<!DOCTYPE html>") and '<img src="data:image/png;base64,' in html
    assert (await cdo.download(source)).decode().startswith("📊 **Lagebericht")


async def test_the_summary_goes_into_the_thread_an_admin_chose(board: Round) -> None:
    bot, cdo = board.bot, board.cdo
    root = await cdo.send_text(board.room_id, "Wochenberichte — hier sammeln wir die Lageberichte")
    chosen = await cdo.send_text(board.room_id, "!bericht thread", thread_root=root)
    reply = await cdo.wait_for(reply_to(chosen), REPLY_WAIT, room_id=board.room_id)
    assert reply.body == "Der Lagebericht geht nach jeder Runde auch in diesen Thread."  # type: ignore[attr-defined]
    relates = reply.source["content"]["m.relates_to"]
    assert (relates["rel_type"], relates["event_id"]) == ("m.thread", root)  # answered in it

    await command(cdo, board.room_id, "!status run-now")
    await command(cdo, board.room_id, "!status close")

    def in_thread(event: Event) -> bool:
        relates = event.source.get("content", {}).get("m.relates_to", {})
        return (
            getattr(event, "sender", None) == bot.bot.user_id
            and relates.get("rel_type") == "m.thread"
            and relates.get("event_id") == root
        )

    copy = await cdo.wait_for(
        lambda e: in_thread(e) and getattr(e, "body", "").startswith("📊 **Lagebericht"),
        REPLY_WAIT,
        room_id=board.room_id,
        what="the summary in the thread",
    )
    chart = await cdo.wait_for(
        lambda e: in_thread(e) and isinstance(e, RoomEncryptedImage),
        REPLY_WAIT,
        room_id=board.room_id,
        what="the chart in the thread",
    )
    main = [
        e
        for e in cdo.events_in(board.room_id)
        if from_bot(bot, "📊 **Lagebericht")(e) and not in_thread(e)  # type: ignore[operator]
    ]
    assert len(main) == 1  # and once in the room's timeline
    # The homeserver sees the thread too (the relation is not encrypted): Element's thread list.
    threaded = await thread_events(cdo, board.room_id, root)
    assert {copy.event_id, chart.event_id, reply.event_id} <= set(threaded)
