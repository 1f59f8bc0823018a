"""Configuration: the example loads; a bad value is refused naming its key (catalogue item 22)."""

from __future__ import annotations

import copy
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from board_bot.core import config as config_module
from board_bot.core.config import DEFAULT_HANDLUNGSFELDER, LANGUAGES, load_config, parse_config
from board_bot.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"
GOOD_PICKLE_KEY = "s3cr3t-pickle-key-0123456789"


def valid() -> dict[str, Any]:
    return {
        "matrix": {
            "homeserver": "https://matrix.stadt.example",
            "user_id": "@board-bot:stadt.example",
            "password": "bot-password",
        },
        "bot": {"admins": ["@cdo:stadt.example"]},
        "encryption": {"pickle_key": GOOD_PICKLE_KEY},
    }


def problems_of(data: dict[str, Any], env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as exc_info:
        parse_config(data, base_dir=Path("/srv/board-bot"), env=env or {})
    assert str(exc_info.value) == "\n".join(exc_info.value.problems)
    return exc_info.value.problems


def with_value(section: str, key: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(valid())
    data.setdefault(section, {})[key] = value
    return data


def without(section: str, key: str) -> dict[str, Any]:
    data = copy.deepcopy(valid())
    data[section].pop(key, None)
    return data


# --- the example -----------------------------------------------------------------------------


def test_the_example_config_loads() -> None:
    config = load_config(EXAMPLE, env={})
    assert config.bot.language in LANGUAGES
    assert config.bot.timezone == "Europe/Berlin"
    assert config.bot.admins
    assert config.encryption.enabled
    assert config.storage.data_dir == ROOT / "data" / "bot"
    assert config.storage.database_url == f"sqlite:///{ROOT / 'data' / 'bot' / 'board.db'}"
    assert config.bot.handlungsfelder == DEFAULT_HANDLUNGSFELDER


def test_the_example_documents_every_key() -> None:
    """The example must never fall behind: each known key appears, set or commented out."""
    text = EXAMPLE.read_text(encoding="utf-8")
    sections = set(re.findall(r"^\[([a-z_]+)\]", text, re.MULTILINE))
    assert sections == set(config_module._KNOWN)
    for section, keys in config_module._KNOWN.items():
        for key in keys:
            assert re.search(rf"^#?\s*{key}\s*=", text, re.MULTILINE), f"{section}.{key}"


def test_a_minimal_config_gets_defaults() -> None:
    config = parse_config(valid(), base_dir=Path("/srv/board-bot"), env={})
    assert config.matrix.homeserver == "https://matrix.stadt.example"
    assert config.matrix.access_token is None
    assert config.bot.command_prefix == "!"
    assert config.bot.language == "de"
    assert config.bot.timezone == "Europe/Berlin"
    assert config.bot.max_command_age == timedelta(hours=24)
    assert config.bot.max_command_bytes == 8192
    assert config.storage.data_dir == Path("/srv/board-bot/data")
    assert config.storage.database_url == "sqlite:////srv/board-bot/data/board.db"
    assert config.encryption.pickle_key == GOOD_PICKLE_KEY


# --- Handlungsfelder ------------------------------------------------------------------------


def test_the_default_handlungsfelder_are_the_designed_ten() -> None:
    config = parse_config(valid(), base_dir=Path("/srv"), env={})
    assert config.bot.handlungsfelder == DEFAULT_HANDLUNGSFELDER
    assert DEFAULT_HANDLUNGSFELDER == (
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


def test_the_example_shows_the_default_handlungsfelder() -> None:
    """The commented list in the example, uncommented, is valid TOML and is the default."""
    text = EXAMPLE.read_text(encoding="utf-8")
    block = re.search(r"^# handlungsfelder = \[\n(?:#.*\n)*?# \]$", text, re.MULTILINE)
    assert block, "config.example.toml: the commented handlungsfelder list is missing"
    uncommented = re.sub(r"^# ?", "", block[0], flags=re.MULTILINE)
    listed = tomllib.loads(uncommented)["handlungsfelder"]
    assert tuple(listed) == DEFAULT_HANDLUNGSFELDER


def test_a_custom_list_of_handlungsfelder_is_kept_in_order() -> None:
    data = with_value(
        "bot",
        "handlungsfelder",
        ["  Klimaschutz ", "Mobilität", "Hafen   und\tLogistik", "Tourismus", "x" * 100],
    )
    config = parse_config(data, base_dir=Path("/srv"), env={})
    assert config.bot.handlungsfelder == (
        "Klimaschutz",
        "Mobilität",
        "Hafen und Logistik",
        "Tourismus",
        "x" * 100,
    )


def test_one_handlungsfeld_is_enough() -> None:
    config = parse_config(with_value("bot", "handlungsfelder", ["Verwaltung"]), base_dir=Path("/"))
    assert config.bot.handlungsfelder == ("Verwaltung",)


def test_handlungsfelder_are_compared_in_one_unicode_form() -> None:
    """ "Mobilität" typed with a combining diaeresis is the same name (and is stored composed)."""
    decomposed = "Mobilita\u0308t"
    problems = problems_of(with_value("bot", "handlungsfelder", ["Mobilität", decomposed]))
    assert [p.split(":", 1)[0] for p in problems] == ["bot.handlungsfelder[1]"]
    config = parse_config(with_value("bot", "handlungsfelder", [decomposed]), base_dir=Path("/"))
    assert config.bot.handlungsfelder == ("Mobilität",)


def test_every_bad_handlungsfeld_is_named() -> None:
    data = with_value("bot", "handlungsfelder", ["Energie", "", "energie", 7, "y" * 101, "Ok"])
    keys = [p.split(":", 1)[0] for p in problems_of(data)]
    assert keys == [f"bot.handlungsfelder[{i}]" for i in (1, 2, 3, 4)]


# --- each bad value names its key ------------------------------------------------------------

BAD = [
    pytest.param(with_value("bot", "timezone", "Mars/Olympus"), "bot.timezone", id="tz-unknown"),
    pytest.param(with_value("bot", "timezone", "europe/berlin"), "bot.timezone", id="tz-case"),
    pytest.param(with_value("bot", "timezone", ""), "bot.timezone", id="tz-empty"),
    pytest.param(with_value("bot", "timezone", "../etc/passwd"), "bot.timezone", id="tz-path"),
    pytest.param(with_value("bot", "timezone", "/etc/localtime"), "bot.timezone", id="tz-abs"),
    pytest.param(with_value("bot", "admins", ["cdo"]), "bot.admins[0]", id="admin-no-at"),
    pytest.param(
        with_value("bot", "admins", ["@cdo:stadt.example", "Erika Musterfrau"]),
        "bot.admins[1]",
        id="admin-display-name",
    ),
    pytest.param(with_value("bot", "admins", ["@cdo"]), "bot.admins[0]", id="admin-no-server"),
    pytest.param(with_value("bot", "admins", []), "bot.admins", id="admins-empty"),
    pytest.param(with_value("bot", "admins", "@cdo:stadt.example"), "bot.admins", id="admins-str"),
    pytest.param(without("matrix", "password"), "matrix.password", id="no-password-no-token"),
    pytest.param(with_value("matrix", "password", ""), "matrix.password", id="empty-password"),
    pytest.param(
        with_value("encryption", "pickle_key", "DEFAULT_KEY"),
        "encryption.pickle_key",
        id="pickle-nio-default",
    ),
    pytest.param(
        with_value("encryption", "pickle_key", "change-me"),
        "encryption.pickle_key",
        id="pickle-placeholder",
    ),
    pytest.param(
        with_value("encryption", "pickle_key", "kurz-1234"),
        "encryption.pickle_key",
        id="pickle-short",
    ),
    pytest.param(without("encryption", "pickle_key"), "encryption.pickle_key", id="pickle-none"),
    pytest.param(with_value("bot", "language", "fr"), "bot.language", id="language"),
    pytest.param(with_value("bot", "language", "DE"), "bot.language", id="language-case"),
    pytest.param(
        with_value("matrix", "homeserver", "matrix.stadt.example"),
        "matrix.homeserver",
        id="url-no-scheme",
    ),
    pytest.param(
        with_value("matrix", "homeserver", "ftp://x.example"), "matrix.homeserver", id="url-ftp"
    ),
    pytest.param(
        with_value("matrix", "homeserver", "https://"), "matrix.homeserver", id="url-host"
    ),
    pytest.param(without("matrix", "homeserver"), "matrix.homeserver", id="url-missing"),
    pytest.param(with_value("matrix", "user_id", "board-bot"), "matrix.user_id", id="bot-user-id"),
    pytest.param(with_value("matrix", "user_id", 42), "matrix.user_id", id="bot-user-id-type"),
    pytest.param(with_value("bot", "command_prefix", "!!!!"), "bot.command_prefix", id="prefix"),
    pytest.param(with_value("bot", "command_prefix", "! "), "bot.command_prefix", id="prefix-ws"),
    pytest.param(with_value("bot", "rate_limit_burst", 0), "bot.rate_limit_burst", id="burst-0"),
    pytest.param(
        with_value("bot", "max_command_bytes", "viel"), "bot.max_command_bytes", id="bytes-text"
    ),
    pytest.param(
        with_value("bot", "rate_limit_per_minute", True), "bot.rate_limit_per_minute", id="bool"
    ),
    pytest.param(
        with_value("bot", "allowed_inviters", ["kein server!"]),
        "bot.allowed_inviters[0]",
        id="inviter",
    ),
    pytest.param(
        with_value("storage", "database_url", "mysql://x/y"), "storage.database_url", id="db-url"
    ),
    pytest.param(
        with_value("encryption", "enabled", "vielleicht"), "encryption.enabled", id="enabled"
    ),
    pytest.param(with_value("bot", "handlungsfelder", []), "bot.handlungsfelder", id="hf-none"),
    pytest.param(
        with_value("bot", "handlungsfelder", "Mobilität"), "bot.handlungsfelder", id="hf-str"
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["Energie", ""]),
        "bot.handlungsfelder[1]",
        id="hf-empty",
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["  \t "]), "bot.handlungsfelder[0]", id="hf-blank"
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["Energie", "Bildung", "x" * 101]),
        "bot.handlungsfelder[2]",
        id="hf-too-long",
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["Mobilität", "Energie", "MOBILITÄT"]),
        "bot.handlungsfelder[2]",
        id="hf-duplicate-case",
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["Digitale Identität", "digitale  identität "]),
        "bot.handlungsfelder[1]",
        id="hf-duplicate-spaces",
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["Energie", 42]), "bot.handlungsfelder[1]", id="hf-int"
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", [["Energie"]]),
        "bot.handlungsfelder[0]",
        id="hf-nested",
    ),
    pytest.param(
        with_value("bot", "handlungsfelder", ["Bildung\u202eBetrug"]),
        "bot.handlungsfelder[0]",
        id="hf-bidi",
    ),
    pytest.param(with_value("oparl", "url", "ftp://ratsinfo.example"), "oparl.url", id="oparl-ftp"),
    pytest.param(
        with_value("oparl", "url", "ratsinfo.example/oparl"), "oparl.url", id="oparl-bare"
    ),
    pytest.param(with_value("oparl", "url", 42), "oparl.url", id="oparl-int"),
    pytest.param(with_value("oparl", "timeout_seconds", 0), "oparl.timeout_seconds", id="oparl-0"),
    pytest.param(
        with_value("oparl", "timeout_seconds", 61), "oparl.timeout_seconds", id="oparl-61"
    ),
    pytest.param(with_value("oparl", "token", "x"), "oparl.token", id="oparl-unknown"),
    pytest.param(with_value("publish", "licence", "mit"), "publish.licence", id="publish-mit"),
    pytest.param(with_value("publish", "dir", 1), "publish.dir", id="publish-dir-int"),
    pytest.param(
        with_value("publish", "attribution", "x" * 201), "publish.attribution", id="publish-long"
    ),
    pytest.param(with_value("bot", "colour", "blau"), "bot.colour", id="unknown-key"),
    pytest.param({**valid(), "extra": {"a": 1}}, "extra", id="unknown-section"),
    pytest.param({**valid(), "bot": "admins"}, "bot", id="section-not-a-table"),
]


