"""The bot as its own process, configured for the test Synapse, as an operator would run it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from board_bot.dev.devserver import LocalSynapse, RegisteredUser

CONFIG = """\
[matrix]
homeserver = "{homeserver}"
user_id = "{user_id}"
password = "env:TEST_BOT_PASSWORD"

[bot]
admins = ["{admin}"]
allowed_inviters = [{inviters}]
rate_limit_per_minute = 600
rate_limit_burst = 100

[storage]
data_dir = "{data_dir}"
database_url = "{database_url}"

[encryption]
pickle_key = "e2e-test-pickle-key-0123456789"
"""


class BotProcess:
    """``python -m board_bot run`` in a subprocess; its log goes to a file."""

    def __init__(
        self,
        synapse: LocalSynapse,
        bot: RegisteredUser,
        *,
        admin: str,
        allowed_inviters: list[str],
        workdir: Path,
        database_url: str = "",
        homeserver: str | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self.workdir = workdir
        self.bot = bot
        self.config_path = workdir / "config.toml"
        self.log_path = workdir / "bot.log"
        self.config_path.write_text(
            CONFIG.format(
                homeserver=homeserver or synapse.url,
                user_id=bot.user_id,
                admin=admin,
                inviters=", ".join(f'"{i}"' for i in allowed_inviters),
                data_dir=data_dir or workdir / "data",
                database_url=database_url,
            ),
            encoding="utf-8",
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "TEST_BOT_PASSWORD": self.bot.password}
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "board_bot", "run", "--config", str(self.config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.workdir,
        )
        log.close()

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                return proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                return proc.wait(timeout=5)
        return proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")
