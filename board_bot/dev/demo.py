"""The demo: a local Synapse, a bot, a board room with demo people, and a chat console.

On the first run the board gets sample data of a German city: five departments with leads and
deputies (imported from ``demo_people.csv`` by the same service as ``board-bot import people``),
the Oberbürgermeisterin as observer and one absence over Christmas.

Everything lives in one data folder (default ``./data``), so a second run picks up where the
first left off: same homeserver, same users, same board.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import json
import logging
import tomllib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import Engine

from board_bot.app import build_app
from board_bot.core.clock import SystemClock
from board_bot.core.config import Config, parse_config
from board_bot.core.db import unit_of_work
from board_bot.core.errors import BotError
from board_bot.core.naming import namer
from board_bot.dev.demo_portfolio import seed_work_packages
from board_bot.dev.demo_round import seed_status_round
from board_bot.dev.demo_workshops import seed_workshops
from board_bot.dev.devserver import LocalSynapse, RegisteredUser, port_is_free
from board_bot.features.absences import service as absences
from board_bot.features.boards import service as boards
from board_bot.features.people import importer
from board_bot.features.people import service as people
from board_bot.features.publishing import service as publishing

log = logging.getLogger(__name__)

EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "config.example.toml"
PREFERRED_PORT = 8008
BOT = ("board-bot", "demo-bot-password", "Smart City Board Bot", "")
PEOPLE = [
    # localpart, password, display name (as Matrix shows it), role in the demo
    ("cdo", "demo-cdo", "Dr. Carla Dietrich", "Board-Vorsitz (CDO)"),
    ("fb61-leitung", "demo-fb61", "Frank Lehmann", "Leitung FB 61 Stadtplanung"),
    ("fb61-vertretung", "demo-fb61v", "Jana Schulz", "Vertretung FB 61"),
    ("amt13-leitung", "demo-amt13", "Aylin Demir", "Leitung FB 13 Hauptamt"),
    ("fb20-leitung", "demo-fb20", "Sabine Krüger", "Leitung FB 20 Finanzen"),
    ("fb20-vertretung", "demo-fb20v", "Markus Braun", "Vertretung FB 20"),
    ("fb40-leitung", "demo-fb40", "Thomas Becker", "Leitung FB 40 Schule und Bildung"),
    ("fb68-leitung", "demo-fb68", "Michael Wagner", "Leitung FB 68 Verkehr"),
    ("fb68-vertretung", "demo-fb68v", "Lena Hoffmann", "Vertretung FB 68"),
    ("ob", "demo-ob", "Elke Roeder", "Oberbürgermeisterin (Beobachterin)"),
]
CONSOLE_USER = "fb61-leitung"
BOARD_NAME = "Smart City Board Norderstedt (Demo)"
SAMPLE_FILE = "demo_people.csv"  # in this package; user ids on the server "localhost"
OBSERVER = "ob"
AWAY_NOW = "fb20-leitung"
AWAY_OVER_CHRISTMAS = "fb68-leitung"


@dataclass
class DemoState:
    room_id: str | None = None
    board_initialised: bool = False
    sample_data: bool = False
    # localpart -> RegisteredUser fields, so that a second run reuses logins instead of making
    # a new device for everybody
    users: dict[str, dict[str, str]] = field(default_factory=dict)


def _load_state(path: Path) -> DemoState:
    return DemoState(**json.loads(path.read_text())) if path.exists() else DemoState()


def _demo_users(synapse: LocalSynapse, state_file: Path) -> dict[str, RegisteredUser]:
    state = _load_state(state_file)
    users: dict[str, RegisteredUser] = {}
    for localpart, password, display_name, _role in [BOT, *PEOPLE]:
        if localpart in state.users:
            users[localpart] = RegisteredUser(**state.users[localpart])
            continue
        user = synapse.register_user(localpart, password)
        _call(
            synapse.url,
            "PUT",
            f"/_matrix/client/v3/profile/{quote(user.user_id)}/displayname",
            user.access_token,
            {"displayname": display_name},
        )
        users[localpart] = user
        state.users[localpart] = asdict(user)
        _save_state(state_file, state)
    return users


def _save_state(path: Path, state: DemoState) -> None:
    path.write_text(json.dumps(state.__dict__))


def _call(
    base: str, method: str, path: str, token: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body or {}).encode() if method != "GET" else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return dict(json.load(response))
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{method} {path}: HTTP {exc.code} {exc.read()[:300]!r}") from exc


def _demo_config(synapse: LocalSynapse, data_dir: Path) -> Config:
    """config.example.toml, pointed at this demo's homeserver and data folder."""
    data = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    data["matrix"]["homeserver"] = synapse.url
    data["storage"]["data_dir"] = str(data_dir / "bot")
    data["publish"] = {"dir": str(data_dir / "public"), "attribution": "Stadt Norderstedt (Demo)"}
    return parse_config(data, base_dir=data_dir)