@pytest.mark.parametrize(("data", "key"), BAD)
def test_a_bad_value_is_refused_naming_its_key(data: dict[str, Any], key: str) -> None:
    problems = problems_of(data)
    assert any(p.startswith(f"{key}:") for p in problems), problems


def test_the_oparl_link_is_off_by_default_and_takes_an_http_url() -> None:
    off = parse_config(valid(), base_dir=Path("/srv/board-bot"), env={})
    assert (off.oparl.enabled, off.oparl.timeout_seconds) == (False, 10)
    data = with_value("oparl", "url", " https://ratsinfo.stadt.example/oparl/v1/system ")
    data["oparl"]["timeout_seconds"] = 5
    on = parse_config(data, base_dir=Path("/srv/board-bot"), env={}).oparl
    assert (on.enabled, on.url, on.timeout_seconds) == (
        True,
        "https://ratsinfo.stadt.example/oparl/v1/system",
        5,
    )
    problem = problems_of(with_value("oparl", "url", "ftp://x"))[0]
    assert problem.startswith("oparl.url: must be the http(s) URL") and "ftp://x" in problem


def test_publishing_is_off_by_default_and_its_folder_is_relative_to_the_config() -> None:
    off = parse_config(valid(), base_dir=Path("/srv/board-bot"), env={}).publish
    assert (off.enabled, off.dir, off.licence, off.attribution) == (
        False, None, "dl-de/by-2-0", ""
    )  # fmt: skip
    data = with_value("publish", "dir", "public")
    data["publish"].update(licence="cc-by-4.0", attribution="  Stadt   Musterstadt ")
    on = parse_config(data, base_dir=Path("/srv/board-bot"), env={}).publish
    assert (on.enabled, on.dir, on.licence, on.attribution) == (
        True, Path("/srv/board-bot/public"), "cc-by-4.0", "Stadt Musterstadt"
    )  # fmt: skip


