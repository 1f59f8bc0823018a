"""Command line: ``board-bot run|check-config|migrate|import people|import workpackages|
backup|restore|demo``."""

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
from board_bot.core.files import CREDENTIALS_FILE

if TYPE_CHECKING:
    from board_bot.app import App
    from board_bot.core.config import Config
    from board_bot.features.privacy.erasure import Erasure, HeldRole

log = logging.getLogger("board_bot")


def _setup_logging(level: str, fmt: str = "text") -> None:
    from board_bot.core import logs

    logs.setup(level, fmt)  # nio's and aiohttp's request logs stay quiet: no message bodies


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        "-c",
        type=Path,
        default=Path(os.environ.get("BOARD_BOT_CONFIG", "config.toml")),
        help="path of the TOML config file (default: $BOARD_BOT_CONFIG or ./config.toml)",
    )


def _migrate_to(app: App, revision: str) -> int:
    from board_bot.core import migrate

    app.check_database()
    try:
        before, after = migrate.move_to(app.engine, revision)
    except migrate.UnknownRevision as exc:
        print(f"cannot migrate: {exc}", file=sys.stderr)
        return 2
    print(f"database schema at revision {after} (was {before or 'empty'})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="board-bot", description="Matrix bot for a city's Smart City Board"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--log-level", default=os.environ.get("BOARD_BOT_LOG_LEVEL", "INFO"))
    sub = parser.add_subparsers(dest="command", required=True)
    _config_arg(sub.add_parser("run", help="run the bot"))
    _config_arg(sub.add_parser("check-config", help="validate a config file and exit"))
    migrate_parser = sub.add_parser("migrate", help="upgrade the database schema and exit")
    _config_arg(migrate_parser)
    migrate_parser.add_argument(
        "--to",
        metavar="REVISION",
        help="bring the schema to this revision instead of the newest, up or down (to go back "
        "to an earlier version of the bot: the revision in its backup's manifest.json)",
    )
    _config_arg(
        sub.add_parser(
            "healthcheck",
            help="exit 0 when the running bot's /healthz answers (needs [monitoring] port)",
            description="GET http://HOST:PORT/healthz of the [monitoring] port in the config; "
            "exit 0 when it answers 200, else 1 (for a container's HEALTHCHECK).",
        )
    )
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
    _backup_parsers(sub)
    _privacy_parsers(sub)
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

    from board_bot.app import DatabaseUnavailable, MonitoringUnavailable, build_app
    from board_bot.core.clock import SystemClock
    from board_bot.core.config import load_config

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"Invalid configuration {args.config}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1 if args.command == "healthcheck" else 2  # Docker reserves a health check's 2
    if config.logging.format != "text":
        _setup_logging(args.log_level, config.logging.format)
    if args.command == "healthcheck":
        return _healthcheck(config)
    if args.command in ("backup", "restore"):
        return _backup_or_restore(config, args)
    if args.command == "privacy":
        return _privacy(config, args)
    if args.command == "check-config":
        watch = config.monitoring
        print(
            f"{args.config}: OK — {config.matrix.user_id} on {config.matrix.homeserver}, "
            f"database {config.storage.database_url.split(':', 1)[0]}, "
            f"language {config.bot.language}, time zone {config.bot.timezone}, "
            f"encryption {'on' if config.encryption.enabled else 'off'}, "
            f"monitoring {f'on {watch.host}:{watch.port}' if watch.enabled else 'off'}, "
            f"logs as {config.logging.format}"
        )
        return 0
    app = build_app(config, SystemClock())
    try:
        if args.command == "migrate":
            if args.to is None:
                app.prepare_database()
                print("database schema is up to date")
                return 0
            return _migrate_to(app, args.to)
        if args.command == "import":
            return _import(app, args.what, args.file, args.board, dry_run=args.dry_run)
        asyncio.run(app.run())
    except DatabaseUnavailable as exc:
        log.error("%s", exc)
        return 3
    except MonitoringUnavailable as exc:
        log.error("%s", exc)
        return 5
    except Exception as exc:
        from board_bot.matrix.runner import LoginFailed, TokenRevoked

        if isinstance(exc, LoginFailed | TokenRevoked):
            log.error("%s", exc)
            return 4
        raise
    return 0


def _backup_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser(
        "backup",
        help="back up the database, the login and the encryption keys into a new directory",
        description="Writes the database (SQLite: its online backup, safe while the bot runs; "
        "PostgreSQL: pg_dump, custom format), the login (credentials.json) and the crypto "
        "store into DIR, with manifest.json (versions, SHA-256 of every file). DIR must be new "
        "or empty; it is made readable by this user only. Exit codes: 0 done, 2 refused "
        "(nothing written), 1 failed, 3 database unreachable.",
    )
    backup.add_argument("--to", required=True, type=Path, metavar="DIR", dest="directory")
    _config_arg(backup)
    restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty data directory (and an empty database)",
        description="Checks every file of the backup in DIR against its manifest, then restores "
        "the database (PostgreSQL: pg_restore into the configured database, which must have no "
        "tables), the login and the crypto store into the configured data directory, which must "
        "be empty or missing. Start the bot afterwards: its migrations run at start-up. Exit "
        "codes: 0 done, 2 refused (nothing written), 1 failed, 3 database unreachable.",
    )
    restore.add_argument("--from", required=True, type=Path, metavar="DIR", dest="directory")
    _config_arg(restore)


