"""Only ``board_bot/core/clock.py`` reads the real time; everything else gets ``now`` or a Clock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The one place allowed to read the wall clock.
ALLOWED = {"board_bot/core/clock.py"}
FORBIDDEN = re.compile(
    r"\bdatetime\.(now|utcnow|today)\b"
    r"|\bdate\.today\b"
    r"|\btime\.time(_ns)?\s*\("
    r"|\bfrom\s+time\s+import\s+[^\n]*\btime(_ns)?\b"
)


def sources() -> list[Path]:
    return sorted([*ROOT.glob("board_bot/**/*.py"), *ROOT.glob("commands/**/*.py")])


def offences(text: str) -> list[str]:
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]


@pytest.mark.parametrize(
    "line",
    [
        "stamp = datetime.now(UTC)",
        "stamp = datetime.datetime.utcnow()",
        "today = date.today()",
        "today = datetime.today()",
        "started = time.time()",
        "started = time.time_ns()",
        "from time import sleep, time",
    ],
)
def test_the_scanner_catches_wall_clock_reads(line: str) -> None:
    assert offences(line)


@pytest.mark.parametrize(
    "line",
    [
        "now = clock.now()",
        "deadline = time.monotonic() + 5",
        "from datetime import UTC, date, datetime, timedelta",
        "ctx.now - rt.started_at",
        "format_datetime(value, zone)",
    ],
)
def test_the_scanner_lets_clock_use_pass(line: str) -> None:
    assert not offences(line)


def test_the_devserver_is_scanned_too() -> None:
    """devserver.py is dev tooling; it measures with time.monotonic and needs no exception."""
    assert ROOT / "board_bot" / "dev" / "devserver.py" in sources()


@pytest.mark.parametrize(
    "path", [p for p in sources() if str(p.relative_to(ROOT)) not in ALLOWED], ids=str
)
def test_no_wall_clock_outside_clock_module(path: Path) -> None:
    found = offences(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} reads the wall clock; take a Clock or now:\n" + (
        "\n".join(found)
    )


def test_system_clock_is_where_the_time_is_read() -> None:
    assert offences((ROOT / "board_bot" / "core" / "clock.py").read_text(encoding="utf-8"))
