"""The chat grammar: tokenizer, binding arguments to a signature, resolving command words."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from board_bot.chat.framework import (
    Command,
    Context,
    Group,
    Registry,
    Rest,
    Role,
    UnknownCommand,
    Words,
    bind,
    command,
    run,
    tokenize,
)
from board_bot.core.errors import BotError, Forbidden, UsageError
from board_bot.core.i18n import t
from board_bot.core.render import Safe, markdown_to_html
from commands import build_registry
from tests.unit.support import make_context

# --- throwaway commands ----------------------------------------------------------------------

wp = Group("wp", aliases=("ap",))


@wp.command("add", aliases=("neu",), needs_board=False)
def wp_add(
    ctx: Context,
    title: str,
    *,
    dept: str = "",
    due: date | None = None,
    urgent: bool = False,
) -> str:
    """Add a work package"""
    return f"{title}|{dept}|{due}|{urgent}"


@wp.command("close", requires=Role.ADMIN, needs_board=False)
def wp_close(ctx: Context, number: int, note: str = "") -> str:
    """Close a work package"""
    return f"{number}|{note}"


@command("note")
def note(ctx: Context, *, text: Rest) -> str:
    """Leave a note"""
    return text


@command("count")
def count(ctx: Context, n: int, *, dry_run: bool = False, label: Rest = "") -> str:
    """Count"""
    return f"{n}|{dry_run}|{label}"


def demo_registry() -> Registry:
    registry = Registry()
    registry.add_command(note)
    registry.add_command(count)
    registry.add_group(wp)
    return registry


ADD: Command = wp.commands["add"]
CLOSE: Command = wp.commands["close"]


# --- tokenizer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("wp add Radwege", ["wp", "add", "Radwege"]),
        ('wp add "Radwege Nord" --dept IT', ["wp", "add", "Radwege Nord", "--dept", "IT"]),
        ("wp add „Radwege Nord“ x", ["wp", "add", "Radwege Nord", "x"]),
        ("wp add “Radwege Nord” x", ["wp", "add", "Radwege Nord", "x"]),
        ("wp add „Radwege Nord” x", ["wp", "add", "Radwege Nord", "x"]),
        ("note don't stop", ["note", "don't", "stop"]),
        ("note Müller's Büro", ["note", "Müller's", "Büro"]),
        ("note 'single quotes' stay", ["note", "'single", "quotes'", "stay"]),
        (r"note C:\Temp\neu", ["note", r"C:\Temp\neu"]),
        ('note ""', ["note", ""]),
        ('note a"b c"d', ["note", "ab cd"]),
        ("  note \t a\n b  ", ["note", "a", "b"]),
        ('note "„innen“"', ["note", "„innen“"]),
        ("", []),
        ("   ", []),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize("text", ['wp add "Radwege', "wp add „Radwege", "wp add “Radwege", 'a "b'])
def test_unclosed_quote_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as exc_info:
        tokenize(text)
    assert exc_info.value.key == "parse.unclosed_quote"


# --- binding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cmd", "tokens", "expected"),
    [
        (ADD, ["Radwege"], {"title": "Radwege"}),
        (ADD, ["Radwege", "--dept", "IT"], {"title": "Radwege", "dept": "IT"}),
        (ADD, ["--dept=IT", "Radwege"], {"title": "Radwege", "dept": "IT"}),
        (ADD, ["Radwege", "--due", "31.12.2026"], {"title": "Radwege", "due": date(2026, 12, 31)}),
        (ADD, ["Radwege", "--due=2026-12-31"], {"title": "Radwege", "due": date(2026, 12, 31)}),
        (ADD, ["Radwege", "--urgent"], {"title": "Radwege", "urgent": True}),
        (ADD, ["--", "--urgent"], {"title": "--urgent"}),
        (ADD, ["--urgent", "--", "--dept"], {"title": "--dept", "urgent": True}),
        (ADD, ["-1"], {"title": "-1"}),
        (CLOSE, ["7"], {"number": 7}),
        (CLOSE, ["7", "erledigt"], {"number": 7, "note": "erledigt"}),
        (note, ["viel", "zu", "tun"], {"text": "viel zu tun"}),
        (note, ["--", "--x", "y"], {"text": "--x y"}),
        (note, ["  a  ", "b"], {"text": "a b"}),
        (count, ["3"], {"n": 3}),
        (
            count,
            ["3", "--dry-run", "bis", "Montag"],
            {"n": 3, "dry_run": True, "label": "bis Montag"},
        ),
    ],
)
def test_bind(cmd: Command, tokens: list[str], expected: dict[str, Any]) -> None:
    assert bind(cmd, tokens) == expected


@pytest.mark.parametrize(
    ("cmd", "tokens", "key", "params"),
    [
        (ADD, [], "parse.missing_argument", {"name": "title"}),
        (ADD, ["--dept", "IT"], "parse.missing_argument", {"name": "title"}),
        (note, [], "parse.missing_argument", {"name": "text"}),
        (CLOSE, [], "parse.missing_argument", {"name": "number"}),
        (ADD, ["Radwege", "Nord"], "parse.too_many_arguments", {"extra": "Nord"}),
        (CLOSE, ["7", "a", "b", "c"], "parse.too_many_arguments", {"extra": "b c"}),
        (ADD, ["Radwege", "--nope"], "parse.unknown_option", {"option": "--nope"}),
        (ADD, ["Radwege", "--nope=1"], "parse.unknown_option", {"option": "--nope=1"}),
        (ADD, ["Radwege", "--dry-run"], "parse.unknown_option", {"option": "--dry-run"}),
        (ADD, ["Radwege", "--dept"], "parse.option_needs_value", {"option": "--dept"}),
        (ADD, ["Radwege", "--due", "morgen"], "convert.date", {"value": "morgen"}),
        (CLOSE, ["sieben"], "convert.int", {"value": "sieben"}),
    ],
)
def test_bind_errors(cmd: Command, tokens: list[str], key: str, params: dict[str, Any]) -> None:
    with pytest.raises(UsageError) as exc_info:
        bind(cmd, tokens)
    assert exc_info.value.key == key
    for name, value in params.items():
        assert exc_info.value.params[name] == value


def test_missing_argument_name_is_ours_and_not_escaped() -> None:
    with pytest.raises(UsageError) as exc_info:
        bind(ADD, [])
    assert isinstance(exc_info.value.params["name"], Safe)


# --- declaring commands ----------------------------------------------------------------------


def test_params_follow_the_signature() -> None:
    assert [(p.name, p.kind, p.required) for p in ADD.params] == [
        ("title", "positional", True),
        ("dept", "option", False),
        ("due", "option", False),
        ("urgent", "flag", False),
    ]
    assert [(p.name, p.kind, p.required) for p in note.params] == [("text", "rest", True)]


@pytest.mark.parametrize(
    ("cmd", "usage"),
    [
        (ADD, "!wp add <title> [--dept CODE] [--due DATE] [--urgent]"),  # arg.dept
        (CLOSE, "!wp close <number> [note]"),
        (note, "!note <text>"),
        (count, "!count <n> [--dry-run] [label]"),
    ],
)
def test_usage_lines(cmd: Command, usage: str) -> None:
    assert cmd.usage("!") == usage


@pytest.mark.parametrize(
    ("path", "usage"),
    [
        ("help", "!help [topic]"),
        ("about", "!about"),
        ("board.init", "!board init <name>"),
        ("board.show", "!board show"),
        ("board.language", "!board language <language>"),
        ("dept.add", "!dept add <code> <name> [--room ROOM]"),
        ("dept.rename", "!dept rename <code> [name] [--code CODE]"),
        ("dept.show", "!dept show <code>"),
        ("dept.room", "!dept room <code> <room>"),
        ("role.assign", "!role assign <user> <role> [code]"),
        ("away", "!away <from [- to] [reason]> [--for USER]"),
        ("back", "!back [--for USER]"),
        ("history", "!history <code>"),
    ],
)
def test_usage_lines_of_the_real_commands(path: str, usage: str) -> None:
    commands = {c.path: c for c in build_registry().commands()}
    assert commands[path].usage("!") == usage


def test_an_option_needs_a_default() -> None:
    def broken(ctx: Context, *, dept: str) -> str:
        return dept

    with pytest.raises(TypeError, match="dept"):
        command("broken")(broken)


def test_an_unknown_annotation_has_no_converter() -> None:
    def broken(ctx: Context, amount: float) -> str:
        return str(amount)

    with pytest.raises(TypeError, match="no converter"):
        command("broken")(broken)


def test_duplicate_command_words_are_rejected() -> None:
    registry = demo_registry()
    with pytest.raises(ValueError, match="note"):
        registry.add_command(note)
    with pytest.raises(ValueError, match="ap"):
        registry.add_group(Group("ap"))
    with pytest.raises(ValueError, match="wp"):
        registry.add_command(command("other", aliases=("wp",))(wp_add))

    group = Group("g")
    group.command("one", aliases=("eins",))(wp_add)
    with pytest.raises(ValueError, match="eins"):
        group.command("eins")(wp_add)


def test_the_real_registry_builds() -> None:
    registry = build_registry()
    assert {c.path for c in registry.commands()} >= {
        "help",
        "about",
        "board.init",
        "board.show",
        "board.language",
    }


# --- resolving command words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tokens", "path", "rest"),
    [
        (["help"], "help", []),
        (["hilfe", "board"], "help", ["board"]),
        (["HELP"], "help", []),
        (["?"], "help", []),
        (["über"], "about", []),
        (["board", "init", "Smart", "City"], "board.init", ["Smart", "City"]),
        (["gremium", "anlegen", "X"], "board.init", ["X"]),
        (["Board", "EINRICHTEN"], "board.init", []),
        (["board", "info"], "board.show", []),
        (["board", "sprache", "en"], "board.language", ["en"]),
    ],
)
def test_resolve(tokens: list[str], path: str, rest: list[str]) -> None:
    cmd, left = build_registry().resolve(tokens, "!")
    assert cmd.path == path
    assert left == rest


@pytest.mark.parametrize(
    ("word", "suggestion"), [("hlep", "!help"), ("hilf", "!hilfe"), ("bord", "!board")]
)
def test_unknown_command_suggests_a_close_one(word: str, suggestion: str) -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve([word], "!")
    assert exc_info.value.key == "error.unknown_command"
    assert exc_info.value.params["command"] == f"!{word}"
    assert suggestion in exc_info.value.params["suggestions"]


def test_suggestions_name_each_command_once() -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["hlep"], "!")
    # "hilfe" is close too, but it is the same command as "help".
    assert exc_info.value.params["suggestions"] == ["!help"]


def test_unknown_command_without_anything_close() -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["xyzzy"], "!")
    assert exc_info.value.params["suggestions"] == []


def test_missing_subcommand_lists_the_group() -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["gremium"], "!")
    assert exc_info.value.key == "error.missing_subcommand"
    assert exc_info.value.params["group"] == "!gremium"  # the word the person typed
    assert exc_info.value.params["suggestions"] == [
        "!gremium init",
        "!gremium show",
        "!gremium language",
    ]
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["board"], "!", "de")
    assert exc_info.value.params["suggestions"] == [
        "!board einrichten",
        "!board zeigen",
        "!board sprache",
    ]


def test_unknown_subcommand_suggests_a_close_one() -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["board", "inti"], "!")
    assert exc_info.value.key == "error.unknown_subcommand"
    assert exc_info.value.params["command"] == "inti"
    assert exc_info.value.params["suggestions"] == ["!board init"]


@pytest.mark.parametrize(
    ("word", "echo"),
    [
        ("x" * 40, "x" * 40),
        ("x" * 41, "x" * 39 + "…"),
        ("<b>" * 500, ("<b>" * 13)[:39] + "…"),
    ],
)
def test_an_unknown_word_is_echoed_at_most_40_characters_long(word: str, echo: str) -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve([word], "!")
    assert exc_info.value.params["command"] == f"!{echo}"
    assert not isinstance(exc_info.value.params["command"], Safe)  # user text: escaped later
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["board", word], "!")
    assert exc_info.value.params["command"] == echo


def test_unknown_subcommand_without_anything_close_lists_all() -> None:
    with pytest.raises(UnknownCommand) as exc_info:
        build_registry().resolve(["board", "xyzzy"], "!")
    assert len(exc_info.value.params["suggestions"]) == 3


# --- run: authorise, bind, call --------------------------------------------------------------


def test_run_calls_the_handler_with_converted_arguments() -> None:
    ctx = make_context(registry=demo_registry())
    assert (
        run(ctx, 'ap neu "Radwege Nord" --due 1.2.27 --urgent') == "Radwege Nord||2027-02-01|True"
    )


def test_run_adds_the_usage_line_to_a_usage_error() -> None:
    ctx = make_context(registry=demo_registry(), prefix=".")
    with pytest.raises(UsageError) as exc_info:
        run(ctx, "wp add")
    # "dept" has a placeholder in the catalog (arg.dept); the others show their names.
    assert exc_info.value.usage == ".wp add <title> [--dept KÜRZEL] [--due DATUM] [--urgent]"


def test_run_refuses_admin_commands_to_others() -> None:
    ctx = make_context(registry=demo_registry(), is_admin=False)
    with pytest.raises(Forbidden) as exc_info:
        run(ctx, "wp close 7")
    assert exc_info.value.key == "error.forbidden_admin"
    assert run(make_context(registry=demo_registry(), is_admin=True), "wp close 7") == "7|"


def test_run_of_nothing_is_an_unknown_command() -> None:
    with pytest.raises(UnknownCommand):
        run(make_context(), "   ")


def test_no_board_reply_shows_the_prefix_literally() -> None:
    """The prefix stands in a code span, where a Markdown escape would show as a backslash."""
    ctx = make_context()
    with pytest.raises(BotError) as exc_info:
        run(ctx, "board show")
    assert exc_info.value.key == "error.no_board"
    html = markdown_to_html(t("de", exc_info.value.key, **exc_info.value.params))
    assert "<code>!board einrichten &lt;Name&gt;</code>" in html


@command("plan")
def plan_cmd(ctx: Context, *, title: Rest, depts: Words = "", hours: str = "") -> str:
    """Plan something"""
    return f"{title}|{depts}|{hours}"


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (
            ["Workshop", "--depts", "FB", "61,", "FB", "13", "--hours", "2"],
            {"title": "Workshop", "depts": "FB 61, FB 13", "hours": "2"},
        ),
        (["Titel", "--depts=FB", "61"], {"title": "Titel", "depts": "FB 61"}),
        (["Titel", "--", "--depts", "x"], {"title": "Titel --depts x"}),
    ],
)
def test_a_words_option_takes_every_word_up_to_the_next_option(
    tokens: list[str], expected: dict[str, Any]
) -> None:
    assert bind(plan_cmd, tokens) == expected


def test_a_words_option_needs_a_word_and_shows_so_in_its_usage() -> None:
    with pytest.raises(UsageError) as caught:
        bind(plan_cmd, ["Titel", "--depts", "--hours", "2"])
    assert caught.value.key == "parse.option_needs_value"
    assert plan_cmd.usage("!") == "!plan <title> [--depts DEPTS …] [--hours HOURS]"
