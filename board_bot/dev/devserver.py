"""Run a throw-away local Synapse homeserver for the demo and for tests.

The server is configured by hand (no ``--generate-config``): it listens on
``127.0.0.1`` only, has federation effectively disabled, stores everything in
one data directory and has every rate limit raised far out of the way.

Example::

    with LocalSynapse(Path("demo-data")) as server:
        alice = server.register_user("alice", "secret")
        print(server.url, alice.access_token)

Running twice with the same data directory reuses the configuration, the
secrets, the signing key, the database and (if it is still free) the port, so
users registered in an earlier run keep working.

Only the standard library is used for HTTP; Synapse itself has to be
importable by ``sys.executable`` (it is started as ``python -m
synapse.app.homeserver``).
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import hmac
import importlib
import json
import logging
import secrets
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["LocalSynapse", "RegisteredUser"]

logger = logging.getLogger(__name__)

CONFIG_FILE = "homeserver.yaml"
LOG_CONFIG_FILE = "log_config.yaml"
LOG_FILE = "homeserver.log"
CONSOLE_LOG_FILE = "synapse-console.log"
PID_FILE = "homeserver.pid"
DATABASE_FILE = "homeserver.db"
MEDIA_DIR = "media_store"

_READY_POLL_INTERVAL = 0.05
_STOP_GRACE_SECONDS = 10.0
_HTTP_TIMEOUT = 10.0

# Generous enough that no test or demo will ever hit it.
_UNLIMITED: dict[str, int] = {"per_second": 10_000, "burst_count": 100_000}


@dataclass(frozen=True)
class RegisteredUser:
    """A user on the local homeserver together with a logged-in device."""

    user_id: str
    password: str
    access_token: str
    device_id: str


def port_is_free(port: int) -> bool:
    """Whether ``127.0.0.1:port`` can be bound (with SO_REUSEADDR, like Twisted does)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _random_secret() -> str:
    return secrets.token_urlsafe(32)


def _new_signing_key() -> str:
    """An inline Synapse signing key: ``ed25519 a_XXXX <unpadded base64 seed>``."""
    alphabet = string.ascii_letters + string.digits
    version = "a_" + "".join(secrets.choice(alphabet) for _ in range(4))
    seed = base64.b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    return f"ed25519 {version} {seed}"


def _rate_limits() -> dict[str, Any]:
    """Every ``rc_*`` option Synapse 1.163 knows about, set out of reach."""
    limits: dict[str, Any] = {
        name: dict(_UNLIMITED)
        for name in (
            "rc_message",
            "rc_registration",
            "rc_registration_token_validity",
            "rc_admin_redaction",
            "rc_joins_per_room",
            "rc_key_requests",
            "rc_3pid_validation",
            "rc_third_party_invite",
            "rc_media_create",
            "rc_delayed_event_mgmt",
            "rc_room_creation",
            "rc_reports",
            "rc_user_directory",
            "rc_profile",
        )
    }
    limits["rc_login"] = {
        "address": dict(_UNLIMITED),
        "account": dict(_UNLIMITED),
        "failed_attempts": dict(_UNLIMITED),
    }
    limits["rc_joins"] = {"local": dict(_UNLIMITED), "remote": dict(_UNLIMITED)}
    limits["rc_invites"] = {
        "per_room": dict(_UNLIMITED),
        "per_user": dict(_UNLIMITED),
        "per_issuer": dict(_UNLIMITED),
    }
    limits["rc_presence"] = {"per_user": dict(_UNLIMITED)}
    limits["rc_federation"] = {
        "window_size": 1000,
        "sleep_limit": 10_000,
        "sleep_delay": 500,
        "reject_limit": 10_000,
        "concurrent": 1000,
    }
    return limits


def _dump_yaml(data: Mapping[str, Any]) -> str:
    """YAML if PyYAML (a Synapse dependency) is importable, else JSON (which is valid YAML)."""
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        return json.dumps(data, indent=2) + "\n"
    return str(yaml.safe_dump(dict(data), sort_keys=False, default_flow_style=False))


def _load_yaml(text: str) -> dict[str, Any]:
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        loaded: Any = json.loads(text)
    else:
        loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise RuntimeError("homeserver config is not a mapping")
    return loaded