def test_the_licences_the_config_takes_are_those_the_site_names() -> None:
    from board_bot.core.config import PUBLISH_LICENCES
    from board_bot.features.publishing.site import LICENCES

    assert tuple(LICENCES) == PUBLISH_LICENCES


def test_all_problems_are_reported_at_once() -> None:
    data = with_value("bot", "timezone", "Mars/Olympus")
    data["bot"]["admins"] = ["cdo"]
    data["encryption"]["pickle_key"] = "DEFAULT_KEY"
    data["matrix"].pop("password")
    keys = {p.split(":", 1)[0] for p in problems_of(data)}
    assert keys >= {"bot.timezone", "bot.admins[0]", "encryption.pickle_key", "matrix.password"}


@pytest.mark.parametrize(
    ("section", "key", "secret"),
    [
        ("encryption", "pickle_key", "kurz-geheim"),
        ("storage", "database_url", "mysql://board:hunter2@db.stadt.example/board"),
    ],
)
def test_problems_do_not_echo_secrets(section: str, key: str, secret: str) -> None:
    problems = problems_of(with_value(section, key, secret))
    assert not any(secret in p or "hunter2" in p for p in problems), problems


def test_an_access_token_replaces_the_password() -> None:
    data = without("matrix", "password")
    data["matrix"]["access_token"] = "syt_token"
    config = parse_config(data, base_dir=Path("/srv"), env={})
    assert config.matrix.password is None
    assert config.matrix.access_token == "syt_token"