def _setup_room(synapse: LocalSynapse, users: dict[str, RegisteredUser], state_file: Path) -> str:
    state = _load_state(state_file)
    cdo = users["cdo"]
    if state.room_id is None:
        created = _call(
            synapse.url,
            "POST",
            "/_matrix/client/v3/createRoom",
            cdo.access_token,
            {
                "name": BOARD_NAME,
                "topic": "Smart City Board: Arbeitspakete, Statusrunden, Workshops",
                "preset": "private_chat",
                "invite": [u.user_id for name, u in users.items() if name != "cdo"],
            },
        )
        state.room_id = str(created["room_id"])
        _save_state(state_file, state)
    room = quote(state.room_id, safe="")
    for name, user in users.items():
        if name not in ("cdo", "board-bot"):
            join = f"/_matrix/client/v3/rooms/{room}/join"
            try:
                _call(synapse.url, "POST", join, user.access_token)
            except RuntimeError:  # a person added to the demo after the room was made
                invite = f"/_matrix/client/v3/rooms/{room}/invite"
                _call(synapse.url, "POST", invite, cdo.access_token, {"user_id": user.user_id})
                _call(synapse.url, "POST", join, user.access_token)
    return state.room_id


async def _init_board(
    synapse: LocalSynapse, cdo: RegisteredUser, room_id: str, state_file: Path
) -> None:
    """The CDO sets up the board once the bot has joined (on the first run only)."""
    state = _load_state(state_file)
    if state.board_initialised:
        return
    room = quote(room_id, safe="")
    bot_id = f"@{BOT[0]}:{synapse.server_name}"
    member_path = f"/_matrix/client/v3/rooms/{room}/state/m.room.member/{quote(bot_id)}"
    for _ in range(300):  # the bot joins within a second or two; give it a minute at most
        try:
            member = await asyncio.to_thread(
                _call, synapse.url, "GET", member_path, cdo.access_token
            )
            if member.get("membership") == "join":
                break
        except RuntimeError:
            pass
        await asyncio.sleep(0.2)
    else:
        raise RuntimeError("Der Bot ist dem Demo-Raum nicht beigetreten; siehe data/bot.log")
    await asyncio.to_thread(
        _call,
        synapse.url,
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/demo-init-{room_id[1:9]}",
        cdo.access_token,
        {"msgtype": "m.text", "body": f"!board einrichten {BOARD_NAME}"},
    )
    state.board_initialised = True
    _save_state(state_file, state)


async def _add_sample_data(
    engine: Engine, config: Config, server_name: str, room_id: str, state_file: Path
) -> None:
    """Once the bot has set up the board: the sample city's departments, people and an absence
    (first run only; the steps themselves are idempotent too)."""
    if _load_state(state_file).sample_data:
        return
    for _ in range(300):  # the bot answers `!board init` within a second or two
        if await asyncio.to_thread(_board_exists, engine, room_id):
            break
        await asyncio.sleep(0.2)
    else:
        print("Das Board wurde nicht eingerichtet; Beispieldaten fehlen (siehe bot.log).")
        return
    clock = SystemClock()
    summary = await asyncio.to_thread(
        seed_sample_data,
        engine,
        room_id=room_id,
        server_name=server_name,
        now=clock.now(),
        today=clock.now().astimezone(config.bot.zone).date(),
    )
    log.info("demo sample data: %s", importer.describe(summary))
    state = _load_state(state_file)
    state.sample_data = True
    _save_state(state_file, state)


