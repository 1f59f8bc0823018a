"""The README's first command, minus the install: the demo answers a newcomer's `!hilfe`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]


def test_demo_console_answers_help(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run = subprocess.run(
        [sys.executable, "-m", "board_bot", "demo", "--data-dir", str(data)],
        input="!hilfe\n!board show\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    out = run.stdout
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Homeserver:  http://127.0.0.1:" in out
    assert "Passwort: demo-fb61" in out
    assert "Befehle des Smart City Board Bots" in out, out[-3000:]
    assert "Smart City Board Norderstedt (Demo)" in out

    # A second run continues with the same homeserver, users and board.
    again = subprocess.run(
        [sys.executable, "-m", "board_bot", "demo", "--data-dir", str(data)],
        input="!board show\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Eingerichtet am" in again.stdout, again.stdout[-3000:]
    assert "bereits der Board-Raum" not in again.stdout
