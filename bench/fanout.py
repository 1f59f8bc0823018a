"""How long status rounds take to prompt their departments, against what the homeserver needs.

Two scenarios on one local Synapse (rate limits off, as in the tests); in each the bot runs as its
own process, and every department has its own lead (imported with ``board-bot import people``).
Each prompt goes to the lead's direct room, which the bot first opens (an encrypted room with an
invite). The time is taken to the last prompt the homeserver accepted (the outbox rows'
``sent_at``).

1. **One board of N departments** (default 200): ``!status run-now`` queues a prompt per
   department; measured from the command.
2. **B boards of D departments each** (default 50 boards of 10: 500 leads, all distinct): the
   chair opens B board rooms with ``!board init``, the departments are imported board by board,
   and every board's weekly schedule is set to prompt at the same minute, a minute or so ahead
   (``!status zeitplan wöchentlich abfrage <day> <HH:MM> keine erinnerung frist …``; the bot's
   clock is the real one). Before that minute the bench checks that the scheduler holds one
   prompt job per board for it. Measured from the planned minute, so it includes the scheduler
   starting B rounds at once. Should that day be no working day of the board's Bundesland (the
   prompt would move), ``!status run-now`` is sent to every board at once instead (``--start
   run-now`` forces that), measured from the first command. Then every prompt must have gone out
   exactly once: one round per board, one sent outbox row per prompt, and one message from the
   bot in each of the B x D direct rooms on the homeserver (read from Synapse's database after
   the bot stopped); otherwise the bench exits with 1. Also shown: how far into the fan-out a
   quarter, half and three quarters of the prompts had gone out, and how long the chair waits
   for the answer to ``!status`` in a board room, before the fan-out and when sent 5 s into it.

The floor is a minimal nio client on the same homeserver doing the same protocol work without
the bot: open as many direct rooms (encrypted, with an invite), wait for each to appear in a
sync, and send one encrypted message into each, eight at a time. Users are registered through
the shared-secret admin API, several at a time, before anything is measured. Prints:

    figure fanout_<N>_bot_seconds <s> s
    figure fanout_<N>_homeserver_floor_seconds <s> s
    figure fanout_<N>_bot_over_floor <ratio> x
    figure fanout_<B>x<D>_bot_seconds <s> s
    figure fanout_<B>x<D>_homeserver_floor_seconds <s> s
    figure fanout_<B>x<D>_bot_over_floor <ratio> x

and ``# `` lines on the way (set-up times, the exactly-once check).

Usage: python bench/fanout.py [--boards B] [--departments N] [--start schedule|run-now]
  (no options: 1 board of 200 departments, then 50 boards of 10; with options, that one
  scenario: ``--departments 200`` is one board of 200, ``--boards 50 --departments 10`` is 50
  boards of 10; ``--departments`` defaults to 200 for one board and to 10 for several)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nio import (  # noqa: E402
    AsyncClient,
    AsyncClientConfig,
    EnableEncryptionBuilder,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
)

from board_bot.core.workdays import is_working_day  # noqa: E402
from board_bot.dev.devserver import DATABASE_FILE, LocalSynapse, RegisteredUser  # noqa: E402
from tests.e2e.bot_process import BotProcess  # noqa: E402
from tests.e2e.client import TestClient  # noqa: E402
from tests.e2e.helpers import board_room, command, reply_to  # noqa: E402

PARALLEL = 8
REGISTER_PARALLEL = 8
#: the weekday words of ``!status zeitplan``, Monday first
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
#: how long a multi-board run may take from its start (the planned minute) to its last prompt
FANOUT_TIMEOUT = 600.0
#: how far into a multi-board fan-out a chair's command is sent, to see how long it waits
PROBE_AFTER = 5.0

# Imports each board's CSV file in turn, in one process (not one interpreter per board).
IMPORT_ALL = """\
import sys
from board_bot.cli import main
config, pairs = sys.argv[1], sys.argv[2:]
for room_id, csv_file in zip(pairs[::2], pairs[1::2]):
    code = main(["import", "people", csv_file, "--board", room_id, "--config", config])
    if code:
        sys.exit(f"importing {csv_file} into {room_id} failed with {code}")
