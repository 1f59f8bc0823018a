"""``[retention]`` (issue 16, item 4): the defaults are the privacy inventory's, 0 or a missing
key means the default, a bad value is refused naming its key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from board_bot.core.config import RetentionConfig, load_config, parse_config
from board_bot.core.errors import ConfigError
from board_bot.features.privacy.inventory import RETENTION
from tests.unit.test_config import EXAMPLE
from tests.unit.test_config import valid as minimal_config


def parse(retention: Any = None, env: dict[str, str] | None = None) -> RetentionConfig:
    data = copy.deepcopy(minimal_config())
    if retention is not None:
        data["retention"] = retention
    return parse_config(data, base_dir=Path("/srv/board-bot"), env=env or {}).retention


def problems_of(retention: Any) -> list[str]:
    with pytest.raises(ConfigError) as exc_info:
        parse(retention)
    return exc_info.value.problems


def test_without_the_section_the_defaults_apply() -> None:
    assert parse() == RetentionConfig(
        status_text_months=24, audit_months=36, absence_months=12, outbox_days=30
    )


def test_the_defaults_are_the_inventorys() -> None:
    """The inventory (and the documentation made from it) names the same periods."""
    defaults = RetentionConfig()
    assert RETENTION["status_text"].startswith(f"{defaults.status_text_months} months")
    assert RETENTION["audit"].startswith(f"{defaults.audit_months} months")
    assert RETENTION["absences"].startswith(f"{defaults.absence_months} months")
    assert RETENTION["outbox"].startswith(f"{defaults.outbox_days} days")


def test_the_example_sets_the_defaults() -> None:
    assert load_config(EXAMPLE, env={}).retention == RetentionConfig()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({}, RetentionConfig()),
        ({"status_text_months": 0, "outbox_days": 0}, RetentionConfig()),
        ({"status_text_months": 6}, RetentionConfig(status_text_months=6)),
        (
            {"status_text_months": 1, "audit_months": 120, "absence_months": 3, "outbox_days": 1},
            RetentionConfig(1, 120, 3, 1),
        ),
        ({"audit_months": 1200, "outbox_days": 36500}, RetentionConfig(24, 1200, 12, 36500)),
        ({"absence_months": "6"}, RetentionConfig(absence_months=6)),
    ],
)
def test_good_values(table: dict[str, Any], expected: RetentionConfig) -> None:
    assert parse(table) == expected


def test_a_value_from_the_environment() -> None:
    table = {"outbox_days": "env:BOARD_BOT_OUTBOX_DAYS"}
    assert parse(table, env={"BOARD_BOT_OUTBOX_DAYS": "14"}).outbox_days == 14


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"status_text_months": -1}, "retention.status_text_months"),
        ({"audit_months": 1.5}, "retention.audit_months"),
        ({"absence_months": "zwölf"}, "retention.absence_months"),
        ({"outbox_days": True}, "retention.outbox_days"),
        ({"outbox_days": 36501}, "retention.outbox_days"),
        ({"audit_months": 1201}, "retention.audit_months"),
        ({"audit_days": 30}, "retention.audit_days"),
    ],
)
def test_a_bad_value_is_refused_naming_its_key(table: dict[str, Any], key: str) -> None:
    [problem] = problems_of(table)
    assert problem.startswith(f"{key}: ")


def test_the_message_says_what_would_be_right() -> None:
    [problem] = problems_of({"status_text_months": -3})
    assert problem == (
        "retention.status_text_months: must be a whole number of months from 1 to 1200 "
        "(0 or no key: the default, 24), got -3"
    )
    [problem] = problems_of({"outbox_days": "a month"})
    assert problem == (
        "retention.outbox_days: must be a whole number of days from 1 to 36500 "
        "(0 or no key: the default, 30), got 'a month'"
    )


def test_every_bad_key_is_named_at_once() -> None:
    problems = problems_of({"status_text_months": -1, "audit_months": "x", "outbox_days": 0.5})
    assert [p.split(":")[0] for p in problems] == [
        "retention.status_text_months",
        "retention.audit_months",
        "retention.outbox_days",
    ]


def test_not_a_table() -> None:
    assert problems_of(24) == ["retention: must be a table ([retention])"]
