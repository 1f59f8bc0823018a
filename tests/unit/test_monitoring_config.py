"""``[monitoring]`` and ``[logging]``: defaults, good values, bad values named by their key; the
JSON log lines and what they never carry (issue 15: health, metrics and structured logs)."""

from __future__ import annotations

import copy
import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from board_bot.core import logs
from board_bot.core.config import LoggingConfig, MonitoringConfig, parse_config
from board_bot.core.errors import ConfigError
from tests.unit.test_config import valid as minimal_config


def valid(**sections: Any) -> dict[str, Any]:
    """test_config's minimal valid config, with these sections."""
    data = minimal_config()
    data.update(copy.deepcopy(sections))
    return data


def parse(data: dict[str, Any], env: dict[str, str] | None = None) -> Any:
    return parse_config(data, base_dir=Path("/srv/board-bot"), env=env or {})


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as exc_info:
        parse(data)
    return exc_info.value.problems


# --- [monitoring] --------------------------------------------------------------------------------


def test_monitoring_is_off_by_default_and_logs_are_text() -> None:
    config = parse(valid())
    assert config.monitoring == MonitoringConfig(port=0, host="127.0.0.1")
    assert not config.monitoring.enabled
    assert config.logging == LoggingConfig(format="text")


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"port": 9464}, MonitoringConfig(9464, "127.0.0.1")),
        ({"port": 9464, "host": "0.0.0.0"}, MonitoringConfig(9464, "0.0.0.0")),
        ({"port": 8080, "host": "::1"}, MonitoringConfig(8080, "::1")),
        ({"port": 65535, "host": "localhost"}, MonitoringConfig(65535, "localhost")),
        (
            {"port": 1, "host": "bot.intern.stadt.example"},
            MonitoringConfig(1, "bot.intern.stadt.example"),
        ),
        ({"port": 0}, MonitoringConfig(0, "127.0.0.1")),
    ],
)
def test_good_monitoring_settings_are_kept(
    table: dict[str, Any], expected: MonitoringConfig
) -> None:
    config = parse(valid(monitoring=table))
    assert config.monitoring == expected
    assert config.monitoring.enabled == (expected.port != 0)


def test_the_monitoring_port_may_come_from_the_environment() -> None:
    config = parse(valid(monitoring={"port": "env:METRICS_PORT"}), env={"METRICS_PORT": "9100"})
    assert config.monitoring.port == 9100


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"port": 65536}, "monitoring.port: must be 0 (off) to 65535, got 65536"),
        ({"port": -1}, "monitoring.port: must be at least 0, got -1"),
        ({"port": "9464x"}, "monitoring.port: must be a whole number, got '9464x'"),
        ({"port": True}, "monitoring.port: must be a whole number, got True"),
        ({"port": 9464, "host": ""}, "monitoring.host: must be an IP address or a host name"),
        ({"port": 9464, "host": "http://0.0.0.0"}, "monitoring.host: must be an IP address"),
        ({"port": 9464, "host": "bot host"}, "monitoring.host: must be an IP address"),
        ({"port": 9464, "host": 127}, "monitoring.host: must be a string, got 127"),
        ({"port": 9464, "path": "/metrics"}, "monitoring.path: unknown key"),
    ],
)
def test_a_bad_monitoring_setting_is_refused_naming_its_key(
    table: dict[str, Any], problem: str
) -> None:
    problems = problems_of(valid(monitoring=table))
    assert len(problems) == 1, problems
    assert problems[0].startswith(problem), problems


def test_monitoring_must_be_a_table() -> None:
    problems = problems_of(valid(monitoring=9464))
    assert set(problems) == {"monitoring: must be a table ([monitoring])"}


# --- [logging] -----------------------------------------------------------------------------------


def test_json_logs_can_be_chosen() -> None:
    assert parse(valid(logging={"format": "json"})).logging.format == "json"


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"format": "xml"}, "logging.format: must be one of text, json, got 'xml'"),
        ({"format": "JSON "}, "logging.format: must be one of text, json, got 'JSON '"),
        ({"level": "DEBUG"}, "logging.level: unknown key"),
    ],
)
def test_a_bad_logging_setting_is_refused_naming_its_key(
    table: dict[str, Any], problem: str
) -> None:
    assert problems_of(valid(logging=table)) == [problem]


# --- JSON lines ----------------------------------------------------------------------------------


def record(
    msg: str, *args: object, level: int = logging.INFO, exc: bool = False
) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("the database said no")
        except ValueError:
            import sys

            exc_info = sys.exc_info()
    rec = logging.LogRecord("board_bot.matrix.runner", level, __file__, 1, msg, args, exc_info)
    rec.created = 1796630400.25  # 2026-12-07 08:00:00.250 UTC
    return rec


def test_a_json_line_has_time_level_logger_and_message() -> None:
    line = logs.JsonFormatter().format(record("joined %s (invited by %s)", "!r:x", "@cdo:x"))
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-12-07T08:00:00.250+00:00",
        "level": "INFO",
        "logger": "board_bot.matrix.runner",
        "message": "joined !r:x (invited by @cdo:x)",
    }


def test_a_json_line_carries_the_exception_text() -> None:
    entry = json.loads(logs.JsonFormatter().format(record("sync failed", exc=True, level=40)))
    assert entry["level"] == "ERROR"
    assert entry["message"] == "sync failed"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith("ValueError: the database said no")


def test_a_json_line_keeps_umlauts_and_quotes_valid() -> None:
    entry = json.loads(logs.JsonFormatter().format(record('Fachbereich „Ämter" "x"\n2')))
    assert entry["message"] == 'Fachbereich „Ämter" "x"\n2'


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("token syt_Ym90_aBcDeFgHiJ_0a1b2c", "syt_Ym90_aBcDeFgHiJ_0a1b2c"),
        ("headers {'Authorization': 'Bearer abc.DEF-123'}", "abc.DEF-123"),
        ("GET /sync?access_token=s3cr3tT0ken&since=x", "s3cr3tT0ken"),
        ('{"password": "hunter2hunter2", "user": "x"}', "hunter2hunter2"),
        ("pickle_key=abcdefghijklmnop0123", "abcdefghijklmnop0123"),
    ],
)
def test_tokens_never_reach_the_log(text: str, secret: str) -> None:
    for formatter in (logs.JsonFormatter(), logs.TextFormatter()):
        line = formatter.format(record("%s", text))
        assert secret not in line
        assert logs.REDACTED in line
    exc_line = logs.JsonFormatter().format(record("failed", exc=True))
    assert logs.REDACTED not in exc_line  # nothing to hide: nothing hidden


def test_setup_json_writes_json_lines_and_keeps_nio_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers[:] = []  # as in a fresh process
    try:
        logs.setup("INFO", "text")  # before the config is read
        logging.getLogger("board_bot.test").info("as text")
        logs.setup("INFO", "json")  # the config asks for JSON: the same handler switches
        logging.getLogger("board_bot.test").info("hello %s", "world")
        logging.getLogger("board_bot.test").debug("not at INFO")
        logging.getLogger("nio.responses").info("a whole event with a message body")
        assert len(root.handlers) == 1
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    first, second, *rest = stream.getvalue().splitlines()
    assert first.endswith("INFO    board_bot.test: as text")
    assert json.loads(second)["message"] == "hello world"
    assert rest == []


def test_setup_leaves_handlers_of_others_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    before = root.handlers[:]
    assert before  # pytest's
    logs.setup("DEBUG", "json")
    assert root.handlers == before
