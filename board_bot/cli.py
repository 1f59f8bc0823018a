"""Command line: ``board-bot run|check-config|migrate|import people|import workpackages|demo``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from board_bot import __version__
from board_bot.core.errors import ConfigError

if TYPE_CHECKING:
    from board_bot.app import App

log = logging.getLogger("board_bot")


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # nio logs whole requests and events at DEBUG/INFO: keep message bodies out of the logs.
    for noisy in ("nio", "peewee", "aiohttp.access", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        "-c",
        type=Path,
        default=Path(os.environ.get("BOARD_BOT_CONFIG", "config.toml")),
        help="path of the TOML config file (default: $BOARD_BOT_CONFIG or ./config.toml)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="board-bot", description="Matrix bot for a city's Smart City Board"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--log-level", default=os.environ.get("BOARD_BOT_LOG_LEVEL", "INFO"))
    sub = parser.add_subparsers(dest="command", required=True)
    _config_arg(sub.add_parser("run", help="run the bot"))
    _config_arg(sub.add_parser("check-config", help="validate a config file and exit"))
    _config_arg(sub.add_parser("migrate", help="upgrade the database schema and exit"))
    importer = sub.add_parser("import", help="bulk set-up of a board from a file")
    what = importer.add_subparsers(dest="what", required=True)
    people = what.add_parser(
        "people",
        help="departments, leads, deputies and members from a CSV file",
        description="CSV columns: code,name,lead,deputies,members (or Kürzel;Name;Leitung;"
        "Vertretung;Mitglieder). Several people in a cell: separated by spaces or '|'. "
        "The whole file is checked first; if any row is bad, nothing changes.",
    )
    people.add_argument("file", type=Path, help="the CSV file (UTF-8, ',' or ';')")
    people.add_argument(
        "--board", required=True, metavar="ROOM_ID", help="the board's room id (!abc:server)"
    )
    people.add_argument(
        "--dry-run", action="store_true", help="check and show what would change, change nothing"
    )
    _config_arg(people)
    packages = what.add_parser(
        "workpackages",
        help="work packages from a CSV file (as '!wp export' writes it)",
        description="CSV columns as '!wp export' writes them (German or English names): Nr, "
        "Titel, Fachbereich, Beteiligte Fachbereiche, Leitlinie, Handlungsfeld, Verantwortlich, "
        "Status, Ampel, Ampel-Begründung, Fortschritt (%%), Start, Fällig, Förderprogramm, "
        "Antragsfrist, Wartet auf, Meilensteine, Links, Beschreibung. A row without Nr creates "
        "a package (Titel and Fachbereich needed); a row with Nr (WP-12) updates that package. "
        "The whole file is checked first; if any row is bad, nothing changes.",
    )
    packages.add_argument("file", type=Path, help="the CSV file (UTF-8, ';' or ',')")
    packages.add_argument(
        "--board", required=True, metavar="ROOM_ID", help="the board's room id (!abc:server)"
    )
    packages.add_argument(
        "--dry-run", action="store_true", help="check and show what would change, change nothing"
    )
    _config_arg(packages)
    demo = sub.add_parser(
        "demo", help="start a local Synapse, a demo board and a chat console (needs .[demo])"
    )
    demo.add_argument("--data-dir", type=Path, default=Path("data"))
    demo.add_argument(
        "--no-console", action="store_true", help="keep running without the chat console"
    )
    args = parser.parse_args(argv)
    _setup_logging(args.log_level)

    if args.command == "demo":
        from board_bot.dev.demo import run_demo

        return run_demo(args.data_dir, console=not args.no_console)

    from board_bot.app import DatabaseUnavailable, build_app
    from board_bot.core.clock import SystemClock
    from board_bot.core.config import load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"Invalid configuration {args.config}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    if args.command == "check-config":
        print(
            f"{args.config}: OK — {config.matrix.user_id} on {config.matrix.homeserver}, "
            f"database {config.storage.database_url.split(':', 1)[0]}, "
            f"language {config.bot.language}, time zone {config.bot.timezone}, "
            f"encryption {'on' if config.encryption.enabled else 'off'}"
        )
        return 0
    app = build_app(config, SystemClock())
    try:
        if args.command == "migrate":
            app.prepare_database()
            print("database schema is up to date")
            return 0
        if args.command == "import":
            return _import(app, args.what, args.file, args.board, dry_run=args.dry_run)
        asyncio.run(app.run())
    except DatabaseUnavailable as exc:
        log.error("%s", exc)
        return 3
    except Exception as exc:
        from board_bot.matrix.runner import LoginFailed, TokenRevoked

        if isinstance(exc, LoginFailed | TokenRevoked):
            log.error("%s", exc)
            return 4
        raise
    return 0


class _DryRun(Exception):
    """Rolls the dry run's unit of work back."""


def _import(app: App, what: str, path: Path, room_id: str, *, dry_run: bool) -> int:
    """``board-bot import people|workpackages``: 0 imported (or dry run fine), 2 problems,
    3 no database."""
    from zoneinfo import ZoneInfo

    from board_bot.core.db import unit_of_work
    from board_bot.features.boards import service as boards
    from board_bot.features.people import importer
    from board_bot.features.work_packages import exchange as wp_exchange

    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    actor = f"import:{path.name}"[:255]
    now = app.clock.now()
    try:
        text = importer.decode(data)
        app.prepare_database()
        try:
            with unit_of_work(app.engine) as session:
                if what == "people":
                    summary = importer.import_people(
                        session, room_id=room_id, text=text, actor=actor, now=now
                    )
                    description = importer.describe(summary, dry_run=dry_run)
                else:
                    board = boards.for_room(session, room_id)
                    zone = ZoneInfo(board.timezone if board else app.config.bot.timezone)
                    result = wp_exchange.import_work_packages(
                        session,
                        room_id=room_id,
                        text=text,
                        actor=actor,
                        now=now,
                        today=now.astimezone(zone).date(),
                        handlungsfelder=app.config.bot.handlungsfelder,
                    )
                    description = wp_exchange.describe(result, dry_run=dry_run)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    except importer.ImportRejected as exc:
        print(f"{path}: {len(exc.problems)} problem(s), nothing was changed:", file=sys.stderr)
        for number, problem in enumerate(exc.problems, 1):
            print(f"  {number}. {problem}", file=sys.stderr)
        return 2
    finally:
        app.engine.dispose()
    print(f"{path} → board {room_id}")
    print(description)
    return 0