def _backup_or_restore(config: Config, args: argparse.Namespace) -> int:
    """``board-bot backup|restore``: 0 done, 1 failed, 2 refused, 3 no database."""
    from board_bot.core import backup as backups
    from board_bot.core.clock import SystemClock

    try:
        if args.command == "backup":
            manifest = backups.backup(
                config, args.directory, now=SystemClock().now(), version=__version__
            )
            size = sum(f.size for f in manifest.files)
            print(
                f"backup written to {args.directory}: {manifest.backend} database at schema "
                f"revision {manifest.schema_revision or '(none)'}, {len(manifest.files)} files, "
                f"{size:,} bytes"
            )
            if not any(f.path.endswith(CREDENTIALS_FILE) for f in manifest.files):
                print(
                    f"warning: {config.storage.data_dir / CREDENTIALS_FILE} is missing: the "
                    "backup holds no login (has the bot ever logged in?)",
                    file=sys.stderr,
                )
            return 0
        result = backups.restore(config, args.directory)
    except backups.BackupError as exc:
        verb = "backup" if args.command == "backup" else "restore"
        print(f"{verb} {'refused' if exc.exit_code == 2 else 'failed'}: {exc}", file=sys.stderr)
        return exc.exit_code
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    manifest = result.manifest
    print(
        f"restored the backup of {manifest.created_at} (bot {manifest.bot_version}, "
        f"{manifest.backend}) into {result.data_dir}; start the bot: board-bot run "
        f"--config {args.config}"
    )
    return 0


def _healthcheck(config: Config, timeout: float = 5.0) -> int:
    """``board-bot healthcheck``: 0 when the bot's ``/healthz`` answers 200, else 1."""
    import urllib.error
    import urllib.request

    settings = config.monitoring
    if not settings.enabled:
        print(
            "healthcheck: the monitoring port is off; set [monitoring] port in the config",
            file=sys.stderr,
        )
        return 1
    # A server listening on every interface is asked on the loopback address.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(settings.host, settings.host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{settings.port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (OSError, ValueError) as exc:
        print(f"healthcheck: {url}: {getattr(exc, 'reason', exc)}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: {url} answered HTTP {status}", file=sys.stderr)
        return 1
    print(f"healthcheck: {url} OK")
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


def _privacy_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    privacy = sub.add_parser(
        "privacy", help="data protection: what the bot holds about a person (DSGVO)"
    )
    what = privacy.add_subparsers(dest="privacy_command", required=True)
    erase = what.add_parser(
        "erase",
        help="erase a person: pseudonymise them everywhere, delete what is theirs alone",
        description="Replaces USER's Matrix id everywhere by a new pseudonym ('Person 7': the "
        "same for them everywhere, never reused, not linked to them anywhere), replaces their "
        "id and display names in free texts (status answers, minutes, audit log, messages the "
        "bot sent) by it, deletes their absences and direct room, and redacts the bot's sent "
        "messages that named them where the homeserver allows. Lights, progress, statuses, "
        "kept rounds and decisions stay. Refused while USER holds a role on a board (the "
        "data is still needed for it), and when no display name of theirs is known (neither "
        "from the homeserver nor by --name) unless --offline. Prints the pseudonym and counts "
        "per table, never texts nor whom the pseudonym stands for. Exit codes: 0 done (or "
        "nothing stored), 2 refused or a concurrent erasure (nothing changed), 3 database "
        "unreachable.",
    )
    erase.add_argument("user", metavar="USER", help="the person's Matrix id (@erika:stadt.de)")
    erase.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="DISPLAY_NAME",
        help="a display name they went by, to replace in texts (repeatable; the homeserver's "
        "profile and their names in the boards' rooms are added unless --offline)",
    )
    erase.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    erase.add_argument(
        "--offline",
        action="store_true",
        help="do not ask the homeserver: no display names from it (only those given by --name "
        "are replaced, or none: then only the Matrix id), no redactions",
    )
    _config_arg(erase)
    export = what.add_parser(
        "export",
        help="everything the bot holds about a person, as JSON (access, Art. 15 GDPR)",
        description="Writes as JSON everything stored about USER (roles, absences, status "
        "answers and prompts, packages, votes, RSVPs, agenda items, minutes, decisions, audit "
        "entries, the direct room, and every text that names them by their id or a --name, as the "
        "erasure finds them): the same file as '!meine-daten' sends them. Other people's "
        "Matrix ids in it are replaced by 'other-person'. Changes nothing. Exit codes: 0 done, "
        "2 bad input (a malformed user id, an unknown board), 3 database unreachable.",
    )
    export.add_argument("user", metavar="USER", help="the person's Matrix id (@erika:stadt.de)")
    export.add_argument("--board", metavar="ROOM_ID", help="only this board (its room id)")
    export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE, not stdout")
    export.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="DISPLAY_NAME",
        help="a display name they went by: the texts that name them by it are exported too "
        "(repeatable; their id is always searched for)",
    )
    _config_arg(export)