def test_without_encryption_no_pickle_key_is_needed() -> None:
    data = without("encryption", "pickle_key")
    data["encryption"]["enabled"] = False
    assert parse_config(data, base_dir=Path("/srv"), env={}).encryption.enabled is False


# --- env:NAME --------------------------------------------------------------------------------


def test_env_values_are_read_from_the_env_mapping() -> None:
    data = with_value("matrix", "password", "env:BOARD_BOT_PASSWORD")
    data["encryption"]["pickle_key"] = "env:BOARD_BOT_PICKLE_KEY"
    data["bot"]["rate_limit_per_minute"] = "env:BOARD_BOT_RATE"
    env = {
        "BOARD_BOT_PASSWORD": "from-env",
        "BOARD_BOT_PICKLE_KEY": GOOD_PICKLE_KEY,
        "BOARD_BOT_RATE": "30",
    }
    config = parse_config(data, base_dir=Path("/srv"), env=env)
    assert config.matrix.password == "from-env"
    assert config.encryption.pickle_key == GOOD_PICKLE_KEY
    assert config.bot.rate_limit_per_minute == 30


def test_a_missing_env_variable_is_named() -> None:
    problems = problems_of(with_value("matrix", "password", "env:BOARD_BOT_PASSWORD"))
    assert any(p.startswith("matrix.password:") and "BOARD_BOT_PASSWORD" in p for p in problems), (
        problems
    )


def test_an_env_value_is_validated_like_a_file_value() -> None:
    data = with_value("encryption", "pickle_key", "env:KEY")
    problems = problems_of(data, env={"KEY": "DEFAULT_KEY"})
    assert any(p.startswith("encryption.pickle_key:") for p in problems)


