"""The data directory is the bot's alone: status reports, absences, the access token and the
crypto store are in it. Files 0600, directories 0700, whatever the umask the bot was started
with; a directory found with looser modes is tightened, and the log says so."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700
PRIVATE_UMASK = 0o077
#: In the data directory: the access token and device id (``matrix/session.py``), and
#: matrix-nio's crypto store (the device's encryption keys).
CREDENTIALS_FILE = "credentials.json"
CRYPTO_DIR = "crypto"


def secure_data_dir(path: Path) -> list[Path]:
    """Make ``path`` (and everything in it) readable by the bot's user only, and have the
    process create files and directories that way from now on (the database's ``-wal`` and
    ``-shm``, the crypto store's files, saved files). Returns what had to be tightened."""
    os.umask(PRIVATE_UMASK)
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path = path.resolve()  # the directory itself, should the configured path be a link to it
    tightened: list[Path] = []
    for root, dirs, files in os.walk(path):
        for name in [".", *dirs, *files]:
            entry = Path(root) / name if name != "." else Path(root)
            try:
                info = entry.lstat()
                if stat.S_ISLNK(info.st_mode):
                    continue  # not ours to change: a link's target may be anywhere
                wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
                if stat.S_IMODE(info.st_mode) & 0o077:
                    entry.chmod(stat.S_IMODE(info.st_mode) & ~0o077 | (wanted & 0o700))
                    tightened.append(entry)
            except FileNotFoundError:  # gone meanwhile (a -shm file, say)
                continue
            except OSError as exc:  # not the bot's own file, say: it starts all the same
                log.warning("data directory: cannot make %s private: %s", entry, exc.strerror)
    if tightened:
        log.warning(
            "data directory %s: %d files and directories could be read by other users; "
            "now only by this one (files 0600, directories 0700)",
            path,
            len(tightened),
        )
    return tightened


def fsync(path: Path) -> None:
    """To the disk (a file, or a folder's entries): what only sits in the page cache is lost
    with the machine."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
