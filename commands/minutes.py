"""A workshop's agenda (``!workshop agenda``), its minutes (``!minutes start|end``, with
``!decision``, ``!action`` and ``!note`` in between) and the board's decision register
(``!decisions``)."""

from __future__ import annotations

import re

from board_bot.chat.common import board_of, today
from board_bot.chat.framework import Context, Group, Rest, Role, command
from board_bot.core.dates import parse_date
from board_bot.core.errors import BotError, Forbidden, UsageError
from board_bot.core.i18n import N_, t
from board_bot.core.ids import UserId
from board_bot.core.naming import People, Person
from board_bot.core.render import Safe, escape
from board_bot.features.council import papers
from board_bot.features.work_packages import service as wps
from board_bot.features.workshops import messages as r
from board_bot.features.workshops import minutes as ms
from board_bot.features.workshops import service as wss
from board_bot.models import Board, Decision, Workshop
from board_bot.scheduler import jobs as scheduled
from commands.workshops import group as workshop_group
from commands.workshops import may_organise, workshop_named

minutes_group = Group("minutes", de="protokoll")
decisions_group = Group(
    "decisions", de="beschlüsse", aliases=("beschlussregister",), default="list"
)

_STATUS_WORDS = {
    "proposed": "proposed",
    "vorgeschlagen": "proposed",
    "adopted": "adopted",
    "beschlossen": "adopted",
    "implemented": "implemented",
    "umgesetzt": "implemented",
}
_PROPOSAL = re.compile(r"[pv]([0-9]{1,2})", re.IGNORECASE)
#: ``!beschluss B-3 vorlage B 19/0379``: the short form of ``!beschlüsse vorlage``
_PAPER_FORM = re.compile(r"\s*(B-[0-9]{1,6})\s+(?:vorlage|paper)\s+(\S.*)", re.IGNORECASE)


# --- agenda ---------------------------------------------------------------------------------------


@workshop_group.command("agenda", de="tagesordnung")
def agenda(ctx: Context, number: str, *, change: Rest = "") -> str:
    """Show a workshop's agenda with the bot's proposals from open blockers and dependencies;
    add TEXT (or add P2, a proposal) and remove N change it"""
    ws = workshop_named(ctx, number)
    words = change.split(maxsplit=1)
    verb = words[0].casefold() if words else ""
    rest = words[1] if len(words) > 1 else ""
    if verb:
        may_organise(ctx, ws, wss.departments_of(ctx.session, ws))
    if verb in ("add", "hinzufügen", "neu", "+"):
        proposal = _PROPOSAL.fullmatch(rest.strip())
        if proposal is not None:
            offered = ms.proposals(ctx.session, ws, ctx.lang)
            index = int(proposal.group(1))
            if not 1 <= index <= len(offered):
                raise UsageError("agenda.no_such_proposal", number=index, count=len(offered))
            ms.add_item(
                ctx.session, ws, offered[index - 1], source="proposal", actor=ctx.sender,
                now=ctx.now,
            )  # fmt: skip
        else:
            ms.add_item(ctx.session, ws, rest, source="typed", actor=ctx.sender, now=ctx.now)
    elif verb in ("remove", "entfernen", "streichen", "-"):
        if not rest.strip().isdigit():
            raise UsageError("agenda.bad_position", text=rest[:20])
        ms.remove_item(ctx.session, ws, int(rest), actor=ctx.sender, now=ctx.now)
    elif verb:
        raise UsageError("agenda.bad_change", text=change[:40])
    return _agenda_text(ctx, ws)


def _agenda_text(ctx: Context, ws: Workshop) -> str:
    lines: list[str] = [t(ctx.lang, "agenda.title", number=ws.number, title=r.title(ws))]
    items = ms.agenda(ctx.session, ws)
    lines += [f"{i.position}. {escape(i.text)}" for i in items] or [
        t(ctx.lang, "agenda.empty", prefix=Safe(ctx.prefix), number=ws.number)
    ]
    offered = ms.proposals(ctx.session, ws, ctx.lang)
    if offered:
        lines += ["", t(ctx.lang, "agenda.proposals", prefix=Safe(ctx.prefix), number=ws.number)]
        lines += [f"- P{n}: {escape(text)}" for n, text in enumerate(offered, start=1)]
    return "\n".join(lines)


# --- minutes --------------------------------------------------------------------------------------


@minutes_group.command("start", de="beginnen", aliases=("starten",))
def start(ctx: Context, number: str) -> str:
    """Start the minutes of a workshop; !decision, !action and !note then go into them"""
    ws = workshop_named(ctx, number)
    may_organise(ctx, ws, wss.departments_of(ctx.session, ws))
    ms.start(ctx.session, ws, actor=ctx.sender, now=ctx.now)
    return t(
        ctx.lang, "minutes.started", number=ws.number, title=r.title(ws), prefix=Safe(ctx.prefix)
    )