"""


def register_leads(synapse: LocalSynapse, count: int) -> list[RegisteredUser]:
    """``count`` new users, registered a few at a time (set-up, not measured)."""
    tag = uuid.uuid4().hex[:6]

    def one(i: int) -> RegisteredUser:
        return synapse.register_user(f"lead{i:03d}-{tag}", f"pw-{tag}-{i}")

    with ThreadPoolExecutor(REGISTER_PARALLEL) as pool:
        return list(pool.map(one, range(count)))


async def import_departments(
    bot: BotProcess, workdir: Path, boards: list[tuple[str, list[RegisteredUser]]]
) -> None:
    """Each board's departments, one lead each, with ``board-bot import people``."""
    args: list[str] = []
    for number, (room_id, leads) in enumerate(boards):
        rows = ["code;name;lead"] + [
            f"FB {i + 1};Fachbereich {i + 1};{lead.user_id}" for i, lead in enumerate(leads)
        ]
        csv_file = workdir / f"org-{number + 1}.csv"
        csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
        args += [room_id, str(csv_file)]
    log_path = workdir / "import.log"
    with log_path.open("wb") as log:
        imported = await asyncio.create_subprocess_exec(
            sys.executable, "-c", IMPORT_ALL, str(bot.config_path), *args,
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
            env={**os.environ, "TEST_BOT_PASSWORD": bot.bot.password},
        )  # fmt: skip
        code = await imported.wait()
    if code != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        raise AssertionError("the import failed:\n" + "\n".join(tail))


async def start_bot(synapse: LocalSynapse, workdir: Path) -> tuple[BotProcess, TestClient]:
    """A new bot process, and its chair (its one admin) as a syncing client."""
    tag = uuid.uuid4().hex[:6]
    chair = synapse.register_user(f"cdo-{tag}", f"pw-{uuid.uuid4().hex}")
    bot_user = synapse.register_user(f"bot-{tag}", uuid.uuid4().hex)
    bot = BotProcess(
        synapse, bot_user, admin=chair.user_id, allowed_inviters=[chair.user_id], workdir=workdir
    )
    bot.start()
    try:
        return bot, await TestClient.create(synapse.url, chair, workdir / "store-cdo")
    except BaseException:
        bot.stop()
        raise


async def bot_fanout(synapse: LocalSynapse, workdir: Path, leads: list[RegisteredUser]) -> float:
    bot, cdo = await start_bot(synapse, workdir)
    try:
        room_id = await board_room(cdo, bot, encrypted=False)
        await command(cdo, room_id, "!board init Fan-out")
        await import_departments(bot, workdir, [(room_id, leads)])
        database = sqlite3.connect(workdir / "data" / "board.db")
        start = time.perf_counter()
        reply = await command(cdo, room_id, "!status run-now")
        assert f"{len(leads)} Fachbereiche" in reply.body, reply.body
        while True:
            sent, total = database.execute(
                "SELECT COUNT(sent_at), COUNT(*) FROM outbox o JOIN status_prompt p "
                "ON p.outbox_id = o.id"
            ).fetchone()
            if total == len(leads) and sent == total:
                break
            if time.perf_counter() - start > 600:
                raise TimeoutError(f"only {sent} of {total} prompts sent after 600 s")
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        failed = database.execute(
            "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND event_id IS NULL"
        ).fetchone()[0]
        assert failed == 0, f"{failed} prompts were given up"
        database.close()
        return elapsed
    except BaseException:
        print("# the bot's log ends with:\n" + "\n".join(bot.log().splitlines()[-40:]), flush=True)
        raise
    finally:
        await cdo.close()
        bot.stop()