def _publish_portfolio(engine: Engine, config: Config, room_id: str) -> None:
    """Publish the demo board's public packages to ``data/public`` and say where they are."""
    try:
        with unit_of_work(engine) as session:
            board = boards.for_room(session, room_id)
            if board is None:
                return
            done = publishing.publish(
                session, board, config.publish, actor="import:demo", now=SystemClock().now()
            )
    except BotError as exc:
        print(f"Die öffentliche Portfolio-Seite wurde nicht veröffentlicht ({exc.key}).")
        return
    site = done.target
    assert site is not None  # the demo configures [publish] dir
    print(
        f"Öffentliche Portfolio-Seite ({len(done.made.packages)} Arbeitspakete): "
        f"{site}/index.html\n"
        f"Im Browser ansehen: python3 -m http.server -d {site.parent} 8080, dann "
        f"http://localhost:8080/{site.name}/ öffnen. "
        "Neu veröffentlichen: !veröffentlichen vorschau, dann !veröffentlichen freigeben",
        flush=True,
    )


def _board_exists(engine: Engine, room_id: str) -> bool:
    with unit_of_work(engine) as session:
        return boards.for_room(session, room_id) is not None


def sample_csv(server_name: str = "localhost") -> str:
    text = importlib.resources.files("board_bot.dev").joinpath(SAMPLE_FILE).read_text("utf-8")
    return text.replace(":localhost", f":{server_name}")


def christmas_holidays(today: date) -> tuple[date, date]:
    """21.12. to 06.01. of the coming (or current) Christmas holidays."""
    year = today.year - 1 if (today.month, today.day) <= (1, 6) else today.year
    return date(year, 12, 21), date(year + 1, 1, 6)


def seed_sample_data(
    engine: Engine, *, room_id: str, server_name: str, now: datetime, today: date
) -> importer.Summary:
    """Departments and roles from the sample file, the Oberbürgermeisterin as observer and the
    FB 68 lead away over Christmas, in one unit of work; what exists already is left alone."""
    observer = f"@{OBSERVER}:{server_name}"
    away = f"@{AWAY_OVER_CHRISTMAS}:{server_name}"
    with unit_of_work(engine) as session:
        summary = importer.import_people(
            session,
            room_id=room_id,
            text=sample_csv(server_name),
            actor=f"import:{SAMPLE_FILE}",
            now=now,
        )
        board = boards.for_room(session, room_id)
        assert board is not None and board.id is not None
        if not any(m.role == "observer" for m in people.roles_of(session, board.id, observer)):
            people.assign(
                session,
                board=board,
                user_id=observer,
                role="observer",
                department=None,
                actor=f"import:{SAMPLE_FILE}",
                now=now,
            )
        upcoming = absences.current_and_upcoming(session, board.id, today)
        start, end = christmas_holidays(today)
        # One absence at Christmas, and one running now, so that a deputy is seen standing in.
        sample_absences = [
            (away, start, end, "Weihnachtsurlaub"),
            (f"@{AWAY_NOW}:{server_name}", today, today + timedelta(days=4), "Fortbildung"),
        ]
        for user_id, starts_on, ends_on, reason in sample_absences:
            if not any(a.user_id == user_id for a in upcoming):
                absences.add(
                    session,
                    board=board,
                    user_id=user_id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    reason=reason,
                    actor=f"import:{SAMPLE_FILE}",
                    now=now,
                    today=today,
                )
        seed_work_packages(session, board=board, server_name=server_name, now=now, today=today)
        # The prompts and the poll are written before the bot has seen the room: the people are
        # named by the display names the demo gives them.
        shown = {f"@{local}:{server_name}": display for local, _, display, _ in PEOPLE}
        names = namer(board.room_id, lambda room_id, user_id: shown.get(user_id))
        seed_status_round(session, board, server_name=server_name, name=names, now=now)
        seed_workshops(session, board, server_name=server_name, name=names, now=now)
    return summary