def _tail(path: Path, max_lines: int = 40) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return f"<{path.name} not readable>"
    if not lines:
        return f"<{path.name} is empty>"
    return "\n".join(lines[-max_lines:])


class LocalSynapse:
    """A Synapse process bound to ``127.0.0.1`` with all state in ``data_dir``.

    If ``port`` is ``None`` the port stored in an existing config is reused when it
    is still free, otherwise a free one is picked (and written to the config).
    Nothing touches the disk before :meth:`write_config` / :meth:`start` (or the
    first access of :attr:`url`/:attr:`port`).
    """

    def __init__(
        self, data_dir: Path, *, port: int | None = None, server_name: str = "localhost"
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.server_name = server_name
        self._requested_port = port
        self._port: int | None = None
        self._shared_secret: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._console: IO[bytes] | None = None

    # -- paths and addresses ----------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return self.data_dir / CONFIG_FILE

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_FILE

    @property
    def console_log_path(self) -> Path:
        return self.data_dir / CONSOLE_LOG_FILE

    @property
    def port(self) -> int:
        """The client-API port; resolving it writes the config if needed."""
        if self._port is None:
            self.write_config()
        assert self._port is not None
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- configuration ----------------------------------------------------------------

    def write_config(self) -> Path:
        """Write ``homeserver.yaml`` and the log config unless they exist; return its path.

        An existing config is reused (secrets, signing key, database); only the port is
        rewritten when it differs from the requested one or is no longer free.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / MEDIA_DIR).mkdir(exist_ok=True)
        self._write_log_config()

        if self.config_path.exists():
            config = _load_yaml(self.config_path.read_text(encoding="utf-8"))
            stored_port = int(config["listeners"][0]["port"])
            port = self._choose_port(stored_port)
            if port != stored_port:
                logger.info("port %d is busy, moving synapse to port %d", stored_port, port)
                config["listeners"][0]["port"] = port
                self._save_config(config)
        else:
            port = self._choose_port(None)
            config = self._fresh_config(port)
            self._save_config(config)

        self._port = port
        self._shared_secret = str(config["registration_shared_secret"])
        return self.config_path

    def _choose_port(self, stored: int | None) -> int:
        if self.running and self._port is not None:
            return self._port  # our own server holds it; do not move under its feet
        if self._requested_port is not None:
            return self._requested_port
        if stored is not None and port_is_free(stored):
            return stored
        return _pick_free_port()

    def _save_config(self, config: Mapping[str, Any]) -> None:
        header = "# Written by board_bot.dev.devserver for a local, non-federating test server.\n"
        tmp = self.config_path.with_suffix(".yaml.tmp")
        tmp.write_text(header + _dump_yaml(config), encoding="utf-8")
        tmp.replace(self.config_path)

    def _write_log_config(self) -> None:
        path = self.data_dir / LOG_CONFIG_FILE
        if path.exists():
            return
        log_config = {
            "version": 1,
            "formatters": {
                "precise": {
                    "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s"
                }
            },
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "loggers": {
                "synapse.storage.SQL": {"level": "WARNING"},
                "twisted": {"level": "WARNING"},
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }
        path.write_text(_dump_yaml(log_config), encoding="utf-8")

    def _fresh_config(self, port: int) -> dict[str, Any]:
        config: dict[str, Any] = {
            "server_name": self.server_name,
            "pid_file": str(self.data_dir / PID_FILE),
            "listeners": [
                {
                    "port": port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {
                "name": "sqlite3",
                "args": {"database": str(self.data_dir / DATABASE_FILE)},
            },
            "log_config": str(self.data_dir / LOG_CONFIG_FILE),
            "media_store_path": str(self.data_dir / MEDIA_DIR),
            "signing_key": _new_signing_key(),
            "registration_shared_secret": _random_secret(),
            "macaroon_secret_key": _random_secret(),
            "form_secret": _random_secret(),
            "enable_registration": False,
            "report_stats": False,
            "trusted_key_servers": [],
            "federation_domain_whitelist": [],
            "suppress_key_server_warning": True,
            "bcrypt_rounds": 4,
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            "enable_metrics": False,
        }
        config.update(_rate_limits())
        return config

    # -- process lifecycle ------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> None:
        """Start Synapse and block until its client API answers.

        Raises RuntimeError (with the tail of the logs) if it exits early or is not
        ready within ``timeout`` seconds.
        """
        if self.running:
            return
        self.stop()  # clean up after a process that died on its own
        config_path = self.write_config()
        self._console = self.console_log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(config_path)],
            cwd=self.data_dir,
            stdin=subprocess.DEVNULL,
            stdout=self._console,
            stderr=subprocess.STDOUT,
        )
        atexit.register(self.stop)
        started = time.monotonic()
        deadline = started + timeout
        while True:
            code = self._process.poll()
            if code is not None:
                self.stop()
                raise RuntimeError(
                    f"synapse exited with code {code} during start-up\n{self._log_tails()}"
                )
            if self._is_ready():
                logger.info("synapse ready at %s after %.2fs", self.url, time.monotonic() - started)
                return
            if time.monotonic() >= deadline:
                self.stop()
                raise RuntimeError(
                    f"synapse not ready at {self.url} after {timeout:.0f}s\n{self._log_tails()}"
                )
            time.sleep(_READY_POLL_INTERVAL)

    def _is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(
                f"{self.url}/_matrix/client/versions", timeout=1.0
            ) as response:
                return int(response.status) == 200
        except (urllib.error.URLError, OSError):
            return False

    def _log_tails(self) -> str:
        return (
            f"--- {CONSOLE_LOG_FILE} (tail) ---\n{_tail(self.console_log_path)}\n"
            f"--- {LOG_FILE} (tail) ---\n{_tail(self.log_path)}"
        )

    def stop(self) -> None:
        """SIGTERM, wait up to 10 s, then SIGKILL. Safe to call repeatedly."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=_STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    logger.warning("synapse did not stop after SIGTERM, killing it")
                    process.kill()
                    process.wait()
            atexit.unregister(self.stop)
        if self._console is not None:
            self._console.close()
            self._console = None

    def __enter__(self) -> LocalSynapse:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- users ------------------------------------------------------------------------

    def register_user(
        self, localpart: str, password: str, *, admin: bool = False
    ) -> RegisteredUser:
        """Register via the shared-secret admin API, or log in if the user already exists."""
        if self._shared_secret is None:
            self.write_config()
        assert self._shared_secret is not None

        status, body = self._request("GET", "/_synapse/admin/v1/register")
        if status != 200 or "nonce" not in body:
            raise RuntimeError(f"could not get a registration nonce: {status} {body}")
        nonce = str(body["nonce"])

        mac = hmac.new(self._shared_secret.encode("utf-8"), digestmod=hashlib.sha1)
        mac.update(nonce.encode("utf-8"))
        mac.update(b"\x00")
        mac.update(localpart.encode("utf-8"))
        mac.update(b"\x00")
        mac.update(password.encode("utf-8"))
        mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")

        status, body = self._request(
            "POST",
            "/_synapse/admin/v1/register",
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        if status == 200:
            return self._user_from(body, password)
        if body.get("errcode") == "M_USER_IN_USE":
            return self.login(localpart, password)
        raise RuntimeError(f"registering {localpart!r} failed: {status} {body}")

    def login(self, localpart: str, password: str) -> RegisteredUser:
        """Log in with a password, creating a new device."""
        status, body = self._request(
            "POST",
            "/_matrix/client/v3/login",
            {
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": localpart},
                "password": password,
                "initial_device_display_name": "board_bot devserver",
            },
        )
        if status != 200:
            raise RuntimeError(f"logging in {localpart!r} failed: {status} {body}")
        return self._user_from(body, password)

    @staticmethod
    def _user_from(body: Mapping[str, Any], password: str) -> RegisteredUser:
        return RegisteredUser(
            user_id=str(body["user_id"]),
            password=password,
            access_token=str(body["access_token"]),
            device_id=str(body["device_id"]),
        )

    def _request(
        self, method: str, path: str, payload: Mapping[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """A JSON request; returns (status, decoded body) for error statuses too."""
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=_HTTP_TIMEOUT) as response:
                status = int(response.status)
                raw: bytes = response.read()
        except urllib.error.HTTPError as error:
            status = error.code
            raw = error.read()
        try:
            decoded: Any = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            decoded = {"raw": raw.decode("utf-8", errors="replace")}
        if not isinstance(decoded, dict):
            decoded = {"value": decoded}
        return status, decoded