async def answer_time(client: TestClient, room_id: str, text: str, delay: float = 0.0) -> float:
    """Seconds from sending ``text`` (after ``delay``) to the bot's reply to it."""
    await asyncio.sleep(delay)
    began = time.perf_counter()
    event_id = await client.send_text(room_id, text)
    await client.wait_for(reply_to(event_id), FANOUT_TIMEOUT, room_id=room_id, what=text)
    return time.perf_counter() - began


def _utc(text: str) -> datetime:
    """A ``UTCDateTime`` column as SQLite keeps it (UTC wall time, no zone)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def plan_same_minute(
    cdo: TestClient, rooms: list[str], database: sqlite3.Connection, lead_time: timedelta
) -> datetime | None:
    """Set every board's weekly prompt to one minute at least ``lead_time`` ahead, and wait
    until the scheduler holds each board's prompt job for it; that minute (UTC). None when it
    is no working day of the boards' Bundesland (the prompt would move to the next one)."""
    zone, land = database.execute("SELECT DISTINCT timezone, bundesland FROM board").fetchone()
    ahead = datetime.now(UTC) + lead_time
    planned = ahead.replace(second=0, microsecond=0) + timedelta(minutes=1)
    local = planned.astimezone(ZoneInfo(zone))
    if not is_working_day(land, local.date()):
        print(f"# {local:%d.%m.%Y} is no working day in {land}: using !status run-now", flush=True)
        return None
    today, tomorrow = WEEKDAYS[local.weekday()], WEEKDAYS[(local.weekday() + 1) % 7]
    change = (
        f"!status zeitplan wöchentlich abfrage {today} {local:%H:%M} "
        f"keine erinnerung frist {tomorrow} 12:00"
    )
    slots = asyncio.Semaphore(PARALLEL)

    async def one(room_id: str) -> None:
        async with slots:
            reply = await command(cdo, room_id, change)
        assert "Zeitplan gespeichert" in reply.body, reply.body

    began = time.perf_counter()
    await asyncio.gather(*(one(room_id) for room_id in rooms))
    changed = time.perf_counter() - began
    board_ids = [row[0] for row in database.execute("SELECT id FROM board")]
    wanted = {f"status-prompt-{board_id}" for board_id in board_ids}
    while True:  # the bot plans a board's jobs again a moment after its schedule changed
        jobs = dict(database.execute("SELECT id, next_run_time FROM apscheduler_jobs"))
        ready = [job for job in wanted if abs((jobs.get(job) or 0) - planned.timestamp()) < 0.5]
        if len(ready) == len(wanted):
            print(
                f"# {len(rooms)} schedules changed in {changed:.1f} s, their prompt jobs planned "
                f"for {planned:%H:%M} UTC after {time.perf_counter() - began:.1f} s",
                flush=True,
            )
            return planned
        if datetime.now(UTC) > planned - timedelta(seconds=1):
            raise TimeoutError(
                f"only {len(ready)} of {len(wanted)} boards had their prompt planned for "
                f"{planned:%H:%M:%S} UTC in time; the set-up needs more than {lead_time}"
            )
        await asyncio.sleep(0.1)