@minutes_group.command("end", de="beenden", aliases=("ende", "schließen"))
def end(ctx: Context) -> str:
    """End the minutes: they are posted and kept, decisions go into the register, actions
    become work packages or milestones"""
    board = board_of(ctx)
    ws = ms.running(ctx.session, board.id or 0, ctx.prefix)
    _may_write(ctx, ws)
    outcomes = ms.end(ctx.session, ws, board, actor=ctx.sender, now=ctx.now, today=today(ctx))
    text = minutes_text(ctx, ws, board, outcomes)
    ms.keep_text(ctx.session, ws, text)
    return text


@minutes_group.command("show", de="zeigen")
def show(ctx: Context, number: str = "") -> str:
    """Show the minutes so far (of the running workshop), or those kept of workshop N"""
    board = board_of(ctx)
    if number:
        ws = workshop_named(ctx, number)
        if ws.minutes:
            return ws.minutes
        if ws.minutes_started_at is None:
            raise BotError("minutes.none_for", number=ws.number)
    else:
        ws = ms.running(ctx.session, board.id or 0, ctx.prefix)
    outcomes = ms.outcomes(ctx.session, ws)
    return minutes_text(ctx, ws, board, outcomes, draft=ws.minutes_ended_at is None)


def _may_write(ctx: Context, ws: Workshop) -> None:
    if ws.minutes_by == ctx.sender:
        return
    may_organise(ctx, ws, wss.departments_of(ctx.session, ws))


def _running(ctx: Context) -> Workshop:
    ws = ms.running(ctx.session, board_of(ctx).id or 0, ctx.prefix)
    _may_write(ctx, ws)
    return ws


@command("decision", de="beschluss", aliases=("entscheidung",), needs_board=True)
def decision(ctx: Context, *, text: Rest = "") -> str:
    """Record a decision: in the running workshop's minutes, or else straight into the decision
    register (proposed); B-3 vorlage REFERENCE links a decision to its council paper"""
    short = _PAPER_FORM.fullmatch(text)
    if short is not None:
        if not ctx.is_admin:
            raise Forbidden("error.forbidden_admin", admins=People(ctx.admins))
        return _link_paper(ctx, short.group(1), short.group(2))
    board = board_of(ctx)
    ws = ms.open_minutes(ctx.session, board.id or 0)
    if ws is None:
        if not ctx.is_admin:
            raise BotError("minutes.none_open", prefix=Safe(ctx.prefix))
        entry = ms.record_decision(
            ctx.session, board, text, workshop=None, actor=ctx.sender, now=ctx.now
        )
        return t(ctx.lang, "decision.recorded", number=entry.number)
    _may_write(ctx, ws)
    ms.record(ctx.session, ws, "decision", text, actor=ctx.sender, now=ctx.now)
    return t(ctx.lang, "minutes.noted_decision", number=ws.number)


@command("action", de="aufgabe", needs_board=True)
def action(ctx: Context, user: UserId, *, text: Rest = "", due: str = "", wp: str = "") -> str:
    """Record an action for someone in the running workshop's minutes; it becomes a work
    package (or, with --wp WP-12, a milestone of that package) when the minutes end"""
    ws = _running(ctx)
    board = board_of(ctx)
    members = ctx.runtime.room_members(ctx.room_id)
    if not ms.known_person(ctx.session, board.id or 0, user, members):
        raise BotError("minutes.unknown_assignee", user=Person(user))
    due_on = parse_date(due, today=today(ctx)) if due else None
    if due_on is not None and due_on < today(ctx):
        raise UsageError("minutes.due_past", due=due_on)
    package = wps.get(ctx.session, board.id or 0, wps.parse_code(wp)) if wp else None
    ms.record(
        ctx.session, ws, "action", text, actor=ctx.sender, now=ctx.now, assignee=user,
        due_on=due_on, work_package=package,
    )  # fmt: skip
    key = N_("minutes.noted_milestone") if package else N_("minutes.noted_action")
    return t(
        ctx.lang, key, number=ws.number, who=ctx.name(user),
        code=wps.code(package) if package else "",
    )  # fmt: skip


@command("note", de="notiz", needs_board=True)
def note(ctx: Context, *, text: Rest = "") -> str:
    """Record a note in the running workshop's minutes"""
    ws = _running(ctx)
    ms.record(ctx.session, ws, "note", text, actor=ctx.sender, now=ctx.now)
    return t(ctx.lang, "minutes.noted_note", number=ws.number)