def _privacy(config: Config, args: argparse.Namespace) -> int:
    """``board-bot privacy ...``: dispatched by the subcommand."""
    if args.privacy_command == "export":
        return _privacy_export(config, args)
    if args.privacy_command == "erase":
        return _privacy_erase(config, args)
    raise AssertionError(f"no handler for privacy {args.privacy_command}")


def _privacy_erase(config: Config, args: argparse.Namespace) -> int:
    """``board-bot privacy erase``: 0 done, 2 refused, 3 no database."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from board_bot.app import DatabaseUnavailable, build_app
    from board_bot.core.clock import SystemClock
    from board_bot.core.db import unit_of_work
    from board_bot.core.ids import is_user_id
    from board_bot.features.privacy import erasure

    user: str = args.user
    if not is_user_id(user):
        print(
            f"refused: {user!r} is not a Matrix user id (like @erika:stadt.example)",
            file=sys.stderr,
        )
        return 2
    if user in config.bot.admins:
        print(
            f"refused: {user} is an admin in the config ({args.config}, [bot] admins); take "
            "them out there and restart the bot first",
            file=sys.stderr,
        )
        return 2
    app = build_app(config, SystemClock())
    names: list[str] = [n for n in args.name if n.strip()]
    try:
        app.prepare_database()
        with unit_of_work(app.engine) as session:
            held = erasure.held_roles(session, user)
            rooms = erasure.rooms_of_boards(session)
        if held:
            return _refuse_roles(config, user, held)
        if not args.offline:
            found = _names_from_homeserver(config, user, rooms, given=len(names))
            if found is None:
                return 2
            names += found
        now = app.clock.now()
        try:
            with unit_of_work(app.engine) as session:
                result = erasure.erase(session, user_id=user, names=names, now=now)
                if args.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    except (IntegrityError, OperationalError) as exc:
        # a second erasure took the same number (SQLite: held the database), or a deadlock
        # with the bot: all rolled back
        concurrent = ("locked", "deadlock")
        if isinstance(exc, OperationalError) and not any(w in str(exc) for w in concurrent):
            raise
        print(
            "refused: another erasure ran at the same time (or the bot changed the same rows); "
            "nothing was changed; try again",
            file=sys.stderr,
        )
        return 2
    except DatabaseUnavailable as exc:
        print(f"{exc}", file=sys.stderr)
        return 3
    except erasure.StillHoldsRoles as exc:  # a role given in the meantime
        return _refuse_roles(config, user, exc.roles)
    finally:
        app.engine.dispose()
    _print_erasure(result, dry_run=args.dry_run, names=len(names))
    if result.to_redact:
        _redact(config, result, dry_run=args.dry_run, offline=args.offline)
    return 0


def _refuse_roles(config: Config, user: str, roles: list[HeldRole]) -> int:
    prefix = config.bot.command_prefix
    print(
        f"refused: {user} still holds {len(roles)} role(s); nothing was changed. While they "
        "hold a role the board still needs their data for it (so Art. 17(1)(a) GDPR does not "
        "apply yet):",
        file=sys.stderr,
    )
    for role in roles:
        where = f" of {role.department}" if role.department else ""
        print(
            f"  - {role.role}{where} on the board {role.board_name!r} ({role.board_room}): end "
            f"it there with {prefix}role remove {user} {role.role}"
            + (f" {role.department}" if role.department else "")
            + f" (German: {prefix}rolle entziehen ...)",
            file=sys.stderr,
        )
    return 2


def _names_from_homeserver(
    config: Config, user: str, rooms: list[str], *, given: int
) -> list[str] | None:
    """The display names the homeserver knows of ``user``; None when refused (said): none is
    known and none was given by --name, so that only the Matrix id would be replaced."""
    from board_bot.matrix import privacy

    try:
        found = asyncio.run(privacy.display_names(config, user, rooms))
    except privacy.Unreachable as exc:
        if not given:
            _refuse_names(user, f"the homeserver could not be asked: {exc}")
            return None
        more = f" and the {len(exc.found)} it gave before" if exc.found else ""
        print(
            f"warning: could not ask the homeserver for the display names ({exc}); going on "
            f"with the {given} name(s) given by --name{more}",
            file=sys.stderr,
        )
        return exc.found
    print(f"display names from the homeserver: {len(found)}")
    if not found and not given:
        _refuse_names(user, "the homeserver knows none (a deactivated account?)")
        return None
    return found


def _refuse_names(user: str, why: str) -> None:
    print(
        f"refused: no display name of {user} is known ({why}); nothing was changed. Their "
        "display names in texts would stay. Give the names they went by with --name "
        "'Erika Mustermann' (repeatable), or use --offline to erase the Matrix id only, "
        "knowingly.",
        file=sys.stderr,
    )


def _print_erasure(result: Erasure, *, dry_run: bool, names: int) -> None:
    """Counts per table and the pseudonym; never the person's texts."""
    would = "would be " if dry_run else ""
    if result.pseudonym is None:
        print(f"nothing is stored about {result.user_id}: nothing {would}changed")
        return
    print(  # not next to their id: that would link the pseudonym to them in a log or ticket
        f"{would}erased as {result.pseudonym!r} (their id and {names} display name(s) looked "
        f"for){' — dry run, nothing changed' if dry_run else ''}:"
    )
    for table in sorted(set(result.rows) | set(result.deleted)):
        parts = []
        if table in result.deleted:
            parts.append(f"{result.deleted[table]} row(s) {would}deleted")
        if table in result.rows:
            columns = ", ".join(f"{c} {n}" for c, n in sorted(result.values[table].items()))
            parts.append(f"{result.rows[table]} row(s) {would}changed ({columns})")
        print(f"  {table}: {'; '.join(parts)}")
    if result.cancelled:
        print(f"  outbox: {result.cancelled} unsent message(s) to them {would}cancelled")
    print(
        f"Do not write down whom {result.pseudonym!r} stands for (not in a ticket, a log, a "
        "mail): the pseudonym must not be linked to the person anywhere."
    )