def check_exactly_once(
    database: sqlite3.Connection, synapse: LocalSynapse, bot_user_id: str, boards: int, count: int
) -> tuple[bool, str]:
    """Whether each of the ``count`` prompts went out exactly once, and what was counted: the
    bot's rounds and outbox rows, and the bot's messages in its direct rooms on the homeserver
    (call it when the bot has stopped)."""
    rounds = dict(database.execute("SELECT board_id, COUNT(*) FROM status_round GROUP BY board_id"))
    prompts, departments, sent, events, rooms = database.execute(
        "SELECT COUNT(*), COUNT(DISTINCT p.department_id), COUNT(o.sent_at), "
        "COUNT(DISTINCT o.event_id), COUNT(DISTINCT o.room_id) "
        "FROM status_prompt p JOIN outbox o ON o.id = p.outbox_id"
    ).fetchone()
    direct_rooms = {row[0] for row in database.execute("SELECT room_id FROM direct_room")}
    to_direct = database.execute(
        "SELECT COUNT(*) FROM outbox WHERE room_id IN (SELECT room_id FROM direct_room)"
    ).fetchone()[0]
    homeserver = sqlite3.connect(
        f"file:{synapse.data_dir / DATABASE_FILE}?mode=ro", uri=True, timeout=30
    )
    try:
        per_room = dict(
            homeserver.execute(
                "SELECT room_id, COUNT(*) FROM events WHERE sender = ? "
                "AND type IN ('m.room.message', 'm.room.encrypted') GROUP BY room_id",
                (bot_user_id,),
            )
        )
    finally:
        homeserver.close()
    in_direct = [per_room.get(room_id, 0) for room_id in direct_rooms]
    once = sum(1 for n in in_direct if n == 1)
    ok = (
        len(rounds) == boards
        and set(rounds.values()) == {1}
        and prompts == departments == sent == events == rooms == to_direct == count
        and len(direct_rooms) == count
        and once == count
        and sum(in_direct) == count
    )
    counted = (
        f"{sum(rounds.values())} rounds on {len(rounds)} boards, {prompts} prompts to "
        f"{departments} departments, {sent} outbox rows sent ({to_direct} to direct rooms) "
        f"with {events} distinct event ids, homeserver: {sum(in_direct)} messages from the bot "
        f"in {len(direct_rooms)} direct rooms, {once} with exactly one"
    )
    return ok, counted