def run_demo(data_dir: Path, *, console: bool = True) -> int:
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # The console shows German text only: the log (English, for developers) goes to bot.log.
    _log_to_file(data_dir / "bot.log")
    synapse_dir = data_dir / "synapse"
    port = (
        PREFERRED_PORT
        if (synapse_dir / "homeserver.yaml").exists() or port_is_free(PREFERRED_PORT)
        else None
    )
    synapse = LocalSynapse(synapse_dir, port=port)
    print(f"Ein lokaler Synapse-Homeserver wird gestartet: {synapse_dir} …", flush=True)
    synapse.start()
    try:
        users = _demo_users(synapse, data_dir / "demo-state.json")
        config = _demo_config(synapse, data_dir)
        room_id = _setup_room(synapse, users, data_dir / "demo-state.json")
        _print_welcome(synapse, room_id, data_dir / "bot.log")
        return asyncio.run(_run(config, synapse, users, room_id, data_dir, console=console))
    except KeyboardInterrupt:
        return 0
    finally:
        synapse.stop()


def _print_welcome(synapse: LocalSynapse, room_id: str, bot_log: Path) -> None:
    people = "\n".join(
        f"    {'@' + lp + ':' + synapse.server_name:<27} Passwort: {pw:<11} {name} – {role}"
        for lp, pw, name, role in PEOPLE
    )
    print(
        f"""
Smart City Board – Demo
=======================
Homeserver:  {synapse.url}   (Server-Name: {synapse.server_name})
Board-Raum:  {BOARD_NAME}  {room_id}
Demo-Personen (in jedem Matrix-Client auf diesem Rechner anmeldbar, z. B. Element):
{people}
Bot:         @{BOT[0]}:{synapse.server_name} (Logdatei: {bot_log})
""",
        flush=True,
    )


async def _run(
    config: Config,
    synapse: LocalSynapse,
    users: dict[str, RegisteredUser],
    room_id: str,
    data_dir: Path,
    *,
    console: bool,
) -> int:
    app = build_app(config, SystemClock())
    bot = asyncio.create_task(app.run(handle_signals=not console), name="bot")
    bot.add_done_callback(_report_end)
    await _init_board(synapse, users["cdo"], room_id, data_dir / "demo-state.json")
    await _add_sample_data(
        app.engine, config, synapse.server_name, room_id, data_dir / "demo-state.json"
    )
    await asyncio.to_thread(_publish_portfolio, app.engine, config, room_id)
    if not console:
        print("Der Bot läuft. Beenden mit Strg+C.", flush=True)
        await bot
        return 0
    from board_bot.matrix.console import ChatConsole

    lead = users[CONSOLE_USER]
    print(
        f"Sie schreiben jetzt als {lead.user_id} (Fachbereichsleitung) in den Board-Raum.\n"
        "Das Board hat Beispieldaten: fünf Fachbereiche (FB 13, 20, 40, 61, 68) mit Leitungen\n"
        "und Vertretungen, die Oberbürgermeisterin als Beobachterin, zwei Abwesenheiten,\n"
        "neun Arbeitspakete, acht vergangene Statusrunden und eine laufende (drei Fachbereiche\n"
        "haben gemeldet), drei Workshops (einer mit Protokoll, einer in der Terminabstimmung,\n"
        "einer festgelegt) und einen Beschluss im Beschlussregister.\n"
        "Probieren Sie: !hilfe   !status   !meldung WP-1 gelb 45% Schnittstelle im Test\n"
        "               !bericht   !ap liste   !ap zeigen WP-2   !personen   !abwesenheiten\n"
        "               !termine   !workshop abstimmen 2 1,3   !protokoll zeigen 1   !beschlüsse\n"
        f"Dateien und Bilder des Bots (Diagramm, Bericht als PDF) speichert die Konsole unter\n"
        f"{data_dir / 'files'} und nennt den Pfad.\n"
        "Beenden mit /quit oder Strg+D.\n",
        flush=True,
    )
    chat = ChatConsole(
        synapse.url,
        lead.user_id,
        lead.device_id,
        lead.access_token,
        room_id,
        files_dir=data_dir / "files",
    )
    try:
        await chat.run()
    finally:
        bot.cancel()
        await asyncio.gather(bot, return_exceptions=True)
    return 0


def _report_end(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        print(
            f"\nDer Bot wurde unerwartet beendet: {task.exception()}\n"
            "Einzelheiten stehen in der Logdatei (bot.log); beenden Sie die Demo mit /quit.",
            flush=True,
        )


def _log_to_file(path: Path) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    root.addHandler(handler)
