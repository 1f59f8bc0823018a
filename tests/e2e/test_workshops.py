"""Issue 7 against a real Synapse: a workshop planned in the encrypted board room, voted on by
two department leads reacting to the option messages, the live tally edited in place, confirmed,
the invitation's .ics file received, decrypted and parsed as a calendar would, and the minutes
with a decision (into the register) and an action (into a new work package)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from nio import Event, RoomEncryptedFile

from tests.e2e.helpers import REPLY_WAIT, command, reply_to, shown_name
from tests.e2e.synapse_fixture import ClientFactory, UserFactory
from tests.e2e.test_status_rounds import Round, board, from_bot

__all__ = ["board"]  # the fixture, shared with the status round tests

pytestmark = [pytest.mark.e2e]


def _content(event: Event) -> dict[str, Any]:
    content: dict[str, Any] = event.source.get("content", {})
    return content


async def test_plan_vote_confirm_receive_the_ics_and_keep_minutes(board: Round) -> None:
    bot, cdo, leads = board.bot, board.cdo, board.leads
    for lead in (leads["FB 61"], leads["FB 68"]):
        await cdo.client.room_invite(board.room_id, lead.user_id)
        await lead.join(board.room_id)
    header = await command(
        cdo,
        board.room_id,
        '!workshop plan "Offene Daten im Verkehr" --depts FB 61, FB 68 --duration 2h '
        '--options "+7t 10:00; +8t 14:00" --place "Rathaus, Raum 2.14"',
    )
    assert header.body.startswith("🗓️ **Workshop 1")
    voter = leads["FB 61"]
    options = [
        await voter.wait_for(
            from_bot(bot, f"Workshop 1 · **Option {n}:**"),  # type: ignore[arg-type]
            REPLY_WAIT,
            room_id=board.room_id,
            what=f"option {n}",
        )
        for n in (1, 2)
    ]
    tally = await cdo.wait_for(
        from_bot(bot, "📊 **Zwischenstand"),  # type: ignore[arg-type]
        REPLY_WAIT,
        room_id=board.room_id,
        what="the tally",
    )
    await leads["FB 61"].send_reaction(board.room_id, options[0].event_id, "👍")
    await leads["FB 68"].send_reaction(board.room_id, options[0].event_id, "👍")
    await leads["FB 68"].send_reaction(board.room_id, options[1].event_id, "✅")

    def tally_with_votes(event: Event) -> bool:
        relates = _content(event).get("m.relates_to", {})
        new = _content(event).get("m.new_content", {})
        return (
            relates.get("rel_type") == "m.replace"
            and relates.get("event_id") == tally.event_id
            and ": 2 Stimmen ⭐" in new.get("body", "")
            and "Option 2" in new.get("body", "")
            and ": 1 Stimme" in new.get("body", "")
        )

    edited = await cdo.wait_for(
        tally_with_votes, REPLY_WAIT, room_id=board.room_id, what="the edited tally"
    )
    body = _content(edited)["m.new_content"]["body"]
    fb61, fb68 = shown_name(leads["FB 61"].user_id), shown_name(leads["FB 68"].user_id)
    assert f"FB 61: {fb61}; FB 68: {fb68}" in body

    confirmed = await command(cdo, board.room_id, "!workshop festlegen 1 1")
    assert confirmed.body.startswith("✅ Der Termin von Workshop 1 steht fest")
    invitation_file = await cdo.wait_for(
        lambda e: isinstance(e, RoomEncryptedFile) and e.body == "workshop-1.ics",
        REPLY_WAIT,
        room_id=board.room_id,
        what="the .ics file",
    )
    assert isinstance(invitation_file, RoomEncryptedFile)
    cal = icalendar.Calendar.from_ical(await cdo.download(invitation_file))
    [event] = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART").strftime("%H:%M") == "10:00"
    assert str(event["SUMMARY"]) == "Offene Daten im Verkehr"
    assert str(event["UID"]).startswith("workshop-")

    # The FB 61 lead gets the invitation by direct message and answers it there with a reaction.
    lead61 = leads["FB 61"]
    dm = await lead61.wait_for_invite(timeout=REPLY_WAIT)
    await lead61.join(dm)
    direct = await lead61.wait_for(
        from_bot(bot, "📅 **Einladung: Workshop 1"),  # type: ignore[arg-type]
        REPLY_WAIT,
        room_id=dm,
        what="the invitation by direct message",
    )
    await lead61.send_reaction(dm, direct.event_id, "👍")
    for _ in range(50):
        shown = await command(cdo, board.room_id, "!workshop show 1")
        if f"Zusagen (1): {shown_name(lead61.user_id)}" in shown.body:
            break
        await asyncio.sleep(0.2)
    else:
        raise AssertionError(f"the answer by direct message did not count: {shown.body}")

    # The minutes: a decision into the register, an action into a new work package.
    started = await command(cdo, board.room_id, "!protokoll start 1")
    assert started.body.startswith("📝 Das Protokoll von Workshop 1")
    await command(cdo, board.room_id, "!beschluss Verkehrsdaten werden gemeinsam veröffentlicht")
    lead = leads["FB 68"].user_id
    noted = await command(cdo, board.room_id, f"!aufgabe {lead} Schnittstelle beschreiben")
    assert noted.body.startswith("✔️ Aufgabe für")
    minutes = await command(cdo, board.room_id, "!protokoll ende")
    assert "B-1" in minutes.body and "Verkehrsdaten werden gemeinsam veröffentlicht" in minutes.body
    assert "neues Arbeitspaket WP-3" in minutes.body  # WP-1 and WP-2 come with the fixture
    register = await command(cdo, board.room_id, "!beschlüsse")
    assert "B-1" in register.body and "vorgeschlagen · aus Workshop 1" in register.body
    package = await command(cdo, board.room_id, "!wp show WP-3")
    assert "Schnittstelle beschreiben" in package.body and "FB 68" in package.body


async def test_the_invitation_goes_to_the_lead_of_the_workshop_day_not_of_today(
    board: Round, make_user: UserFactory, make_client: ClientFactory
) -> None:
    """The FB 61 lead is away today, when the workshop is confirmed, and back on its day: the
    invitation goes to the lead by direct message, not to the deputy who stands in today."""
    bot, cdo, lead = board.bot, board.cdo, board.leads["FB 61"]
    deputy = await make_client(make_user("fb61-vertretung"))
    await command(cdo, board.room_id, f"!rolle zuweisen {deputy.user_id} vertretung FB 61")
    today = datetime.now(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y")  # the board's today
    away = await command(cdo, board.room_id, f"!abwesend {today} Urlaub --for {lead.user_id}")
    assert away.body.startswith("Abwesenheit eingetragen:"), away.body
    assert "FB 61 – Stadtplanung: Vertretung durch" in away.body, away.body  # today: the deputy
    await cdo.client.room_invite(board.room_id, deputy.user_id)
    await deputy.join(board.room_id)
    await command(
        cdo,
        board.room_id,
        '!workshop plan "Offene Daten" --depts FB 61 --duration 2h --options "+7t 10:00"',
    )
    confirmed = await command(cdo, board.room_id, "!workshop festlegen 1 1")
    assert confirmed.body.startswith("✅ Der Termin von Workshop 1 steht fest")
    invitation = await cdo.wait_for(
        from_bot(bot, "📅 **Einladung: Workshop 1"),  # type: ignore[arg-type]
        REPLY_WAIT,
        room_id=board.room_id,
        what="the invitation in the board room",
    )
    assert _content(invitation)["m.mentions"] == {"user_ids": [lead.user_id]}

    dm = await lead.wait_for_invite(timeout=REPLY_WAIT)
    await lead.join(dm)
    direct = await lead.wait_for(
        from_bot(bot, "📅 **Einladung: Workshop 1"),  # type: ignore[arg-type]
        REPLY_WAIT,
        room_id=dm,
        what="the invitation by direct message",
    )
    assert "Bitte antworten Sie mit einer Reaktion" in direct.body  # type: ignore[attr-defined]
    calendar_file = await lead.wait_for(
        lambda e: isinstance(e, RoomEncryptedFile) and e.body == "workshop-1.ics",
        REPLY_WAIT,
        room_id=dm,
        what="the .ics file by direct message",
    )
    assert isinstance(calendar_file, RoomEncryptedFile)
    cal = icalendar.Calendar.from_ical(await lead.download(calendar_file))
    [event] = cal.walk("VEVENT")
    assert str(event["ATTENDEE"]) == f"matrix:u/{lead.user_id[1:]}"

    # The deputy has seen everything up to a reply sent after the direct messages (one sync
    # stream): no direct room, no invitation.
    shown = await cdo.send_text(board.room_id, "!workshop show 1")
    await deputy.wait_for(
        reply_to(shown),
        REPLY_WAIT,
        room_id=board.room_id,
        what="the reply to !workshop show",
    )
    assert deputy.invites == {board.room_id}  # the board room only
    assert {room for room, _ in deputy.events} == {board.room_id}
