"""A workshop as an iCalendar file (RFC 5545): the invitation, its updates and its cancellation.

One event per workshop, always with the same ``UID``; every change that is sent out carries a
higher ``SEQUENCE`` (RFC 5546), so that calendars replace the earlier version instead of adding a
second entry. Times are written in the board's time zone (``TZID``) with its ``VTIMEZONE``, so
that 10:00 Uhr stays 10:00 Uhr in Outlook and Thunderbird, daylight saving or not.

Pure: the caller passes every value, including ``now`` (the ``DTSTAMP``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Smart City Board Bot//Workshops//DE"
MIME = "text/calendar"


@dataclass(frozen=True)
class Meeting:
    uid: str
    sequence: int
    title: str
    starts_at: datetime  # aware
    duration: timedelta
    zone: str
    place: str | None = None
    url: str | None = None
    description: str = ""
    organizer: str | None = None  # a Matrix user id
    attendees: tuple[str, ...] = ()  # Matrix user ids


def matrix_uri(user_id: str) -> str:
    """``matrix:u/erika:stadt.de`` (the Matrix URI scheme): people have no e-mail address here,
    and ORGANIZER and ATTENDEE take any calendar user address URI."""
    return "matrix:u/" + quote(user_id.removeprefix("@"), safe=":.-_=/")


def calendar(meeting: Meeting, *, now: datetime, cancelled: bool = False) -> bytes:
    """The ``.ics`` file: ``METHOD:REQUEST`` for an invitation or an update, ``METHOD:CANCEL``
    (with ``STATUS:CANCELLED``) when the workshop is called off."""
    zone = ZoneInfo(meeting.zone)
    start = meeting.starts_at.astimezone(zone)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", start)
    # The end from the absolute start: a workshop over the change to summer time still lasts as
    # long as planned.
    event.add("dtend", (meeting.starts_at + meeting.duration).astimezone(zone))
    event.add("summary", meeting.title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.url:
        event.add("location", meeting.url)
    if meeting.url:
        event.add("url", meeting.url)
    if meeting.description:
        event.add("description", meeting.description)
    # RFC 5546: a REQUEST or CANCEL names its organiser and the attendees.
    if meeting.organizer:
        event.add("organizer", icalendar.vCalAddress(matrix_uri(meeting.organizer)))
    for person in meeting.attendees:
        attendee = icalendar.vCalAddress(matrix_uri(person))
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    # Only the years around the workshop: the full history of the zone is long and of no use.
    cal.add_missing_timezones(
        first_date=start.date().replace(month=1, day=1) - timedelta(days=366),
        last_date=start.date().replace(month=12, day=31) + timedelta(days=366),
    )
    return bytes(cal.to_ical())
