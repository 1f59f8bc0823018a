"""A decision linked to the council paper (Vorlage) that took it to the council, and what the
council decided on it, read from the city's OParl endpoint (:mod:`.oparl`).

The council information system is someone else's server and may be slow, so no command waits
for it: ``!beschlüsse vorlage`` stores a :class:`CouncilRequest` and answers at once, and
:func:`process_requests` (a scheduler job, started right after the command and every
minute) looks the paper up outside any transaction, then links it and answers the command in
one short transaction. A look-up that cannot reach the endpoint or gets a malformed answer is
tried again (:data:`RETRY_AFTER`; the room is told once) and then given up; a paper that does
not exist is reported at once. Nothing is changed on a failed look-up.

:func:`check_results` (a daily job) reads the consultations of every linked paper whose result
the board has not been told yet; when the council decided, it notes the result on the decision
(„vom Hauptausschuss am 12.03.2027 beschlossen“) and tells the board room, once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from board_bot.core import audit, delivery
from board_bot.core.clock import Clock
from board_bot.core.config import OParlConfig
from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError, UsageError
from board_bot.core.formats import clock as clock_time
from board_bot.core.formats import format_date, shorten
from board_bot.core.i18n import t
from board_bot.core.render import Safe, escape
from board_bot.features.council import oparl
from board_bot.models import (
    PAPER_NAME_LENGTH,
    PAPER_REFERENCE_LENGTH,
    PAPER_URL_LENGTH,
    Board,
    CouncilRequest,
    Decision,
)

log = logging.getLogger(__name__)

#: How long after the 1st, 2nd and 3rd failed look-up the next one starts; after the 4th the
#: look-up is given up.
RETRY_AFTER = (timedelta(minutes=2), timedelta(minutes=15), timedelta(hours=1))
#: The longest one look-up may take in all (a search walks the endpoint's paper lists).
LOOKUP_SECONDS = 300
#: A look-up under way holds its request this long (longer than it may take).
CLAIM = timedelta(seconds=LOOKUP_SECONDS + 60)
#: The keys of failures worth another try (the endpoint down or confused).
TRANSIENT = frozenset({"oparl.unreachable", "oparl.malformed"})
#: What the council can decide on a paper (:data:`oparl.Outcome`), and the German preposition
#: kinds of a council body's name (:func:`_article`).
OUTCOMES = ("approved", "rejected", "noted")
ARTICLES = ("m", "f", "other")


# --- the look-up (network only) -----------------------------------------------------------------


def look_up(config: OParlConfig, wanted: str) -> oparl.Paper:
    """The paper with this reference („B 19/0379“) or at this OParl URL, without its
    consultations. Raises :class:`BotError` (``oparl.*``) when it cannot be read or found."""
    wanted = clean(wanted)
    if not config.enabled:
        raise BotError("oparl.not_configured")
    try:
        client = _client(config)
        if oparl.is_url(wanted):
            paper: oparl.Paper | None = client.paper_by_url(wanted, consultations=False)
        else:
            paper = client.find_paper(wanted, consultations=False)
    except oparl.Unreachable as exc:
        log.warning("OParl unreachable: %s", exc)
        raise BotError("oparl.unreachable") from exc
    except oparl.NotFound as exc:
        raise BotError("oparl.paper_not_found", reference=wanted[:200]) from exc
    except oparl.TooManyPages as exc:
        raise BotError("oparl.too_many_pages", reference=wanted[:200]) from exc
    except (oparl.Malformed, oparl.InvalidUrl) as exc:
        log.warning("OParl answered unexpectedly: %s", exc)
        raise BotError("oparl.malformed") from exc
    if paper is None:
        raise BotError("oparl.paper_not_found", reference=wanted[:200])
    if len(paper.id) > PAPER_URL_LENGTH or not same_server(config, paper.id):
        log.warning("OParl paper id too long or on another server: %.200s", paper.id)
        raise BotError("oparl.malformed")
    return paper


def same_server(config: OParlConfig, url: str) -> bool:
    """Whether ``url`` is on the configured endpoint's server (scheme, host and port): the bot
    opens no other (a paper's URL typed in the chat, an id an endpoint returns)."""
    mine, theirs = urlsplit(config.url.strip()), urlsplit(url.strip())
    return (mine.scheme, mine.netloc.casefold()) == (theirs.scheme, theirs.netloc.casefold())


def _client(config: OParlConfig) -> oparl.OParlClient:
    return oparl.OParlClient(config.url, timeout=config.timeout_seconds, total=LOOKUP_SECONDS)


def clean(wanted: str) -> str:
    """A reference or URL as typed, without the angle brackets a chat client may add."""
    return wanted.strip().strip("<>").strip()


# --- the request (database only) ----------------------------------------------------------------


def request(
    session: Session,
    decision: Decision,
    wanted: str,
    *,
    config: OParlConfig,
    room_id: str,
    reply_to: str,
    thread_root: str | None,
    actor: str,
    now: datetime,
) -> CouncilRequest:
    """Queue the look-up of the paper ``wanted`` (a reference or an OParl URL) for the decision,
    replacing one queued for it before. Raises when the endpoint is not configured or
    ``wanted`` cannot be a reference or URL; changes nothing then."""
    if not config.enabled:
        raise BotError("oparl.not_configured")
    wanted = clean(wanted)
    if not wanted:
        raise UsageError("oparl.no_reference")
    limit = PAPER_URL_LENGTH if oparl.is_url(wanted) else PAPER_REFERENCE_LENGTH
    if len(wanted) > limit or not wanted.isprintable():
        raise UsageError("oparl.bad_reference", text=wanted[:40])
    if oparl.is_url(wanted) and not same_server(config, wanted):
        raise BotError("oparl.foreign_url", server=urlsplit(config.url).netloc)
    assert decision.id is not None
    row = session.exec(
        select(CouncilRequest).where(CouncilRequest.decision_id == decision.id)
    ).first() or CouncilRequest(
        board_id=decision.board_id, decision_id=decision.id, wanted=wanted, room_id=room_id,
        reply_to=reply_to, requested_by=actor, created_at=now, next_attempt_at=now,
    )  # fmt: skip
    row.wanted, row.room_id, row.reply_to, row.thread_root = wanted, room_id, reply_to, thread_root
    row.requested_by, row.created_at, row.attempts, row.next_attempt_at = actor, now, 0, now
    session.add(row)
    session.flush()
    return row


def link(
    session: Session, decision: Decision, paper: oparl.Paper, *, actor: str, now: datetime
) -> None:
    """Keep the paper on the decision (replacing a paper linked before, and the council's result
    on that), with an audit entry."""
    before = {"paper_id": decision.paper_id, "paper_reference": decision.paper_reference}
    if decision.paper_id != paper.id:
        decision.council_organization = decision.council_date = None
        decision.council_outcome = decision.council_noted_at = None
    decision.paper_id = paper.id
    decision.paper_reference = (paper.reference or "")[:PAPER_REFERENCE_LENGTH] or None
    decision.paper_name = (paper.name or "")[:PAPER_NAME_LENGTH] or None
    decision.paper_date = paper.date
    web = paper.web if paper.web and len(paper.web) <= PAPER_URL_LENGTH else None
    decision.paper_web = web
    decision.updated_at = now
    session.add(decision)
    audit.record(
        session, board_id=decision.board_id, actor=actor, action="decision.paper",
        entity="decision", entity_id=str(decision.id), before=before,
        after={"paper_id": decision.paper_id, "paper_reference": decision.paper_reference},
        now=now,
    )  # fmt: skip
    session.flush()


# --- the look-up job ----------------------------------------------------------------------------

LookUp = Callable[[OParlConfig, str], oparl.Paper]


def process_requests(
    engine: Engine, config: OParlConfig, clock: Clock, *, lookup: LookUp = look_up
) -> int:
    """Look up every request that is due, one after the other; the number answered or retried.

    Each request is claimed first (a conditional update, so that two processes or two runs of
    the job never look up the same request), looked up without a transaction, and then settled
    in one: linked and answered, or retried later, or answered with why not. A request replaced
    by a newer one meanwhile is left to that one."""
    with unit_of_work(engine) as session:
        due = session.exec(
            select(CouncilRequest.id).where(col(CouncilRequest.next_attempt_at) <= clock.now())
        ).all()
    settled = 0
    for request_id in due:
        if request_id is None:
            continue
        claimed = _claim(engine, request_id, clock.now())
        if claimed is None:
            continue
        wanted, claim = claimed
        try:
            paper: oparl.Paper | BotError = lookup(config, wanted)
        except BotError as exc:
            paper = exc
        except Exception:  # a bug must not leave the request claimed, unanswered, for ever
            log.exception("council look-up %s failed", request_id)
            paper = BotError("oparl.malformed")
        if _settle(engine, request_id, claim, paper, clock.now()):
            settled += 1
    return settled


def _claim(engine: Engine, request_id: int, now: datetime) -> tuple[str, datetime] | None:
    with unit_of_work(engine) as session:
        row = session.get(CouncilRequest, request_id)
        if row is None or row.next_attempt_at > now:
            return None
        claim = now + CLAIM
        taken = session.connection().execute(
            sa.update(CouncilRequest)
            .where(
                col(CouncilRequest.id) == request_id,
                col(CouncilRequest.next_attempt_at) == row.next_attempt_at,
            )
            .values(next_attempt_at=claim)
        )
        if taken.rowcount != 1:
            return None
        return row.wanted, claim


def _settle(
    engine: Engine,
    request_id: int,
    claim: datetime,
    found: oparl.Paper | BotError,
    now: datetime,
) -> bool:
    with unit_of_work(engine) as session:
        row = session.get(CouncilRequest, request_id)
        if row is None or row.next_attempt_at != claim:
            return False  # replaced by a newer request, or settled elsewhere
        decision = session.get(Decision, row.decision_id)
        board = session.get(Board, row.board_id)
        if decision is None or board is None or board.archived_at is not None:
            session.delete(row)
            return False
        lang = board.language
        if isinstance(found, oparl.Paper):
            link(session, decision, found, actor=row.requested_by, now=now)
            text: str = linked_message(lang, decision)
            session.delete(row)
        elif found.key in TRANSIENT and row.attempts < len(RETRY_AFTER):
            row.next_attempt_at = now + RETRY_AFTER[row.attempts]
            row.attempts += 1
            session.add(row)
            if row.attempts > 1:
                return True  # the room was told at the first failure
            text = t(
                lang,
                "oparl.unreachable_retrying"
                if found.key == "oparl.unreachable"
                else "oparl.malformed_retrying",
                at=clock_time(lang, row.next_attempt_at, board.timezone),
                until=clock_time(lang, now + sum(RETRY_AFTER, timedelta()), board.timezone),
            )  # fmt: skip
        else:
            text = t(lang, found.key, **found.params)
            if found.key in TRANSIENT:
                text = t(lang, "oparl.given_up", attempts=row.attempts + 1, number=decision.number)
            session.delete(row)
        delivery.reply(
            session, row.room_id, text, reply_to=row.reply_to, now=now, thread=row.thread_root
        )
        return True


# --- what the council decided (the daily job) ---------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """What one run of :func:`check_results` did."""

    papers: int = 0
    decided: int = 0
    failed: int = 0


ReadPaper = Callable[[str], oparl.Paper]


def check_results(
    engine: Engine, config: OParlConfig, clock: Clock, *, read: ReadPaper | None = None
) -> Checked:
    """Read the consultations of each linked paper the board has no result for yet; note the
    council's decision and tell the board room, once. A paper that cannot be read is counted as
    failed and read again on the next run; nothing is changed for it."""
    if not config.enabled:
        return Checked()
    with unit_of_work(engine) as session:
        wanted = session.exec(
            select(Decision.id, Decision.paper_id)
            .join(Board, col(Board.id) == Decision.board_id)
            .where(
                col(Decision.paper_id).is_not(None),
                col(Decision.council_noted_at).is_(None),
                col(Board.archived_at).is_(None),
            )
            .order_by(col(Decision.id))
        ).all()
    if read is None:
        client = _client(config)

        def read(url: str) -> oparl.Paper:
            return client.paper_by_url(url, consultations=True)

    decided = failed = 0
    for decision_id, paper_id in wanted:
        if decision_id is None or paper_id is None:
            continue
        try:
            paper = read(paper_id)
        except oparl.NotFound:
            # Deleted in the council information system: said once, then no longer read.
            _gone(engine, decision_id, paper_id, clock.now())
            continue
        except Exception as exc:  # unreachable, malformed, or a bug: read again next time
            log.warning("council result of decision %s not read: %s", decision_id, exc)
            failed += 1
            continue
        result = paper.decision
        if result is None and _withdrawn(paper):
            _gone(engine, decision_id, paper_id, clock.now(), withdrawn=True)
            continue
        if result is None or result.outcome is None:
            continue
        if _note(engine, decision_id, paper_id, result, clock.now()):
            decided += 1
    return Checked(papers=len(wanted), decided=decided, failed=failed)


def _withdrawn(paper: oparl.Paper) -> bool:
    """Whether the paper's last consultation with a result says it was withdrawn."""
    said = [c.result for c in paper.consultations if c.result]
    return bool(said) and "zurückgezogen" in " ".join(said[-1].casefold().split())


def _gone(
    engine: Engine, decision_id: int, paper_id: str, now: datetime, *, withdrawn: bool = False
) -> None:
    """The paper was deleted or withdrawn: the board room is told once, and it is not read
    again."""
    with unit_of_work(engine) as session:
        decision = session.get(Decision, decision_id)
        if decision is None or decision.paper_id != paper_id or decision.council_noted_at:
            return
        board = session.get(Board, decision.board_id)
        if board is None or board.archived_at is not None:
            return
        decision.council_noted_at = now  # no outcome: not read again
        session.add(decision)
        reference = decision.paper_reference or "?"
        text = (
            t(
                board.language,
                "council.paper_withdrawn",
                number=decision.number,
                reference=reference,
            )
            if withdrawn
            else t(
                board.language, "council.paper_gone", number=decision.number, reference=reference
            )
        )
        delivery.reply(session, board.room_id, text, reply_to=None, now=now)


def _note(
    engine: Engine, decision_id: int, paper_id: str, result: oparl.Consultation, now: datetime
) -> bool:
    with unit_of_work(engine) as session:
        decision = session.get(Decision, decision_id)
        if decision is None or decision.paper_id != paper_id or decision.council_noted_at:
            return False  # linked to another paper meanwhile, or noted by another run
        board = session.get(Board, decision.board_id)
        if board is None or board.archived_at is not None:
            return False
        decision.council_organization = (result.organization or "")[:PAPER_NAME_LENGTH] or None
        decision.council_date = result.meeting_date
        decision.council_outcome = result.outcome
        decision.council_noted_at = now
        session.add(decision)
        audit.record(
            session, board_id=decision.board_id, actor="bot", action="decision.council",
            entity="decision", entity_id=str(decision.id), before={},
            after={"organization": decision.council_organization,
                   "date": decision.council_date.isoformat() if decision.council_date else None,
                   "outcome": decision.council_outcome},
            now=now,
        )  # fmt: skip
        lang = board.language
        text = t(
            lang, "council.decided", number=decision.number, text=shorten(decision.text, 200),
            reference=decision.paper_reference or "?", result=result_text(lang, decision),
            link=link_to(decision.paper_web or decision.paper_id or ""),
        )  # fmt: skip
        delivery.reply(session, board.room_id, text, reply_to=None, now=now)
        return True


# --- how a paper and its result read ------------------------------------------------------------

#: The endings of the German names of council bodies that take „vom“ (der Ausschuss, der Rat,
#: der Kreistag, das Gremium) and „von der“ (die Versammlung, die Vertretung, die Kommission).
_TAKES_VOM = ("ausschuss", "rat", "tag", "gremium", "kollegium", "plenum", "senat", "magistrat")
_TAKES_VON_DER = ("versammlung", "vertretung", "kommission", "konferenz", "runde", "kammer")


def result_text(lang: str, decision: Decision) -> Safe:
    """„vom Hauptausschuss am 12.03.2027 beschlossen“: the council's result on the decision's
    paper (empty when there is none)."""
    if decision.council_outcome is None:
        return Safe("")
    by = Safe("")
    if decision.council_organization:
        by = t(lang, f"council.by_{_article(decision.council_organization)}",
               organization=decision.council_organization)  # fmt: skip
    on = (
        t(lang, "council.on", date=format_date(decision.council_date))
        if decision.council_date
        else Safe("")
    )
    word = t(lang, f"council.outcome_{decision.council_outcome}")
    return Safe(
        " ".join(part for part in t(lang, "council.result", by=by, on=on, word=word).split())
    )


def _article(organization: str) -> str:
    """Which German preposition the body's name takes: ``m`` (vom), ``f`` (von der) or
    ``other`` (vom Gremium „…“), from the first word with a known ending."""
    for word in organization.replace("-", " ").split():
        word = word.casefold().strip(",.;:()")
        if word.endswith(_TAKES_VOM):
            return "m"
        if word.endswith(_TAKES_VON_DER):
            return "f"
    return "other"


def link_to(url: str) -> Safe:
    """A URL from elsewhere as an autolink when it is a plain http(s) URL, else as inert text."""
    return (
        Safe(f"<{url}>") if oparl.is_url(url) and not set(url) & set("<>()[]`\\") else escape(url)
    )


def paper_part(lang: str, decision: Decision) -> Safe:
    """„Vorlage B 19/0379 (vom Hauptausschuss am 12.03.2027 beschlossen): <link>“ for a
    decision's line in the register; empty without a paper."""
    if not decision.paper_id:
        return Safe("")
    return t(
        lang,
        "decision.paper_short_result" if decision.council_outcome else "decision.paper_short",
        reference=decision.paper_reference or "?",
        link=link_to(decision.paper_web or decision.paper_id), result=result_text(lang, decision),
    )  # fmt: skip


def linked_message(lang: str, decision: Decision) -> Safe:
    """„✔️ B-3 ist mit der Vorlage B 19/0379 „…“ vom 01.02.2027 verknüpft: <link>“; without the
    name or the date when the endpoint gave none."""
    about = Safe("")
    if decision.paper_name:
        about = t(lang, "decision.paper_name", name=shorten(decision.paper_name, 200))
    if decision.paper_date:
        about = Safe(
            f"{about} {t(lang, 'decision.paper_date', date=format_date(decision.paper_date))}"
        )
    return t(
        lang, "decision.paper_linked", number=decision.number,
        reference=decision.paper_reference or "?", about=Safe(str(about).strip()),
        link=link_to(decision.paper_web or decision.paper_id or ""),
    )  # fmt: skip
