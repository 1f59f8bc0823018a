"""``board-bot backup`` and ``board-bot restore``: the database, the bot's login and its
encryption keys, in one directory with a manifest.

A backup directory holds

- ``database.sqlite3`` (SQLite, copied with SQLite's online backup API: consistent while the
  bot runs) or ``database.pgdump`` (PostgreSQL, ``pg_dump`` in its custom format; the URL's
  credentials go to it through the environment, never on its command line);
- ``data/credentials.json``, the access token and device id, and ``data/crypto/``, matrix-nio's
  crypto store (its SQLite files copied with the online backup API as well);
- ``manifest.json``, written last: the bot's version, the schema revision, the backend, when,
  and every file with its size and SHA-256.

It is the bot's own data, so it is private like the data directory (directory 0700, files
0600). A restore goes into an empty data directory (and, on PostgreSQL, a database without
tables), checks every file against the manifest first, and writes nothing when one differs.
The bot then starts on it as usual: its migrations bring the schema to head.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from board_bot.core import migrate
from board_bot.core.config import Config
from board_bot.core.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    make_engine,
    normalise_url,
    unreachable_message,
)
from board_bot.core.files import (
    CREDENTIALS_FILE,
    CRYPTO_DIR,
    DIR_MODE,
    PRIVATE_UMASK,
    fsync,
    secure_data_dir,
)

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_DUMP_FILE = "database.pgdump"
DATA = "data"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: A SQLite database's companions, which the online backup folds into the copy.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
#: Where PostgreSQL's client programs of a major version are, besides the PATH (Debian).
PG_BIN_DIRS = ("/usr/lib/postgresql/{major}/bin",)
#: Query parameters of a PostgreSQL URL and the libpq environment variables that carry them.
PG_QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A backup or restore failed part-way; the message says why. Exit code 1."""

    exit_code = 1


class BackupRefused(BackupError):
    """Refused before anything was written (a non-empty target, a damaged backup, a missing
    tool): the operator has something to fix first. Exit code 2."""

    exit_code = 2


class DatabaseUnreachable(BackupError):
    """The configured database cannot be reached. Exit code 3, as at start-up."""

    exit_code = 3


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup directory, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    bot_version: str
    schema_revision: str | None
    backend: str  # "sqlite" or "postgresql"
    created_at: str  # ISO 8601, UTC
    files: tuple[FileEntry, ...]
    pg_dump_version: int | None = None  # the major version of the pg_dump that wrote it
    format: int = FORMAT

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": self.format,
            "bot_version": self.bot_version,
            "schema_revision": self.schema_revision,
            "backend": self.backend,
            "created_at": self.created_at,
            "files": [f.__dict__ for f in self.files],
        }
        if self.pg_dump_version is not None:
            data["pg_dump_version"] = self.pg_dump_version
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @property
    def database_file(self) -> str:
        return SQLITE_FILE if self.backend == "sqlite" else PG_DUMP_FILE


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    data_dir: Path
    warnings: list[str] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------


@contextmanager
def _private_umask() -> Iterator[None]:
    old = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(old)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> FileEntry:
    return FileEntry(
        path=path.relative_to(root).as_posix(), size=path.stat().st_size, sha256=_sha256(path)
    )


def backend_of(url: str) -> str:
    return "sqlite" if normalise_url(url).startswith("sqlite") else "postgresql"


