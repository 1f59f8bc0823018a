"""How the bot logs: text lines for people, or JSON lines for a log collector (``[logging]
format = "json"``).

A JSON line has ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message`` and, when there is
one, ``exception`` (the traceback as text). Nothing else of the record goes out: no arguments,
no extras. What the bot logs carries ids (rooms, users, events), never message bodies or
secrets; as a second line of defence both formats blank out anything that looks like an access
token (``syt_…``, ``Bearer …``, ``access_token=…``, ``"password": "…"``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
#: Loggers that would write whole requests and events (message bodies) at DEBUG/INFO.
QUIET = ("nio", "peewee", "aiohttp.access", "alembic.runtime.plugins")
#: Marks the handler :func:`setup` installed.
_OURS = "board_bot_handler"

_SECRETS = re.compile(
    r"(?P<token>\bsy[tc]_[A-Za-z0-9_-]+)"  # Synapse access and refresh tokens
    r"|(?P<bearer>\bBearer\s+)[A-Za-z0-9._~+/=-]+"
    r"|(?P<param>\b(?:access_token|refresh_token|password|pickle_key)\b[\"']?\s*[=:]\s*[\"']?)"
    r"[^\s\"'&,}]+",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with what looks like an access token or a password blanked out."""

    def hide(match: re.Match[str]) -> str:
        keep = match.group("bearer") or match.group("param") or ""
        return keep + REDACTED

    return _SECRETS.sub(hide, text)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def setup(level: str = "INFO", fmt: str = "text") -> None:
    """Log to stderr at ``level`` in ``fmt`` ("text" or "json"). Called again (once the config
    is read), it changes the format of the handler it installed. Like ``logging.basicConfig``
    it leaves a root logger alone that someone else gave handlers (pytest, say)."""
    root = logging.getLogger()
    formatter = JsonFormatter() if fmt == "json" else TextFormatter()
    ours = [h for h in root.handlers if getattr(h, _OURS, False)]
    if ours or not root.handlers:
        if not ours:
            stream = logging.StreamHandler(sys.stderr)
            setattr(stream, _OURS, True)
            root.addHandler(stream)
            ours = [stream]
        for handler in ours:
            handler.setFormatter(formatter)
        root.setLevel(getattr(logging, level.upper(), logging.INFO))
    # nio logs whole requests and events at DEBUG/INFO: keep message bodies out of the logs.
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
