"""Command line: ``board-bot run|check-config|migrate|demo``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from board_bot import __version__
from board_bot.errors import ConfigError

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
        from board_bot.demo import run_demo

        return run_demo(args.data_dir, console=not args.no_console)

    from board_bot.app import DatabaseUnavailable, build_app
    from board_bot.clock import SystemClock
    from board_bot.config import load_config

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