def _sqlite_path(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupRefused(f"the SQLite database URL {url!r} names no file")
    return Path(database).expanduser().absolute()


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database that may be in use (the online backup API)."""
    with (
        closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _first_few(names: list[str], few: int = 5) -> str:
    more = f" and {len(names) - few} more" if len(names) > few else ""
    return ", ".join(names[:few]) + more


def _describe_contents(path: Path) -> str:
    return _first_few(sorted(p.name for p in path.iterdir()))


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_env(url: URL) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the URL's parts as libpq's variables, so that
    the password never stands on a command line (where ``ps`` shows it)."""
    env = dict(os.environ)
    parts = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for key, value in url.query.items():
        name = PG_QUERY_ENV.get(key)
        if name:
            parts[name] = value if isinstance(value, str) else value[-1]
    env.update({k: v for k, v in parts.items() if v})
    return env


def _server_major(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except OSError:
        return None
    match = re.search(r"\b(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def _pg_tool(name: str, at_least: int) -> tuple[str, int]:
    """``pg_dump`` or ``pg_restore`` of at least the given major version: the one on the PATH,
    or one in :data:`PG_BIN_DIRS` for that major."""
    candidates = [str(Path(d.format(major=at_least)) / name) for d in PG_BIN_DIRS]
    found = shutil.which(name)
    if found:
        candidates.append(found)
    seen: list[str] = []
    for path in candidates:
        if not Path(path).is_file():
            continue
        major = _tool_major(path)
        if major is not None and major >= at_least:
            return path, major
        seen.append(f"{path} is version {major}")
    if not seen:
        raise BackupRefused(
            f"{name} is not installed; it is needed for a PostgreSQL database "
            f"(Debian: apt-get install postgresql-client-{at_least})"
        )
    raise BackupRefused(
        f"{name} of PostgreSQL {at_least} or newer is needed, but {'; '.join(seen)} "
        f"(Debian: apt-get install postgresql-client-{at_least})"
    )


def _run_pg(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(  # our own arguments; the secrets are in env
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        detail = "\n  ".join(lines[-8:]) or f"exit code {done.returncode}"
        raise BackupError(f"{what} failed:\n  {detail}")


def _unreachable(engine: sa.Engine, exc: OperationalError) -> DatabaseUnreachable:
    return DatabaseUnreachable(unreachable_message(engine, exc))


def _pg_tables(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                "ORDER BY 1"
            )
        )
        return [str(r[0]) for r in rows]


# --- backup -----------------------------------------------------------------------------------


def backup(config: Config, target: Path, *, now: datetime, version: str) -> Manifest:
    """Write a backup of the configured bot into ``target``, which must be empty or new."""
    target = target.expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise BackupRefused(f"{target} exists and is not a directory")
    if not _empty_dir(target):
        raise BackupRefused(
            f"{target} is not empty ({_describe_contents(target)}); "
            "a backup goes into a new or empty directory"
        )
    data_dir = config.storage.data_dir
    url = config.storage.database_url
    backend = backend_of(url)
    if backend == "sqlite" and not _sqlite_path(url).is_file():
        raise BackupRefused(f"there is no database at {_sqlite_path(url)} to back up")
    created = not target.exists()
    with _private_umask():
        target.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        target.chmod(DIR_MODE)
        try:
            pg_major: int | None = None
            if backend == "sqlite":
                database = target / SQLITE_FILE
                revision = _backup_sqlite(url, database)
            else:
                database = target / PG_DUMP_FILE
                revision, pg_major = _backup_postgres(url, database)
            entries = [_entry(target, database), *_backup_data_files(data_dir, target)]
            manifest = Manifest(
                bot_version=version,
                schema_revision=revision,
                backend=backend,
                created_at=now.isoformat(timespec="seconds"),
                files=tuple(entries),
                pg_dump_version=pg_major,
            )
            for entry in entries:
                fsync(target / entry.path)
            tmp = target / (MANIFEST + ".tmp")
            tmp.write_text(manifest.to_json(), encoding="utf-8")
            fsync(tmp)
            os.replace(tmp, target / MANIFEST)
            for directory in {target, *((target / e.path).parent for e in entries)}:
                fsync(directory)  # the new names in it
        except BaseException:
            # The directory was empty: everything in it now is this backup's, and incomplete.
            if created:
                shutil.rmtree(target, ignore_errors=True)
            else:
                for child in target.iterdir():
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child, ignore_errors=True)
                    else:
                        child.unlink(missing_ok=True)
            raise
    return manifest


def _backup_sqlite(url: str, dest: Path) -> str | None:
    try:
        _sqlite_copy(_sqlite_path(url), dest)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot copy the SQLite database {_sqlite_path(url)}: {exc}") from exc
    with closing(sqlite3.connect(dest)) as copy:  # read as it is: no pragmas, no WAL
        if not copy.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone():
            return None
        row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _backup_postgres(url: str, dest: Path) -> tuple[str | None, int]:
    engine = make_engine(url)
    try:
        try:
            server = _server_major(engine)
            revision = migrate.current(engine)
        except OperationalError as exc:
            raise _unreachable(engine, exc) from exc
        pg_dump, major = _pg_tool("pg_dump", server)
        _run_pg(
            [pg_dump, "--format=custom", "--no-password", f"--file={dest}"],
            _pg_env(engine.url),
            "pg_dump",
        )
    finally:
        engine.dispose()
    return revision, major


def _backup_data_files(data_dir: Path, target: Path) -> list[FileEntry]:
    """The credentials file and the crypto store, under ``data/`` in the backup."""
    entries: list[FileEntry] = []
    out = target / DATA
    out.mkdir(mode=DIR_MODE)
    credentials = data_dir / CREDENTIALS_FILE
    if credentials.is_file():
        shutil.copyfile(credentials, out / CREDENTIALS_FILE)
        entries.append(_entry(target, out / CREDENTIALS_FILE))
    crypto = data_dir / CRYPTO_DIR
    if crypto.is_dir():
        for source in sorted(crypto.rglob("*")):
            if source.is_symlink() or not source.is_file():
                continue
            if source.name.endswith(SQLITE_COMPANIONS) and any(
                source.with_name(source.name.removesuffix(s)).is_file() for s in SQLITE_COMPANIONS
            ):
                continue  # folded into its database's copy
            dest = out / source.relative_to(data_dir)
            dest.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
            try:
                if _is_sqlite(source):
                    _sqlite_copy(source, dest)
                else:
                    shutil.copyfile(source, dest)
            except (OSError, sqlite3.Error) as exc:
                raise BackupError(f"cannot copy {source}: {exc}") from exc
            entries.append(_entry(target, dest))
    return entries


# --- restore ----------------------------------------------------------------------------------


def read_manifest(source: Path) -> Manifest:
    """The backup's manifest, after checking every file it lists (size and SHA-256)."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupRefused(
            f"{source} holds no {MANIFEST}: not a backup of this bot, or one that did not finish"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise BackupRefused(
                f"{path}: backup format {data.get('format')!r}, this bot reads format {FORMAT}"
            )
        manifest = Manifest(
            bot_version=str(data["bot_version"]),
            schema_revision=data["schema_revision"],
            backend=data["backend"],
            created_at=str(data["created_at"]),
            files=tuple(
                FileEntry(path=str(f["path"]), size=int(f["size"]), sha256=str(f["sha256"]))
                for f in data["files"]
            ),
            pg_dump_version=data.get("pg_dump_version"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupRefused(f"{path} is damaged: {exc}") from exc
    if manifest.backend not in ("sqlite", "postgresql"):
        raise BackupRefused(f"{path}: unknown database backend {manifest.backend!r}")
    names = [f.path for f in manifest.files]
    if manifest.database_file not in names:
        raise BackupRefused(f"{path} lists no {manifest.database_file}")
    problems = []
    for entry in manifest.files:
        relative = PurePosixPath(entry.path)
        if (
            relative.is_absolute()
            or ".." in relative.parts
            or not (entry.path == manifest.database_file or relative.parts[0] == DATA)
        ):
            raise BackupRefused(f"{path}: a file outside the backup is listed: {entry.path!r}")
        file = source / relative
        if not file.is_file():
            problems.append(f"{entry.path} is missing")
        elif file.stat().st_size != entry.size or _sha256(file) != entry.sha256:
            problems.append(f"{entry.path} differs from the manifest (checksum mismatch)")
    if problems:
        raise BackupRefused(
            f"the backup in {source} is damaged, nothing was restored: " + "; ".join(problems)
        )
    return manifest


def restore(config: Config, source: Path) -> RestoreResult:
    """Restore the backup in ``source`` into the configured, empty data directory and
    database. Everything is checked before anything is written."""
    source = source.expanduser().absolute()
    if not source.is_dir():
        raise BackupRefused(f"{source} is not a directory")
    manifest = read_manifest(source)
    url = config.storage.database_url
    backend = backend_of(url)
    if manifest.backend != backend:
        raise BackupRefused(
            f"the backup holds a {manifest.backend} database, but storage.database_url is "
            f"{backend}; restore it into the same kind of database"
        )
    if manifest.schema_revision and not migrate.known(manifest.schema_revision):
        raise BackupRefused(
            f"the backup's schema revision {manifest.schema_revision} is unknown to this bot "
            f"(version of the backup: {manifest.bot_version}): restore it with that version "
            "or a newer one"
        )
    data_dir = config.storage.data_dir
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupRefused(f"the data directory {data_dir} is not a directory")
    if not _empty_dir(data_dir):
        raise BackupRefused(
            f"the data directory {data_dir} is not empty ({_describe_contents(data_dir)}); "
            "restore into an empty one (move the old one away first)"
        )
    if backend == "sqlite":
        db_path = _sqlite_path(url)
        for companion in ("", *SQLITE_COMPANIONS):
            existing = db_path.with_name(db_path.name + companion)
            if existing.exists():
                raise BackupRefused(
                    f"the database file {existing} exists already; restore needs none"
                )
    else:
        pg_restore = _check_postgres_target(url, manifest)
    secure_data_dir(data_dir)
    try:
        # The login and keys first (local files), the database last: a database that fails to
        # restore leaves nothing behind (a temporary file renamed at the end; pg_restore in one
        # transaction), and the data directory, empty before, is emptied again, so that the
        # restore can simply be tried again.
        with _private_umask():
            _restore_data_files(source, manifest, data_dir)
        if backend == "sqlite":
            _restore_sqlite(source / SQLITE_FILE, db_path)
        else:
            _restore_postgres(url, source / PG_DUMP_FILE, pg_restore)
    except BaseException:
        _empty_out(data_dir)
        raise
    secure_data_dir(data_dir)
    return RestoreResult(manifest, data_dir, _credential_warnings(config, source))


def _restore_sqlite(source: Path, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    tmp = db_path.with_name(db_path.name + ".restoring")
    try:
        with _private_umask():
            shutil.copyfile(source, tmp)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def _empty_out(directory: Path) -> None:
    """Remove what a failed restore wrote into ``directory`` (it was empty before)."""
    if not directory.is_dir():
        return
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _check_postgres_target(url: str, manifest: Manifest) -> str:
    """The configured database is reachable and has no tables; returns the pg_restore to use."""
    engine = make_engine(url)
    try:
        server = _server_major(engine)
        tables = _pg_tables(engine)
    except OperationalError as exc:
        raise _unreachable(engine, exc) from exc
    finally:
        engine.dispose()
    if tables:
        raise BackupRefused(
            f"the database {engine.url.database} already has {len(tables)} tables "
            f"({_first_few(tables)}); restore needs an empty database: create a new one "
            "(createdb) or drop its tables"
        )
    return _pg_tool("pg_restore", max(server, manifest.pg_dump_version or 0))[0]


def _restore_postgres(url: str, dump: Path, pg_restore: str) -> None:
    target = make_url(normalise_url(url))
    _run_pg(
        [
            pg_restore,
            "--no-password",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target.database}",
            str(dump),
        ],
        _pg_env(target),
        "pg_restore",
    )


def _restore_data_files(source: Path, manifest: Manifest, data_dir: Path) -> None:
    for entry in manifest.files:
        relative = PurePosixPath(entry.path)
        if relative.parts[0] != DATA:
            continue
        dest = data_dir.joinpath(*relative.parts[1:])
        dest.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        shutil.copyfile(source / relative, dest)


def _credential_warnings(config: Config, source: Path) -> list[str]:
    path = source / DATA / CREDENTIALS_FILE
    if not path.is_file():
        return [
            "the backup holds no login (credentials.json): the bot logs in anew with a new "
            "device, which cannot read what was encrypted for the old one"
        ]
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return [f"{path} cannot be read: the bot will log in anew"]
    warnings = []
    if stored.get("user_id") != config.matrix.user_id:
        warnings.append(
            f"the backup's login is for {stored.get('user_id')}, but matrix.user_id is "
            f"{config.matrix.user_id}: the bot will log in anew with a new device"
        )
    elif stored.get("homeserver") != config.matrix.homeserver:
        warnings.append(
            f"the backup's login is for the homeserver {stored.get('homeserver')}, but "
            f"matrix.homeserver is {config.matrix.homeserver}: the bot will log in anew with a "
            "new device; set matrix.homeserver as before to keep the old one"
        )
    return warnings