# --- files and paths -------------------------------------------------------------------------

TOML = """
[matrix]
homeserver = "https://matrix.stadt.example/"
user_id = "@board-bot:stadt.example"
password = "env:PW"

[bot]
admins = ["@cdo:stadt.example"]

[storage]
data_dir = "{data_dir}"
database_url = "{database_url}"

[encryption]
pickle_key = "s3cr3t-pickle-key-0123456789"
"""


def write_config(tmp_path: Path, *, data_dir: str, database_url: str = "") -> Path:
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir()
    path.write_text(TOML.format(data_dir=data_dir, database_url=database_url), encoding="utf-8")
    return path


def test_relative_data_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, data_dir="state/bot"), env={"PW": "x"})
    assert config.storage.data_dir == (tmp_path / "etc" / "state" / "bot").resolve()
    assert config.matrix.homeserver == "https://matrix.stadt.example"


def test_absolute_data_dir_is_kept(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, data_dir=str(tmp_path / "abs")), env={"PW": "x"})
    assert config.storage.data_dir == tmp_path / "abs"


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, data_dir="state"), env={"PW": "x"})
    db_file = (tmp_path / "etc" / "state").resolve() / "board.db"
    assert config.storage.database_url == f"sqlite:///{db_file}"


def test_a_database_url_is_kept(tmp_path: Path) -> None:
    url = "postgresql+psycopg://board@db.stadt.example/board"
    config = load_config(
        write_config(tmp_path, data_dir="state", database_url=url), env={"PW": "x"}
    )
    assert config.storage.database_url == url


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as exc_info:
        load_config(missing, env={})
    assert exc_info.value.problems[0].startswith(f"{missing}:")


def test_invalid_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[matrix\nhomeserver = ", encoding="utf-8")
    with pytest.raises(ConfigError) as exc_info:
        load_config(path, env={})
    assert exc_info.value.problems[0].startswith(f"{path}: not valid TOML")


def test_zero_hours_of_command_age_is_refused() -> None:
    [problem] = problems_of(with_value("bot", "max_command_age_hours", 0))
    assert problem.startswith("bot.max_command_age_hours:")


def test_a_plain_postgres_url_is_accepted() -> None:
    data = with_value("storage", "database_url", "postgres://bot@db.stadt.example/board")
    assert parse_config(data, base_dir=Path("/srv"), env={}).storage.database_url.startswith(
        "postgres://"
    )


def test_the_demo_pickle_key_only_works_for_a_local_homeserver() -> None:
    demo_key = config_module.DEMO_PICKLE_KEY
    [problem] = problems_of(with_value("encryption", "pickle_key", demo_key))
    assert problem.startswith("encryption.pickle_key:") and "demo" in problem
    local = with_value("encryption", "pickle_key", demo_key)
    local["matrix"]["homeserver"] = "http://127.0.0.1:8008"
    assert parse_config(local, base_dir=Path("/srv"), env={}).encryption.pickle_key == demo_key


# --- the Leitlinien's short names ----------------------------------------------------------------


def test_the_leitlinien_may_have_the_citys_short_names() -> None:
    names = ["Strategie", "Beteiligung", "Daten & Dienste", "Kompetenzen"]
    config = parse_config(
        with_value("bot", "leitlinien", names), base_dir=Path("/srv/board-bot"), env={}
    )
    assert config.bot.leitlinien == tuple(names)
    assert config.bot.leitlinien_en is None
    assert parse_config(valid(), base_dir=Path("/srv"), env={}).bot.leitlinien is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["Strategie", "Beteiligung"], "bot.leitlinien: must be a list of four names"),
        ("Strategie", "bot.leitlinien: must be a list of four names"),
        (["A", "B", "C", 4], "bot.leitlinien: must be a list of four names"),
        (["A", "", "C", "D"], "bot.leitlinien[1]: must be 1 to 30 letters"),
        (["A", "B", "<b>C</b>", "D"], "bot.leitlinien[2]: must be 1 to 30 letters"),
        (["A", "B", "C", "D" * 31], "bot.leitlinien[3]: must be 1 to 30 letters"),
    ],
)
def test_bad_leitlinien_names_are_refused(value: Any, problem: str) -> None:
    [found] = problems_of(with_value("bot", "leitlinien", value))
    assert found.startswith(problem), found
