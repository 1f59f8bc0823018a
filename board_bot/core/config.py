"""Configuration: a TOML file read into frozen dataclasses.

Every problem is reported with the key path that caused it (``bot.timezone: ...``), all at once,
so that an operator fixes a config in one go. A string value ``"env:NAME"`` is read from the
environment variable NAME, so that secrets need not stand in the file.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from board_bot.core.errors import ConfigError
from board_bot.core.ids import UserId, is_server_name, is_user_id
from board_bot.core.render import CONTROL
from board_bot.core.workdays import BUNDESLAENDER, DEFAULT_BUNDESLAND

LANGUAGES = ("de", "en")
# Values that must never protect a real crypto store: nio's default and our own placeholders.
PLACEHOLDER_SECRETS = frozenset({"DEFAULT_KEY", "change-me", "changeme", "CHANGE-ME", "secret"})
MIN_PICKLE_KEY_LENGTH = 16
# The key in config.example.toml: fine for the demo on this machine, refused anywhere else.
DEMO_PICKLE_KEY = "demo-pickle-key-not-for-production-use"
DEFAULT_DEVICE_NAME = "Smart City Board Bot"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# The city's fields of action (Handlungsfelder) that work packages are filed under.
DEFAULT_HANDLUNGSFELDER = (
    "Verwaltung",
    "Gesundheit",
    "Kommunikationsinfrastruktur",
    "Bildung",
    "Mobilität",
    "Energie",
    "Digitale Identität",
    "Sicheres Wohnen",
    "Gesellschaftlicher Diskurs",
    "Sozialer Zusammenhalt",
)
MAX_HANDLUNGSFELD_LENGTH = 100
# Control characters (other than whitespace, which is folded to single spaces) and the bidi
# overrides and isolates that make a name display other than it reads.


@dataclass(frozen=True)
class MatrixConfig:
    homeserver: str
    user_id: UserId
    password: str | None
    access_token: str | None
    device_name: str


@dataclass(frozen=True)
class BotConfig:
    command_prefix: str
    language: str
    timezone: str
    admins: tuple[UserId, ...]
    allowed_inviters: tuple[str, ...]
    max_command_age: timedelta
    max_command_bytes: int
    rate_limit_per_minute: int
    rate_limit_burst: int
    bundesland: str
    handlungsfelder: tuple[str, ...]
    #: how German and English texts name the board's chair (the admins); None: the catalog's
    chair_title: str | None = None
    chair_title_en: str | None = None
    #: the short names of the four Leitlinien in German and English texts; None: the catalog's
    leitlinien: tuple[str, ...] | None = None
    leitlinien_en: tuple[str, ...] | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class StorageConfig:
    data_dir: Path
    database_url: str


@dataclass(frozen=True)
class EncryptionConfig:
    enabled: bool
    pickle_key: str


LOG_FORMATS = ("text", "json")


@dataclass(frozen=True)
class MonitoringConfig:
    """The local HTTP port for /healthz, /readyz and /metrics; port 0: off."""

    port: int = 0
    host: str = "127.0.0.1"

    @property
    def enabled(self) -> bool:
        return self.port != 0


@dataclass(frozen=True)
class LoggingConfig:
    #: "text" (lines for people) or "json" (one JSON object a line, for a log collector)
    format: str = "text"


@dataclass(frozen=True)
class RetentionConfig:
    """How long personal data is kept (``[retention]``; the retention job applies it daily,
    :mod:`board_bot.features.privacy.retention`). The defaults are those of the privacy
    inventory (``RETENTION`` in :mod:`board_bot.features.privacy.inventory`)."""

    #: the free text of status answers, their lines' notes and their blockers and escalations
    status_text_months: int = 24
    #: audit entries (Änderungsprotokoll)
    audit_months: int = 36
    #: absences, counted from the day they ended
    absence_months: int = 12
    #: the bodies of the messages the bot sent, counted from when they were sent
    outbox_days: int = 30


#: The longest period a key accepts: 100 years (a typo, not a policy, asks for more).
MAX_RETENTION_MONTHS = 1200
MAX_RETENTION_DAYS = 36500


@dataclass(frozen=True)
class OParlConfig:
    """The city's council information system (``[oparl]``): its OParl 1.1 system (or body) URL;
    empty: council papers are not linked."""

    url: str = ""
    #: each request's timeout (connect, read and the whole body), in seconds
    timeout_seconds: int = 10

    @property
    def enabled(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class PublishConfig:
    """The public portfolio page (``[publish]``): where ``!veröffentlichen freigeben`` writes
    the static site (a folder per board below ``dir``), under which open licence, naming whom."""

    dir: Path | None = None
    licence: str = "dl-de/by-2-0"
    #: whom reusers name („Stadt Musterstadt“); empty: the board's name
    attribution: str = ""

    @property
    def enabled(self) -> bool:
        return self.dir is not None


#: The licences ``[publish] licence`` accepts (their names are the publishing module's).
PUBLISH_LICENCES = ("dl-de/by-2-0", "dl-de/zero-2-0", "cc-by-4.0")


#: The longest timeout ``[oparl] timeout_seconds`` accepts (a look-up reads many pages).
MAX_OPARL_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Config:
    matrix: MatrixConfig
    bot: BotConfig
    storage: StorageConfig
    encryption: EncryptionConfig
    monitoring: MonitoringConfig = MonitoringConfig()
    logging: LoggingConfig = LoggingConfig()
    retention: RetentionConfig = RetentionConfig()
    oparl: OParlConfig = OParlConfig()
    publish: PublishConfig = PublishConfig()


class _Reader:
    """Reads typed values out of nested tables and collects problems by key path."""

    def __init__(self, data: Mapping[str, Any], env: Mapping[str, str]) -> None:
        self.data = data
        self.env = env
        self.problems: list[str] = []

    def _table(self, section: str) -> Mapping[str, Any]:
        table = self.data.get(section, {})
        if not isinstance(table, Mapping):
            self.problems.append(f"{section}: must be a table ([{section}])")
            return {}
        return table

    def raw(self, section: str, key: str, default: Any) -> Any:
        value = self._table(section).get(key, default)
        if isinstance(value, str) and value.startswith("env:"):
            name = value[4:]
            if name not in self.env:
                self.problems.append(f"{section}.{key}: environment variable {name} is not set")
                return default
            return self.env[name]
        return value

    def string(self, section: str, key: str, default: str | None = None) -> str | None:
        value = self.raw(section, key, default)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append(f"{section}.{key}: must be a string, got {value!r}")
            return default
        return value

    def integer(self, section: str, key: str, default: int, *, minimum: int) -> int:
        value = self.raw(section, key, default)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.problems.append(f"{section}.{key}: must be a whole number, got {value!r}")
            return default
        if value < minimum:
            self.problems.append(f"{section}.{key}: must be at least {minimum}, got {value}")
            return default
        return value

    def boolean(self, section: str, key: str, default: bool) -> bool:
        value = self.raw(section, key, default)
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            value = value.lower() in ("true", "1")
        if not isinstance(value, bool):
            self.problems.append(f"{section}.{key}: must be true or false, got {value!r}")
            return default
        return value

    def string_list(self, section: str, key: str) -> list[str]:
        value = self.raw(section, key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"{section}.{key}: must be a list of strings, got {value!r}")
            return []
        return [v.strip() for v in value]

    def unknown_keys(self, known: Mapping[str, set[str]]) -> None:
        for section, table in self.data.items():
            if section not in known:
                self.problems.append(f"{section}: unknown section (known: {', '.join(known)})")
                continue
            if isinstance(table, Mapping):
                for key in table:
                    if key not in known[section]:
                        self.problems.append(f"{section}.{key}: unknown key")


def _handlungsfelder(r: _Reader) -> tuple[str, ...]:
    """``bot.handlungsfelder``: at least one name, each non-empty, at most 100 characters, no
    name twice (ignoring case). Names are NFC-normalised with their whitespace folded."""
    key = "bot.handlungsfelder"
    value = r.raw("bot", "handlungsfelder", None)
    if value is None:
        return DEFAULT_HANDLUNGSFELDER
    if not isinstance(value, list):
        r.problems.append(f"{key}: must be a list of strings, got {value!r}")
        return DEFAULT_HANDLUNGSFELDER
    if not value:
        r.problems.append(f"{key}: at least one Handlungsfeld is needed")
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        if not isinstance(item, str):
            r.problems.append(f"{key}[{i}]: must be a string, got {item!r}")
            continue
        name = " ".join(unicodedata.normalize("NFC", item).split())
        if not name:
            r.problems.append(f"{key}[{i}]: must not be empty")
        elif len(name) > MAX_HANDLUNGSFELD_LENGTH:
            r.problems.append(
                f"{key}[{i}]: at most {MAX_HANDLUNGSFELD_LENGTH} characters, got {len(name)}"
            )
        elif CONTROL.search(name):
            r.problems.append(f"{key}[{i}]: contains control characters, got {item!r}")
        elif name.casefold() in seen:
            first = seen[name.casefold()]
            r.problems.append(f"{key}[{i}]: {name!r} is already listed as {key}[{first}]")
        else:
            seen[name.casefold()] = i
            names.append(name)
    return tuple(names)


_KNOWN = {
    "matrix": {"homeserver", "user_id", "password", "access_token", "device_name"},
    "bot": {
        "command_prefix",
        "language",
        "timezone",
        "admins",
        "allowed_inviters",
        "max_command_age_hours",
        "max_command_bytes",
        "rate_limit_per_minute",
        "rate_limit_burst",
        "bundesland",
        "handlungsfelder",
        "chair_title",
        "chair_title_en",
        "leitlinien",
        "leitlinien_en",
    },
    "storage": {"data_dir", "database_url"},
    "encryption": {"enabled", "pickle_key"},
    "monitoring": {"port", "host"},
    "logging": {"format"},
    "retention": {"status_text_months", "audit_months", "absence_months", "outbox_days"},
    "oparl": {"url", "timeout_seconds"},
    "publish": {"dir", "licence", "attribution"},
}


def parse_config(
    data: Mapping[str, Any], *, base_dir: Path, env: Mapping[str, str] | None = None
) -> Config:
    """Validate a parsed TOML document. Relative paths are taken relative to ``base_dir``."""
    r = _Reader(data, os.environ if env is None else env)
    r.unknown_keys(_KNOWN)

    homeserver = r.string("matrix", "homeserver") or ""
    parsed = urlparse(homeserver)
    if not homeserver:
        r.problems.append("matrix.homeserver: missing (for example https://matrix.example.org)")
    elif parsed.scheme not in ("http", "https") or not parsed.netloc:
        r.problems.append(
            f"matrix.homeserver: must be an http(s) URL like https://matrix.example.org, "
            f"got {homeserver!r}"
        )
    user_id = r.string("matrix", "user_id") or ""
    if not user_id:
        r.problems.append("matrix.user_id: missing (for example @board-bot:example.org)")
    elif not is_user_id(user_id):
        r.problems.append(
            f"matrix.user_id: not a Matrix user id like @board-bot:example.org, got {user_id!r}"
        )
    password = r.string("matrix", "password") or None
    access_token = r.string("matrix", "access_token") or None
    if password is None and access_token is None:
        r.problems.append(
            "matrix.password: missing; set matrix.password or matrix.access_token "
            '(secrets may come from the environment: password = "env:BOARD_BOT_PASSWORD")'
        )
    device_name = r.string("matrix", "device_name", DEFAULT_DEVICE_NAME) or DEFAULT_DEVICE_NAME

    prefix = r.string("bot", "command_prefix", "!") or ""
    if not _PREFIX.fullmatch(prefix):
        r.problems.append(
            f"bot.command_prefix: must be 1 to 3 of the characters {_PREFIX_CHARS}, got {prefix!r}"
        )
    chair_title = _title(r, "chair_title")
    chair_title_en = _title(r, "chair_title_en")
    leitlinien = _leitlinien(r, "leitlinien")
    leitlinien_en = _leitlinien(r, "leitlinien_en")
    language = r.string("bot", "language", "de") or "de"
    if language not in LANGUAGES:
        r.problems.append(f"bot.language: must be one of {', '.join(LANGUAGES)}, got {language!r}")
    timezone = r.string("bot", "timezone", "Europe/Berlin") or ""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.problems.append(
            f"bot.timezone: unknown time zone {timezone!r} (use an IANA name like Europe/Berlin)"
        )
    admins = r.string_list("bot", "admins")
    for i, admin in enumerate(admins):
        if not is_user_id(admin):
            r.problems.append(
                f"bot.admins[{i}]: not a Matrix user id like @cdo:example.org, got {admin!r}"
            )
    if not admins:
        r.problems.append("bot.admins: at least one admin (a Matrix user id) is needed")
    inviters = r.string_list("bot", "allowed_inviters")
    for i, inviter in enumerate(inviters):
        if not (is_user_id(inviter) or is_server_name(inviter)):
            r.problems.append(
                f"bot.allowed_inviters[{i}]: must be a user id (@cdo:example.org) or a server "
                f"name (example.org), got {inviter!r}"
            )
    max_age_hours = r.integer("bot", "max_command_age_hours", 24, minimum=1)
    max_bytes = r.integer("bot", "max_command_bytes", 8192, minimum=256)
    per_minute = r.integer("bot", "rate_limit_per_minute", 20, minimum=1)
    burst = r.integer("bot", "rate_limit_burst", 10, minimum=1)
    bundesland = (r.string("bot", "bundesland", DEFAULT_BUNDESLAND) or "").upper()
    if bundesland not in BUNDESLAENDER:
        r.problems.append(
            f"bot.bundesland: must be the code of a Bundesland ({', '.join(BUNDESLAENDER)}), "
            f"got {bundesland!r}"
        )
    handlungsfelder = _handlungsfelder(r)

    data_dir_text = r.string("storage", "data_dir", "data") or "data"
    data_dir = Path(data_dir_text).expanduser()
    if not data_dir.is_absolute():
        data_dir = (base_dir / data_dir).resolve()
    database_url = r.string("storage", "database_url", "") or ""
    if not database_url:
        database_url = f"sqlite:///{data_dir / 'board.db'}"
    elif not database_url.startswith(
        ("sqlite:///", "postgres://", "postgresql://", "postgresql+psycopg://")
    ):
        r.problems.append(
            "storage.database_url: must start with sqlite:/// or postgresql+psycopg://, "
            f"got {database_url.split(':', 1)[0]!r}"
        )

    enabled = r.boolean("encryption", "enabled", True)
    pickle_key = r.string("encryption", "pickle_key", "") or ""
    if enabled:
        if not pickle_key:
            r.problems.append(
                "encryption.pickle_key: missing; it protects the encryption keys on disk "
                '(for example pickle_key = "env:BOARD_BOT_PICKLE_KEY")'
            )
        elif pickle_key in PLACEHOLDER_SECRETS or len(pickle_key) < MIN_PICKLE_KEY_LENGTH:
            r.problems.append(
                f"encryption.pickle_key: must be a secret of at least {MIN_PICKLE_KEY_LENGTH} "
                "characters, not a placeholder or matrix-nio's default"
            )
        elif pickle_key == DEMO_PICKLE_KEY and parsed.hostname not in LOOPBACK_HOSTS:
            r.problems.append(
                "encryption.pickle_key: the demo key of config.example.toml is only accepted for "
                "a homeserver on this machine; generate a secret of your own"
            )

    monitoring = _monitoring(r)
    retention = _retention(r)
    oparl = _oparl(r)
    publish = _publish(r, base_dir)
    log_format = r.string("logging", "format", "text") or "text"
    if log_format not in LOG_FORMATS:
        r.problems.append(
            f"logging.format: must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}"
        )

    if r.problems:
        raise ConfigError(r.problems)
    return Config(
        matrix=MatrixConfig(
            homeserver=homeserver.rstrip("/"),
            user_id=UserId(user_id),
            password=password,
            access_token=access_token,
            device_name=device_name,
        ),
        bot=BotConfig(
            command_prefix=prefix,
            language=language,
            timezone=timezone,
            admins=tuple(UserId(a) for a in admins),
            allowed_inviters=tuple(inviters),
            max_command_age=timedelta(hours=max_age_hours),
            max_command_bytes=max_bytes,
            rate_limit_per_minute=per_minute,
            rate_limit_burst=burst,
            bundesland=bundesland,
            handlungsfelder=handlungsfelder,
            chair_title=chair_title,
            chair_title_en=chair_title_en,
            leitlinien=leitlinien,
            leitlinien_en=leitlinien_en,
        ),
        storage=StorageConfig(data_dir=data_dir, database_url=database_url),
        encryption=EncryptionConfig(enabled=enabled, pickle_key=pickle_key),
        monitoring=monitoring,
        logging=LoggingConfig(format=log_format),
        retention=retention,
        oparl=oparl,
        publish=publish,
    )


_HOSTNAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


def _monitoring(r: _Reader) -> MonitoringConfig:
    """``[monitoring]``: a port from 0 (off) to 65535 and the address to listen on (an IP
    address or a host name; default the loopback address)."""
    port = r.integer("monitoring", "port", 0, minimum=0)
    if port > 65535:
        r.problems.append(f"monitoring.port: must be 0 (off) to 65535, got {port}")
        port = 0
    host = (r.string("monitoring", "host", "127.0.0.1") or "").strip()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOSTNAME.fullmatch(host):
            r.problems.append(
                "monitoring.host: must be an IP address or a host name to listen on, like "
                f"127.0.0.1 (this machine only) or 0.0.0.0 (every interface), got {host!r}"
            )
            host = "127.0.0.1"
    return MonitoringConfig(port=port, host=host)


def _oparl(r: _Reader) -> OParlConfig:
    """``[oparl]``: the OParl system URL (http or https; empty: off) and a timeout from 1 to
    :data:`MAX_OPARL_TIMEOUT_SECONDS` seconds."""
    url = (r.string("oparl", "url", "") or "").strip()
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            r.problems.append(
                "oparl.url: must be the http(s) URL of the council information system's OParl "
                f"endpoint, like https://ratsinfo.example.org/oparl/v1/system, got {url!r}"
            )
            url = ""
    timeout = r.integer("oparl", "timeout_seconds", 10, minimum=1)
    if timeout > MAX_OPARL_TIMEOUT_SECONDS:
        r.problems.append(
            f"oparl.timeout_seconds: must be 1 to {MAX_OPARL_TIMEOUT_SECONDS} seconds, "
            f"got {timeout}"
        )
        timeout = 10
    return OParlConfig(url=url, timeout_seconds=timeout)


def _publish(r: _Reader, base_dir: Path) -> PublishConfig:
    """``[publish]``: the site's folder (relative to the config file; empty: publishing is off),
    one of :data:`PUBLISH_LICENCES` and a one-line attribution."""
    folder_text = (r.string("publish", "dir", "") or "").strip()
    folder: Path | None = None
    if folder_text:
        folder = Path(folder_text).expanduser()
        if not folder.is_absolute():
            folder = (base_dir / folder).resolve()
    licence = (r.string("publish", "licence", "dl-de/by-2-0") or "dl-de/by-2-0").strip()
    if licence not in PUBLISH_LICENCES:
        r.problems.append(
            f"publish.licence: must be one of {', '.join(PUBLISH_LICENCES)}, got {licence!r}"
        )
        licence = "dl-de/by-2-0"
    attribution = " ".join((r.string("publish", "attribution", "") or "").split())
    if len(attribution) > 200:
        r.problems.append("publish.attribution: at most 200 characters")
        attribution = ""
    return PublishConfig(dir=folder, licence=licence, attribution=attribution)


def _retention(r: _Reader) -> RetentionConfig:
    """``[retention]``: each period a whole number of months (days for the outbox), 0 or a
    missing key for the default, at most 100 years."""
    defaults = RetentionConfig()
    if not isinstance(r.data.get("retention", {}), Mapping):
        r.problems.append("retention: must be a table ([retention])")
        return defaults
    values: dict[str, int] = {}
    for key, default, unit, most in (
        ("status_text_months", defaults.status_text_months, "months", MAX_RETENTION_MONTHS),
        ("audit_months", defaults.audit_months, "months", MAX_RETENTION_MONTHS),
        ("absence_months", defaults.absence_months, "months", MAX_RETENTION_MONTHS),
        ("outbox_days", defaults.outbox_days, "days", MAX_RETENTION_DAYS),
    ):
        value = r.raw("retention", key, 0)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
            r.problems.append(
                f"retention.{key}: must be a whole number of {unit} from 1 to {most} "
                f"(0 or no key: the default, {default}), got {value!r}"
            )
            value = 0
        values[key] = value or default
    return RetentionConfig(**values)


#: A command prefix is written into code spans and command lines as it is: punctuation that
#: means nothing to Markdown there.
_PREFIX_CHARS = "!?.$%+=/~;:,-"
_PREFIX = re.compile(f"[{re.escape(_PREFIX_CHARS)}]{{1,3}}")
#: A title is written into texts as it is: letters, digits, spaces and a little punctuation.
_TITLE = re.compile(r"(?:[^\W_]|[ \-()/.,'])+")


def _title(r: _Reader, key: str) -> str | None:
    """A title in the bot's texts: 1 to 60 letters, digits, spaces and ``-()/.,'``."""
    value = r.string("bot", key)
    if value is None:
        return None
    value = value.strip()
    if not 1 <= len(value) <= 60 or not _TITLE.fullmatch(value):
        r.problems.append(
            f"bot.{key}: must be 1 to 60 letters, digits, spaces and -()/.,' characters, "
            f"got {value!r}"
        )
        return None
    return value


MAX_LEITLINIE_NAME = 30


def _leitlinien(r: _Reader, key: str) -> tuple[str, ...] | None:
    """Short names of the four Leitlinien: four strings of 1 to 30 characters (letters, digits,
    spaces and ``&-()/.,'``), in the Charta's order."""
    value = r.raw("bot", key, None)
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 4 or not all(isinstance(v, str) for v in value):
        r.problems.append(
            f"bot.{key}: must be a list of four names, one per Leitlinie of the Smart City "
            f"Charta in its order, got {value!r}"
        )
        return None
    names = tuple(" ".join(unicodedata.normalize("NFC", v).split()) for v in value)
    for i, name in enumerate(names):
        if not 1 <= len(name) <= MAX_LEITLINIE_NAME or not _TITLE.fullmatch(name.replace("&", "")):
            r.problems.append(
                f"bot.{key}[{i}]: must be 1 to {MAX_LEITLINIE_NAME} letters, digits, spaces and "
                f"&-()/.,' characters, got {value[i]!r}"
            )
            return None
    return names


def load_config(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate a TOML config file; raises ConfigError naming every bad key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot be read ({exc.strerror})"]) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML ({exc})"]) from exc
    return parse_config(data, base_dir=path.resolve().parent, env=env)
