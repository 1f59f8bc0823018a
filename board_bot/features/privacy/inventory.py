"""Which personal data the bot keeps, why, and for how long: one entry per table and column
(issue 16). ``tests/unit/test_privacy_inventory.py`` fails when a model gains a column that is
not listed here, or when an entry names a column that no longer exists; the data protection
documentation (``docs/datenschutz.md``), the export (``!meine-daten``, ``board-bot privacy
export``), the erasure (``board-bot privacy erase``) and the retention job read this table.

What an entry says:

* ``data``: which personal data the column holds ("" for none: it is listed so that nothing
  goes unseen);
* ``purpose``: why the bot keeps it;
* ``kept``: for how long (a :data:`RETENTION` key: the periods the retention job applies, set
  in ``[retention]``; or a fixed rule in words);
* ``erase``: what erasing a person does to it (:class:`Erase`);
* ``holds``: for a pseudonymised column, what it holds (:class:`Holds`): a person's Matrix id,
  or a room id that may be the person's direct room with the bot (the homeserver knows who is
  in it, so it is replaced by the pseudonym too).

Person ids are Matrix user ids (``@erika:stadt.example``); display names are never stored,
except inside texts people wrote or the bot sent (free text, which erasure scrubs).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Erase(StrEnum):
    """What erasing a person does to a column."""

    KEEP = "keep"  # not personal: left as it is
    PSEUDONYMISE = "pseudonymise"  # a person's Matrix id: replaced by their stable pseudonym
    SCRUB = "scrub"  # free text that may name them: their id and display name are replaced
    DELETE_ROW = "delete_row"  # the row is about them alone (an absence, a direct room): removed


class Holds(StrEnum):
    """What a pseudonymised column holds: what erasure looks for in it."""

    PERSON = "person"  # a Matrix user id
    ROOM = "room"  # a room id: the person's direct room with the bot is theirs
    PERSON_OR_ROOM = "person_or_room"  # their id until their direct room is known, then the room


#: The default retention periods (``[retention]`` in the config overrides them).
RETENTION = {
    "status_text": "24 months: the free text of status answers (the answers' lines and figures "
    "stay: they are the packages' history)",
    "audit": "36 months: audit entries",
    "absences": "12 months after the absence ended (with the audit entries about it)",
    "outbox": "30 days after sending: the bodies of the messages the bot sent",
}

BOARD_LIFETIME = "as long as the board exists"
ROLE_LIFETIME = "as long as the board exists (the history of who held which role)"


@dataclass(frozen=True)
class Entry:
    data: str
    purpose: str
    kept: str
    erase: Erase = Erase.KEEP
    holds: Holds = Holds.PERSON


def _none(purpose: str) -> Entry:
    return Entry("", purpose, BOARD_LIFETIME, Erase.KEEP)


_ID = "the row's number"
_TIME = "when it happened"

#: table -> column -> what it holds (see the module)
INVENTORY: dict[str, dict[str, Entry]] = {
    "board": {
        "id": _none(_ID),
        "room_id": _none("the board's Matrix room"),
        "name": _none("the board's name"),
        "language": _none("the board's language"),
        "timezone": _none("the board's time zone"),
        "bundesland": _none("whose public holidays count"),
        "created_by": Entry(
            "the Matrix id of who set the board up",
            "accountability for the board's set-up",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "created_at": _none(_TIME),
        "archived_at": _none(_TIME),
        "summary_room": _none("a further room that gets the summaries"),
        "summary_thread": _none("the thread that gets a copy of the summaries"),
    },
    "handled_event": {
        "event_id": _none("a Matrix event the bot acted on: carried out once"),
        "room_id": Entry(
            "where it was: a board room, or a person's direct room with the bot",
            "carrying out each event once",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
            Holds.ROOM,
        ),
        "outcome": _none("what became of it"),
        "handled_at": _none(_TIME),
    },
    "sync_state": {
        "account": _none("the bot's own account"),
        "next_batch": _none("where the bot's sync goes on"),
        "updated_at": _none(_TIME),
    },
    "outbox": {
        "id": _none(_ID),
        "room_id": Entry(
            "a person's Matrix id while their direct room is being opened, then that room",
            "where a message goes",
            RETENTION["outbox"],
            Erase.PSEUDONYMISE,
            Holds.PERSON_OR_ROOM,
        ),
        "content": Entry(
            "the message the bot sent, which may name people (display names, Matrix ids)",
            "sending it exactly once, also after a crash",
            RETENTION["outbox"],
            Erase.SCRUB,
        ),
        "created_at": _none(_TIME),
        "sent_at": _none(_TIME),
        "event_id": _none("the sent message's event (to edit or redact it)"),
        "attempts": _none("how often sending was tried"),
        "last_error": Entry(
            "why sending failed, which may name the recipient's Matrix id",
            "the operator's review of messages that could not be delivered",
            RETENTION["outbox"],
            Erase.SCRUB,
        ),
        "attachment": Entry(
            "a file to send (an export, a report), which may name people",
            "sending it exactly once",
            "until it is sent",
            Erase.SCRUB,
        ),
    },
    "audit_entry": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "actor": Entry(
            "the Matrix id of who made the change",
            "accountability: who changed what and when (!verlauf)",
            RETENTION["audit"],
            Erase.PSEUDONYMISE,
        ),
        "action": _none("what was done"),
        "entity": _none("to what kind of thing"),
        "entity_id": Entry(
            "for a role or an absence: the person's Matrix id",
            "which thing was changed",
            RETENTION["audit"],
            Erase.PSEUDONYMISE,
        ),
        "before": Entry(
            "the values before the change, which may hold Matrix ids and texts",
            "accountability and the history of a package",
            RETENTION["audit"],
            Erase.SCRUB,
        ),
        "after": Entry(
            "the values after the change, which may hold Matrix ids and texts",
            "accountability and the history of a package",
            RETENTION["audit"],
            Erase.SCRUB,
        ),
        "at": _none(_TIME),
    },
    "department": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "code": _none("the department's code"),
        "code_key": _none("the code, folded for comparisons"),
        "name": _none("the department's name"),
        "room_id": _none("the department's room"),
        "created_at": _none(_TIME),
        "archived_at": _none(_TIME),
    },
    "membership": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "department_id": _none("the department"),
        "user_id": Entry(
            "the Matrix id of a person with a role",
            "who may do what, whom the status prompts go to",
            ROLE_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "role": Entry("the person's role", "who may do what", ROLE_LIFETIME),
        "created_at": Entry("since when they hold it", "the history of roles", ROLE_LIFETIME),
        "ended_at": Entry("until when they held it", "the history of roles", ROLE_LIFETIME),
    },
    "absence": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "user_id": Entry(
            "the Matrix id of the absent person",
            "asking the deputy while the lead is away",
            RETENTION["absences"],
            Erase.DELETE_ROW,
        ),
        "starts_on": Entry(
            "when they are away", "asking the deputy", RETENTION["absences"], Erase.DELETE_ROW
        ),
        "ends_on": Entry(
            "when they are away", "asking the deputy", RETENTION["absences"], Erase.DELETE_ROW
        ),
        "reason": Entry(
            "the reason they gave, if any",
            "shown to the board with the absence",
            RETENTION["absences"],
            Erase.DELETE_ROW,
        ),
        "created_by": Entry(
            "the Matrix id of who entered it",
            "accountability",
            RETENTION["absences"],
            Erase.PSEUDONYMISE,
        ),
        "created_at": _none(_TIME),
        "cancelled_at": _none(_TIME),
    },
    "work_package": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "number": _none("the package's number"),
        "title": _none("the package's title"),
        "description": Entry(
            "free text, which may name people",
            "what the package is about",
            BOARD_LIFETIME,
            Erase.SCRUB,
        ),
        "leitlinie": _none("the Leitlinie of the Smart City Charta"),
        "handlungsfeld": _none("the field of action"),
        "owner_department_id": _none("the department that owns it"),
        "responsible": Entry(
            "the Matrix id of the person responsible",
            "whom to ask about the package",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "status": _none("planned, in progress, blocked, done, discarded"),
        "traffic_light": _none("the traffic light"),
        "traffic_reason": Entry(
            "free text, which may name people",
            "why the light is not green",
            BOARD_LIFETIME,
            Erase.SCRUB,
        ),
        "progress": _none("the progress in per cent"),
        "start_date": _none("when it starts"),
        "due_date": _none("when it is due"),
        "funding_programme": _none("the funding programme"),
        "funding_deadline": _none("the funding's deadline"),
        "budget": _none("the planned cost"),
        "created_by": Entry(
            "the Matrix id of who created it", "accountability", BOARD_LIFETIME, Erase.PSEUDONYMISE
        ),
        "created_at": _none(_TIME),
        "updated_at": _none(_TIME),
        "status_since": _none(_TIME),
        "light_since": _none(_TIME),
        "public": _none("whether it is on the public portfolio page"),
        "public_description": Entry(
            "free text for the public, which may name people",
            "the public portfolio page (published only when an admin approves it)",
            BOARD_LIFETIME,
            Erase.SCRUB,
        ),
    },
    "work_package_department": {
        "work_package_id": _none("the package"),
        "department_id": _none("a department that contributes"),
    },
    "milestone": {
        "id": _none(_ID),
        "work_package_id": _none("the package"),
        "title": _none("the milestone's title"),
        "due_on": _none("when it is due"),
        "done_at": _none(_TIME),
        "created_at": _none(_TIME),
    },
    "work_package_link": {
        "id": _none(_ID),
        "work_package_id": _none("the package"),
        "url": _none("a link"),
        "title": _none("the link's title"),
        "created_at": _none(_TIME),
    },
    "dependency": {
        "work_package_id": _none("the package"),
        "depends_on_id": _none("the package it waits for"),
        "created_at": _none(_TIME),
    },
    "status_schedule": {
        "board_id": _none("the board"),
        "frequency": _none("how often rounds run"),
        "prompt": _none("when the prompt goes out"),
        "reminders": _none("when the reminders go out"),
        "deadline": _none("the deadline"),
        "anchor": _none("the first week of a fortnightly schedule"),
        "enabled": _none("whether rounds run"),
        "updated_by": Entry(
            "the Matrix id of who changed the schedule",
            "accountability",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "updated_at": _none(_TIME),
    },
    "status_round": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "period": _none("the week or month"),
        "prompt_at": _none(_TIME),
        "reminders_at": _none("when the reminders go out"),
        "deadline_at": _none(_TIME),
        "started_at": _none(_TIME),
        "started_by": Entry(
            "the Matrix id of the admin who started it by hand",
            "accountability",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "late": _none("started after its time"),
        "reminders_sent": _none("how many reminders went out"),
        "closed_at": _none(_TIME),
        "closed_by": Entry(
            "the Matrix id of the admin who closed it",
            "accountability",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "snapshot_at": _none(_TIME),
    },
    "status_prompt": {
        "id": _none(_ID),
        "round_id": _none("the round"),
        "department_id": _none("the department asked"),
        "contact": Entry(
            "the Matrix id of the person asked",
            "asking the department and reminding it",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "covering_for": Entry(
            "the Matrix id of the absent lead the deputy stood in for",
            "showing who stood in for whom",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "room_id": Entry(
            "a person's Matrix id until their direct room is known, then that room",
            "where the prompt went",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
            Holds.PERSON_OR_ROOM,
        ),
        "event_id": _none("the prompt's event (answers reply to it)"),
        "outbox_id": _none("the message that carried it"),
        "created_at": _none(_TIME),
        "reminders": _none("how often the department was reminded"),
        "last_reminded_at": _none(_TIME),
        "answered_at": Entry(
            "when the department answered (per department, never a ranking of people)",
            "who is still to be reminded",
            BOARD_LIFETIME,
        ),
    },
    "status_answer": {
        "id": _none(_ID),
        "prompt_id": _none("the prompt answered"),
        "event_id": _none("the answer's event (edits and redactions find it)"),
        "room_id": Entry(
            "where it was written: the person's direct room with the bot, or a board room",
            "finding the answer again when it is edited or redacted",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
            Holds.ROOM,
        ),
        "sender": Entry(
            "the Matrix id of who wrote the answer",
            "accountability for the department's report",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "kind": _none("free text, package lines or unchanged"),
        "text": Entry(
            "the answer as written: free text, which may name people",
            "the department's report, shown to the board",
            RETENTION["status_text"],
            Erase.SCRUB,
        ),
        "late": _none("written after the deadline"),
        "created_at": _none(_TIME),
        "edited_at": _none(_TIME),
        "removed_at": _none(_TIME),
    },
    "status_item": {
        "id": _none(_ID),
        "answer_id": _none("the answer"),
        "work_package_id": _none("the package reported on"),
        "traffic_light": _none("the light reported"),
        "progress": _none("the progress reported"),
        "status": _none("the status reported"),
        "note": Entry(
            "the note of a status line: free text, which may name people",
            "the package's status history",
            RETENTION["status_text"],
            Erase.SCRUB,
        ),
        "unchanged": _none("the state was carried forward"),
        "created_at": _none(_TIME),
    },
    "status_flag": {
        "id": _none(_ID),
        "answer_id": _none("the answer"),
        "kind": _none("blocker or escalation"),
        "audience": _none("the board or the mayor"),
        "text": Entry(
            "the blocker or escalation as written: free text, which may name people",
            "decisions the board or the mayor is asked for",
            RETENTION["status_text"],
            Erase.SCRUB,
        ),
        "department_code": _none("the department it waits for"),
        "work_package_number": _none("the package it names"),
    },
    "direct_room": {
        "user_id": Entry(
            "the Matrix id of a person the bot writes to directly",
            "sending prompts and invitations to the same room each time",
            "until the person is erased",
            Erase.DELETE_ROW,
        ),
        "room_id": Entry(
            "the person's direct room with the bot",
            "sending to it",
            "until the person is erased",
            Erase.DELETE_ROW,
        ),
        "created_at": Entry(
            "when it was opened", "sending to it", "until the person is erased", Erase.DELETE_ROW
        ),
    },
    "scheduler_lease": {
        "name": _none("the lease"),
        "holder": _none("the bot process that runs the scheduler"),
        "expires_at": _none(_TIME),
    },
    "round_snapshot": {
        "round_id": _none("the round"),
        "work_package_id": _none("the package"),
        "leitlinie": _none("its Leitlinie then"),
        "traffic_light": _none("its light then"),
        "status": _none("its status then"),
        "progress": _none("its progress then"),
    },
    "workshop": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "number": _none("the workshop's number"),
        "title": _none("the workshop's title"),
        "duration_minutes": _none("how long it lasts"),
        "place": _none("where it takes place"),
        "online_url": _none("the link to join online"),
        "status": _none("planning, confirmed, cancelled"),
        "starts_at": _none(_TIME),
        "uid": _none("the invitation's iCalendar UID"),
        "sequence": _none("the invitation's iCalendar sequence"),
        "poll_event_id": _none("the slot poll's event"),
        "poll_outbox_id": _none("the message that carried the poll"),
        "invitation_event_id": _none("the invitation's event"),
        "invitation_outbox_id": _none("the message that carried the invitation"),
        "reminded_day_at": _none(_TIME),
        "reminded_hour_at": _none(_TIME),
        "minutes_started_at": _none(_TIME),
        "minutes_ended_at": _none(_TIME),
        "minutes_by": Entry(
            "the Matrix id of who kept the minutes",
            "accountability for the minutes",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "minutes": Entry(
            "the minutes as posted, which name people",
            "the record of the workshop",
            BOARD_LIFETIME,
            Erase.SCRUB,
        ),
        "created_by": Entry(
            "the Matrix id of who planned it", "accountability", BOARD_LIFETIME, Erase.PSEUDONYMISE
        ),
        "created_at": _none(_TIME),
        "updated_at": _none(_TIME),
    },
    "workshop_department": {
        "workshop_id": _none("the workshop"),
        "department_id": _none("a department invited"),
    },
    "workshop_option": {
        "id": _none(_ID),
        "workshop_id": _none("the workshop"),
        "position": _none("the option's number"),
        "starts_at": _none("a proposed slot"),
        "outbox_id": _none("the message that carried it"),
        "event_id": _none("the option's event (reactions vote for it)"),
    },
    "workshop_vote": {
        "id": _none(_ID),
        "option_id": _none("the slot voted for"),
        "user_id": Entry(
            "the Matrix id of who voted",
            "finding a slot that suits the people invited",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "reaction_event_id": _none("the reaction that voted (its removal takes the vote back)"),
        "created_at": _none(_TIME),
    },
    "workshop_rsvp": {
        "id": _none(_ID),
        "workshop_id": _none("the workshop"),
        "user_id": Entry(
            "the Matrix id of who answered the invitation",
            "knowing who comes",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "answer": Entry("yes, no or maybe", "knowing who comes", BOARD_LIFETIME),
        "reaction_event_id": _none("the reaction that answered"),
        "updated_at": _none(_TIME),
    },
    "workshop_agenda_item": {
        "id": _none(_ID),
        "workshop_id": _none("the workshop"),
        "position": _none("the item's number"),
        "text": Entry(
            "free text, which may name people", "the agenda", BOARD_LIFETIME, Erase.SCRUB
        ),
        "source": _none("typed or proposed by the bot"),
        "created_by": Entry(
            "the Matrix id of who added it", "accountability", BOARD_LIFETIME, Erase.PSEUDONYMISE
        ),
        "created_at": _none(_TIME),
    },
    "workshop_minute": {
        "id": _none(_ID),
        "workshop_id": _none("the workshop"),
        "kind": _none("decision, action or note"),
        "text": Entry(
            "free text, which may name people", "the minutes", BOARD_LIFETIME, Erase.SCRUB
        ),
        "assignee": Entry(
            "the Matrix id of who is to do an action",
            "following the action up",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "due_on": _none("when the action is due"),
        "work_package_id": _none("the package the action became"),
        "milestone_id": _none("the milestone the action became"),
        "decision_id": _none("the decision recorded"),
        "created_by": Entry(
            "the Matrix id of who wrote the entry",
            "accountability",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "created_at": _none(_TIME),
    },
    "decision": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "number": _none("the decision's number"),
        "text": Entry(
            "free text, which may name people",
            "the board's decision register",
            BOARD_LIFETIME,
            Erase.SCRUB,
        ),
        "status": _none("proposed, adopted, implemented"),
        "workshop_id": _none("the workshop it came from"),
        "created_by": Entry(
            "the Matrix id of who recorded it", "accountability", BOARD_LIFETIME, Erase.PSEUDONYMISE
        ),
        "created_at": _none(_TIME),
        "updated_at": _none(_TIME),
        "paper_id": _none("the OParl URL of the council paper it is linked to"),
        "paper_reference": _none("the council paper's reference (Aktenzeichen)"),
        "paper_name": _none("the council paper's title, as the council published it"),
        "paper_date": _none("the council paper's date"),
        "paper_web": _none("the council paper's public web page"),
        "council_organization": _none("the council body that decided the paper"),
        "council_date": _none("the day the council decided the paper"),
        "council_outcome": _none("what the council decided: approved, rejected, noted"),
        "council_noted_at": _none("when the board room was told the council's result"),
    },
    "council_request": {
        "id": _none(_ID),
        "board_id": _none("the board"),
        "decision_id": _none("the decision to link"),
        "wanted": _none("the council paper's reference or OParl URL, as typed"),
        "room_id": _none("the board room the answer goes to"),
        "reply_to": _none("the command's event, answered"),
        "thread_root": _none("the thread the command was typed in"),
        "requested_by": Entry(
            "the Matrix id of who asked for the link",
            "accountability: the link's audit entry names them",
            "until the look-up is done",
            Erase.PSEUDONYMISE,
        ),
        "created_at": _none(_TIME),
        "attempts": _none("failed look-ups so far"),
        "next_attempt_at": _none("when the next look-up may start"),
    },
    "workshop_direct_invitation": {
        "id": _none(_ID),
        "workshop_id": _none("the workshop"),
        "user_id": Entry(
            "the Matrix id of a person invited by direct message",
            "inviting people outside the board room",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
        ),
        "outbox_id": _none("the message that carried it"),
        "room_id": Entry(
            "the person's direct room",
            "where the invitation went",
            BOARD_LIFETIME,
            Erase.PSEUDONYMISE,
            Holds.ROOM,
        ),
        "event_id": _none("the invitation's event"),
    },
    "pseudonym": {
        "number": _none("the number of a pseudonym („Person 7“) given to an erased person"),
        "created_at": _none(_TIME),
    },
}


def person_columns() -> dict[str, list[str]]:
    """table -> the columns whose value may be a person's Matrix id: those pseudonymised, and
    the person's id of a row that is theirs alone (deleted). Not the columns of room ids only."""
    found: dict[str, list[str]] = {}
    for table, columns in INVENTORY.items():
        names = [
            name
            for name, entry in columns.items()
            if (entry.erase is Erase.PSEUDONYMISE and entry.holds is not Holds.ROOM)
            or (entry.erase is Erase.DELETE_ROW and name == "user_id")
        ]
        if names:
            found[table] = names
    return found


def text_columns() -> dict[str, list[str]]:
    """table -> the columns of free text (or JSON) that may name a person: scrubbed."""
    found: dict[str, list[str]] = {}
    for table, columns in INVENTORY.items():
        names = [name for name, entry in columns.items() if entry.erase is Erase.SCRUB]
        if names:
            found[table] = names
    return found


def room_columns() -> dict[str, list[str]]:
    """table -> the pseudonymised columns that may hold a person's direct room with the bot."""
    found: dict[str, list[str]] = {}
    for table, columns in INVENTORY.items():
        names = [
            name
            for name, entry in columns.items()
            if entry.erase is Erase.PSEUDONYMISE and entry.holds is not Holds.PERSON
        ]
        if names:
            found[table] = names
    return found