async def boards_fanout(
    synapse: LocalSynapse, workdir: Path, leads_by_board: list[list[RegisteredUser]], start: str
) -> tuple[float, bool]:
    """One bot, a board per list of leads, every board's prompts at the same minute: the
    seconds from that minute to the last prompt the homeserver accepted, and whether each
    prompt went out exactly once."""
    bot, cdo = await start_bot(synapse, workdir)
    boards, count = len(leads_by_board), sum(len(leads) for leads in leads_by_board)
    database: sqlite3.Connection | None = None
    probe: asyncio.Task[float] | None = None
    try:
        began = time.perf_counter()
        slots = asyncio.Semaphore(PARALLEL)

        async def open_board(number: int) -> str:
            async with slots:
                room_id = await board_room(cdo, bot, encrypted=False)
                await command(cdo, room_id, f"!board init Board {number + 1}")
            return room_id

        rooms = list(await asyncio.gather(*(open_board(n) for n in range(boards))))
        opened = time.perf_counter() - began
        await import_departments(bot, workdir, list(zip(rooms, leads_by_board, strict=True)))
        print(
            f"# {boards} boards opened in {opened:.1f} s, their {count} departments imported "
            f"in {time.perf_counter() - began - opened:.1f} s",
            flush=True,
        )
        database = sqlite3.connect(workdir / "data" / "board.db", timeout=30)
        idle = await answer_time(cdo, rooms[0], "!status")
        planned = None
        if start == "schedule":
            # changing the schedules takes a fraction of opening the boards; 10 s to spare
            lead_time = timedelta(seconds=10 + opened / 2)
            planned = await plan_same_minute(cdo, rooms, database, lead_time)
        run_now: list[str] = []
        if planned is None:
            planned = datetime.now(UTC)
            # not one after the other: the replies come only as the outbox gets to them
            run_now = await asyncio.gather(*(cdo.send_text(r, "!status run-now") for r in rooms))
            print(f"# {boards} x !status run-now sent from {planned:%H:%M:%S} UTC", flush=True)
        else:
            wait = max(0.0, (planned - datetime.now(UTC)).total_seconds())
            print(f"# {boards} boards prompt at {planned:%H:%M} UTC, in {wait:.0f} s", flush=True)
            await asyncio.sleep(wait)
        probe = asyncio.create_task(answer_time(cdo, rooms[0], "!status", PROBE_AFTER))
        while True:
            sent, total = database.execute(
                "SELECT COUNT(sent_at), COUNT(*) FROM outbox o JOIN status_prompt p "
                "ON p.outbox_id = o.id"
            ).fetchone()
            if total >= count and sent == total:
                break
            if (datetime.now(UTC) - planned).total_seconds() > FANOUT_TIMEOUT:
                raise TimeoutError(f"{sent} of {total} prompts sent after {FANOUT_TIMEOUT} s")
            await asyncio.sleep(0.05)
        if run_now:
            replies = await asyncio.gather(
                *(
                    cdo.wait_for(reply_to(event_id), 60, room_id=room_id, what="!status run-now")
                    for room_id, event_id in zip(rooms, run_now, strict=True)
                )
            )
            for reply, leads in zip(replies, leads_by_board, strict=True):
                assert f"{len(leads)} Fachbereiche" in getattr(reply, "body", ""), reply
            latest = max(reply.server_timestamp for reply in replies) / 1000
            print(
                f"# the last reply to !status run-now came {latest - planned.timestamp():.1f} s "
                "after the first command",
                flush=True,
            )
        try:
            waited = f"{await asyncio.wait_for(probe, 60):.1f} s"
        except TimeoutError:
            waited = "more than 60 s after the last prompt"
        print(
            f"# !status in board 1: answered after {idle:.1f} s before the fan-out, and after "
            f"{waited} when sent {PROBE_AFTER:.0f} s into it",
            flush=True,
        )
        first, last, late = database.execute(
            "SELECT MIN(started_at), MAX(started_at), SUM(late) FROM status_round"
        ).fetchone()
        sent_after = sorted(
            (_utc(at) - planned).total_seconds()
            for (at,) in database.execute(
                "SELECT o.sent_at FROM outbox o JOIN status_prompt p ON p.outbox_id = o.id"
            )
        )
        elapsed = sent_after[-1]
        # a pace that falls off towards the end would show work growing with the backlog
        quarters = ", ".join(f"{sent_after[len(sent_after) * q // 4 - 1]:.1f}" for q in (1, 2, 3))
        print(f"# a quarter, half, three quarters of the prompts sent after {quarters} s")
        print(
            f"# rounds started {(_utc(first) - planned).total_seconds():.1f} to "
            f"{(_utc(last) - planned).total_seconds():.1f} s after it ({late} marked late)",
            flush=True,
        )
        failed = database.execute(
            "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND event_id IS NULL"
        ).fetchone()[0]
        assert failed == 0, f"{failed} prompts were given up"
    except BaseException:
        print("# the bot's log ends with:\n" + "\n".join(bot.log().splitlines()[-40:]), flush=True)
        if database is not None:
            database.close()
        raise
    finally:
        if probe is not None:
            probe.cancel()
        await cdo.close()
        bot.stop()
    try:
        ok, counted = check_exactly_once(database, synapse, bot.bot.user_id, boards, count)
    finally:
        database.close()
    bad = [
        line
        for line in bot.log().splitlines()
        if line.split()[2:3] in (["WARNING"], ["ERROR"], ["CRITICAL"])
    ]
    print(f"# the bot logged {len(bad)} warnings and errors", flush=True)
    for line in bad[:10]:
        print(f"#   {line[:200]}", flush=True)
    verdict = "every prompt went out exactly once" if ok else "NOT EXACTLY ONCE"
    print(f"# {verdict}: {count} expected; {counted}", flush=True)
    return elapsed, ok