def _redact(config: Config, result: Erasure, *, dry_run: bool, offline: bool) -> None:
    from board_bot.matrix import privacy

    count = len(result.to_redact)
    if dry_run or offline:
        why = "dry run" if dry_run else "--offline"
        print(f"messages the bot sent that named them: {count}, not redacted ({why})")
        if offline and not dry_run:
            for room, event in result.to_redact:
                print(f"  {room} {event}")
        return
    try:
        done = asyncio.run(privacy.redact(config, result.to_redact))
    except privacy.Unreachable as exc:
        print(f"messages the bot sent that named them: {count}, not redacted: {exc}")
        for room, event in result.to_redact:
            print(f"  {room} {event}")
        return
    print(f"messages the bot sent that named them: {count}, redacted {done.done}")
    if done.failed:
        print(f"not redacted ({len(done.failed)}; redact them by hand where possible):")
        for room, event, why in done.failed:
            print(f"  {room} {event}: {why}")


def _privacy_export(config: Config, args: argparse.Namespace) -> int:
    """``board-bot privacy export``: 0 written, 2 bad input, 3 no database."""
    from board_bot.app import DatabaseUnavailable, build_app
    from board_bot.core.clock import SystemClock
    from board_bot.core.db import unit_of_work
    from board_bot.core.ids import is_user_id
    from board_bot.features.privacy import access, export

    if not is_user_id(args.user):
        print(f"not a Matrix user id: {args.user!r} (like @erika:stadt.example)", file=sys.stderr)
        return 2
    app = build_app(config, SystemClock())
    try:
        app.prepare_database()
        with unit_of_work(app.engine) as session:
            board_id = export.board_id_of(session, args.board) if args.board else None
            if args.board and board_id is None:
                print(f"no board in the room {args.board!r}", file=sys.stderr)
                return 2
            data = export.export_person(
                session, args.user, now=app.clock.now(), board_id=board_id, names=args.name
            )
    except DatabaseUnavailable as exc:
        print(f"{exc}", file=sys.stderr)
        return 3
    finally:
        app.engine.dispose()
    if args.out is None:
        print(access.to_json(data).decode("utf-8"))
        return 0
    try:  # personal data: readable by this user only
        with os.fdopen(os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(access.to_json(data))
    except OSError as exc:
        print(f"cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{key} {n}" for key, n in export.counts(data).items() if n)
    print(f"{args.out}: everything about {args.user} ({counts or 'nothing stored'})")
    return 0