def minutes_text(
    ctx: Context,
    ws: Workshop,
    board: Board,
    outcomes: list[ms.Outcome],
    *,
    draft: bool = False,
) -> str:
    lang = ctx.lang
    depts = wss.departments_of(ctx.session, ws)
    assert ws.starts_at is not None
    lines: list[str] = [
        t(lang, "minutes.draft_title" if draft else "minutes.title", number=ws.number,
          title=r.title(ws)),
        t(lang, "minutes.head",
          when=r.when(lang, ws.starts_at, board.timezone, ws.duration_minutes),
          where=r.where(lang, ws), depts=r.codes(depts),
          writer=ctx.name(ws.minutes_by) if ws.minutes_by else "–"),
    ]  # fmt: skip
    coming = wss.rsvps(ctx.session, ws)["yes"]
    if coming:
        lines.append(
            t(lang, "minutes.present", people=Safe(", ".join(ctx.name(u) for u in coming)))
        )
    items = ms.agenda(ctx.session, ws)
    if items:
        lines += ["", t(lang, "agenda.heading")]
        lines += [f"{i.position}. {escape(i.text)}" for i in items]
    sections = {
        "decision": [o for o in outcomes if o.line.kind == "decision"],
        "action": [o for o in outcomes if o.line.kind == "action"],
        "note": [o for o in outcomes if o.line.kind == "note"],
    }
    if sections["decision"]:
        lines += ["", t(lang, "minutes.decisions")]
        for o in sections["decision"]:
            ref = f"**B-{o.decision.number}** " if o.decision else ""
            lines.append(f"- {ref}{escape(o.line.text)}")
    if sections["action"]:
        lines += ["", t(lang, "minutes.actions")]
        for o in sections["action"]:
            due = " " + t(lang, "minutes.due", due=o.line.due_on) if o.line.due_on else ""
            made = ""
            if o.milestone_title and o.work_package:
                made = " → " + t(lang, "minutes.became_milestone", code=wps.code(o.work_package))
            elif o.work_package:
                made = " → " + t(lang, "minutes.became_wp", code=wps.code(o.work_package))
            who = ctx.name(o.line.assignee) if o.line.assignee else "–"
            lines.append(f"- {who}: {escape(o.line.text)}{due}{made}")
    if sections["note"]:
        lines += ["", t(lang, "minutes.notes")]
        lines += [f"- {escape(o.line.text)}" for o in sections["note"]]
    if not any(sections.values()):
        lines += ["", t(lang, "minutes.nothing")]
    return "\n".join(lines)


# --- the decision register ------------------------------------------------------------------------


@decisions_group.command("list", de="liste", aliases=("zeigen",))
def list_(ctx: Context, status: str = "") -> str:
    """List the decision register, optionally only one status (vorgeschlagen, beschlossen,
    umgesetzt)"""
    board = board_of(ctx)
    wanted = _status(status) if status else None
    found = ms.decisions(ctx.session, board.id or 0, wanted)
    if not found and wanted is not None:
        return t(
            ctx.lang, "decision.none_with_status", status=t(ctx.lang, f"decision.status_{wanted}")
        )
    if not found:
        return t(ctx.lang, "decision.none")
    numbers = wss.numbers(ctx.session, [d.workshop_id for d in found if d.workshop_id])
    lines: list[str] = [t(ctx.lang, "decision.title")]
    for d in found:
        lines.append("- " + decision_line(ctx.lang, d, numbers.get(d.workshop_id or 0)))
    return "\n".join(lines)


def decision_line(lang: str, d: Decision, workshop: int | None) -> str:
    source = " · " + t(lang, "decision.from_workshop", number=workshop) if workshop else ""
    state = t(lang, f"decision.status_{d.status}")
    council = " · " + papers.paper_part(lang, d) if d.paper_id else ""
    return f"**B-{d.number}** {escape(d.text)} · {state}{source}{council}"


@decisions_group.command("status", requires=Role.ADMIN)
def status(ctx: Context, number: str, value: str) -> str:
    """Set a decision's status: vorgeschlagen, beschlossen or umgesetzt"""
    board = board_of(ctx)
    entry = ms.find_decision(ctx.session, board.id or 0, _number(number))
    ms.set_status(ctx.session, entry, _status(value), actor=ctx.sender, now=ctx.now)
    return t(
        ctx.lang, "decision.status_set", number=entry.number,
        status=t(ctx.lang, f"decision.status_{entry.status}"),
    )  # fmt: skip


@decisions_group.command("paper", de="vorlage", requires=Role.ADMIN)
def paper(ctx: Context, number: str, *, reference: Rest) -> str:
    """Link a decision to its council paper (Vorlage) in the council information system: by
    its reference (B 19/0379) or its OParl URL"""
    return _link_paper(ctx, number, reference)


def _link_paper(ctx: Context, number: str, reference: str) -> str:
    board = board_of(ctx)
    entry = ms.find_decision(ctx.session, board.id or 0, _number(number))
    # The council information system is read by a job, not here: the command's transaction
    # never waits for another server. The job answers this command when it is done.
    queued = papers.request(
        ctx.session, entry, reference, config=ctx.runtime.oparl, room_id=ctx.room_id,
        reply_to=ctx.event_id or "", thread_root=ctx.thread_root, actor=ctx.sender, now=ctx.now,
    )  # fmt: skip
    ctx.after_commit.append(scheduled.council_soon)
    return t(ctx.lang, "decision.paper_searching", number=entry.number, reference=queued.wanted)


def _number(number: str) -> int:
    digits = number.upper().removeprefix("B-").removeprefix("B")
    if not digits.isdigit() or len(digits) > 6:
        raise UsageError("decision.bad_number", text=number[:20])
    return int(digits)


def _status(text: str) -> str:
    value = _STATUS_WORDS.get(text.strip().casefold())
    if value is None:
        raise UsageError("decision.bad_status", status=text[:30])
    return value