async def floor_fanout(synapse: LocalSynapse, workdir: Path, leads: list[RegisteredUser]) -> float:
    """The same protocol work by a bare nio client, eight rooms at a time."""
    tag = uuid.uuid4().hex[:6]
    user = synapse.register_user(f"floor-{tag}", f"pw-{uuid.uuid4().hex}")
    client = AsyncClient(
        synapse.url,
        user.user_id,
        device_id=user.device_id,
        store_path=str(workdir),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
    )
    client.restore_login(user.user_id, user.device_id, user.access_token)
    await client.keys_upload()
    await client.sync(timeout=0, full_state=True)
    syncing = True

    async def sync_loop() -> None:
        while syncing:
            await client.sync(timeout=1000)

    loop_task = asyncio.create_task(sync_loop())
    slots = asyncio.Semaphore(PARALLEL)
    lock = asyncio.Lock()

    async def one(lead: RegisteredUser) -> None:
        async with slots:
            created = await client.room_create(
                is_direct=True,
                invite=[lead.user_id],
                name="Smart City Board",
                preset=RoomPreset.trusted_private_chat,
                initial_state=[EnableEncryptionBuilder().as_dict()],
            )
            assert isinstance(created, RoomCreateResponse), created
            # nio fills client.rooms from the sync loop; poll it as the bot waits for a sync.
            while lead.user_id not in getattr(client.rooms.get(created.room_id), "users", {}):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            async with lock:
                sent = await client.room_send(
                    created.room_id,
                    "m.room.message",
                    {"msgtype": "m.text", "body": "Statusabfrage"},
                    ignore_unverified_devices=True,
                )
            assert isinstance(sent, RoomSendResponse), sent

    start = time.perf_counter()
    try:
        await asyncio.gather(*(one(lead) for lead in leads))
        return time.perf_counter() - start
    finally:
        syncing = False
        await loop_task
        await client.close()


async def main(scenarios: list[tuple[int, int]], start: str) -> int:
    """Each scenario (boards, departments per board) by the bot and by the floor; 1 when a
    prompt did not go out exactly once."""
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        base = Path(tmp)
        synapse = LocalSynapse(base / "synapse")
        synapse.start()
        try:
            for boards, departments in scenarios:
                count = boards * departments
                name = f"{count}" if boards == 1 else f"{boards}x{departments}"
                began = time.perf_counter()
                leads = register_leads(synapse, count)
                floor_leads = register_leads(synapse, count)
                took = time.perf_counter() - began
                print(f"# {name}: registered {2 * count} leads in {took:.1f} s", flush=True)
                (base / name / "bot").mkdir(parents=True)
                (base / name / "floor").mkdir()
                if boards == 1:
                    bot_seconds = await bot_fanout(synapse, base / name / "bot", leads)
                else:
                    by_board = [
                        leads[b * departments : (b + 1) * departments] for b in range(boards)
                    ]
                    bot_seconds, exact = await boards_fanout(
                        synapse, base / name / "bot", by_board, start
                    )
                    ok = ok and exact
                floor_seconds = await floor_fanout(synapse, base / name / "floor", floor_leads)
                print(f"figure fanout_{name}_bot_seconds {bot_seconds:.1f} s")
                print(f"figure fanout_{name}_homeserver_floor_seconds {floor_seconds:.1f} s")
                print(f"figure fanout_{name}_bot_over_floor {bot_seconds / floor_seconds:.2f} x")
                sys.stdout.flush()
        finally:
            synapse.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--boards", type=int, help="boards served by one bot (default 1)")
    parser.add_argument(
        "--departments", type=int, help="departments per board (default 200 for one, else 10)"
    )
    parser.add_argument(
        "--start",
        choices=("schedule", "run-now"),
        default="schedule",
        help="how several boards start their rounds (default: their schedules, same minute)",
    )
    args = parser.parse_args()
    if args.boards is None and args.departments is None:
        chosen = [(1, 200), (50, 10)]
    else:
        boards = args.boards or 1
        chosen = [(boards, args.departments or (200 if boards == 1 else 10))]
    sys.exit(asyncio.run(main(chosen, args.start)))
