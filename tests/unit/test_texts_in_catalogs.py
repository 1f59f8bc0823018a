"""The catalogs are the only place a user-visible text lives.

Every text a user reads in the chat is looked up by key (``t(lang, "key", …)``,
``tn(lang, "key", n, …)``, a ``BotError("key")``, ``N_("key")``) in
``board_bot/locale/<lang>/LC_MESSAGES/board_bot.po``. This test reads the product code
(``board_bot.dev.catalog.sources()``) with ``ast`` and fails on every string literal – and on
every f-string, judged by its literal parts with ``{}`` for each placeholder – that reads as
natural language:

- two words of two letters or more separated by white space (``"in Arbeit"``, ``"no change"``);
- a word next to a number or a placeholder across a space (``f"KW {week}"``, ``f"week {n}"``);
- one word of four letters or more that no identifier looks like: capitalised (``"Runde"``,
  ``"Ampel-Begründung"``) or with an umlaut or ß (``"grün"``).

Lower-case ASCII words standing alone (``"yellow"``, ``"in_progress"``, ``"status"``) are codes:
they are not flagged. HTML tags (``<a href="…">``) and markdown-it container fences
(``::: details``) are markup and are removed before a literal is judged.

A literal is not a text, wherever it is, when it is

- a docstring, or any other bare string statement;
- an argument of a logging call (``log.info(…)``, ``logger.warning(…)``);
- an argument of an exception that is not a :class:`~board_bot.core.errors.BotError` (the
  builtins, ``ConfigError``, ``LoginFailed``, …) or an ``assert`` message: the dispatcher
  answers those with ``error.internal``; their text goes to the log or the terminal;
- a key: the key argument of ``t``/``tn``/``N_``/a ``BotError`` (their other arguments, the
  parameters, are scanned: a parameter is text);
- grammar: the arguments of ``command(…)``, ``Group(…)``, ``<group>.command(…)`` (command words
  and aliases), of ``Term(…)``, ``FieldSpec(…)`` and ``Column(…)`` (the words people type for a
  value or field, and the CSV file's column names, which the import reads back);
- compared with something (``verb in ("add", "hinzufügen")``, ``x == "Ja"``), or an argument of
  a string method that matches input (``text.startswith("…")``, ``split``, ``partition``, …);
- a key of a dict literal whose values are all codes or numbers (``{"wöchentlich": "weekly"}``,
  ``{"übermorgen": 2}``): a table from what people type to what it means;
- a pattern: an argument of ``re.*``, ``strftime``/``strptime``, or SQL (``text(…)``,
  ``execute(…)``);
- plumbing: ``__all__``, ``__repr__``, ``getattr``/``setattr``/``hasattr``, ``NewType``,
  ``TypeVar``, ``cast``, annotations.

Not scanned at all (:data:`NOT_CHAT_FILES`): ``board_bot/cli.py`` and ``board_bot/dev/``, the
operator's command line and the developer tooling, whose output goes to a terminal, never to the
chat. Within other files, :data:`NOT_CHAT_SCOPES` names the functions, classes and module-level
tables whose literals are not chat text (reports for the operator, parsing tables, CSS), and
:data:`ALLOWED` the single literals that read as words but are not text. Both lists are kept
short and current: an entry that matches nothing fails the test.

The rule errs on the side of flagging: a literal it wrongly flags is fixed by moving it to the
catalog, by one of the rules above, or – when it truly is not text – by an entry in
:data:`ALLOWED` with its reason.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from board_bot.dev.catalog import ROOT, error_classes, sources

# --- what is not scanned, and the allow-list --------------------------------------------------

#: Files (or folders, ending in ``/``) whose output is never the chat.
NOT_CHAT_FILES: dict[str, str] = {
    "board_bot/cli.py": "the operator's command line: it prints to a terminal",
    "board_bot/dev/": "developer tooling (demo, dev server, catalog extraction)",
    "board_bot/matrix/console.py": "the demo's chat console: it prints to a terminal",
}

#: Per file, the scopes whose literals are not chat text, and why: a module-level name, a class
#: or a function (``Class.method`` for a method; ``""`` for the whole file).
NOT_CHAT_SCOPES: dict[str, tuple[tuple[str, ...], str]] = {
    "board_bot/features/publishing/service.py": (
        ("one_file",),
        "the HTML markup of the page's style sheet link, replaced by the style sheet itself",
    ),
    "board_bot/features/publishing/site.py": (
        ("LICENCES",),
        "the open-data licences' official names, as their publishers spell them: data shown "
        "on the public portfolio site (whose German text is in its templates), never the chat",
    ),
    "board_bot/core/config.py": (
        (
            "_Reader",
            "_handlungsfelder",
            "_title",
            "_leitlinien",
            "parse_config",
            "load_config",
            "_monitoring",
            "_retention",
            "_oparl",
            "_publish",
            "DEFAULT_HANDLUNGSFELDER",
        ),
        "the configuration's problems, printed to the operator's terminal at start; and the "
        "default Handlungsfelder, the city's own data (configurable, stored with each package)",
    ),
    "board_bot/core/metrics.py": (
        ("",),
        "the operator's Prometheus metrics (their help texts) and /readyz's reasons",
    ),
    "board_bot/core/monitoring.py": (
        ("",),
        "the monitoring port's HTTP answers, read by the operator's tools, never the chat",
    ),
    "board_bot/core/backup.py": (
        ("",),
        "board-bot backup and restore: their refusals and warnings go to the operator's terminal",
    ),
    "board_bot/core/db.py": (
        ("unreachable_message",),
        "the operator's message when the database cannot be reached (the log, the terminal)",
    ),
    "board_bot/features/privacy/inventory.py": (
        ("",),
        "the inventory of personal data, for the data protection officer and the docs, never "
        "the chat",
    ),
    "board_bot/features/privacy/erasure.py": (
        ("NOT_SENT",),
        "board-bot privacy erase: why an unsent message was closed, kept in the outbox table "
        "for the operator",
    ),
    "board_bot/matrix/privacy.py": (
        ("",),
        "board-bot privacy erase: why a redaction failed, printed to the operator's terminal",
    ),
    "board_bot/features/people/importer.py": (
        ("",),
        "board-bot import people: its problems and summary are printed to the terminal",
    ),
    "board_bot/features/work_packages/exchange.py": (
        ("read_table", "_header", "_Reader", "_read_row", "import_work_packages", "describe"),
        "board-bot import workpackages: its problems and summary are printed to the terminal",
    ),
    "board_bot/matrix/outbox.py": (
        (
            "OutboxSender._send_due",
            "OutboxSender._await_person",
            "OutboxSender._upload",
            "OutboxSender._retry_later",
        ),
        "why a message was given up: kept in the outbox table for the operator",
    ),
    "board_bot/features/status_rounds/parser.py": (
        ("_UNCHANGED_PHRASES", "_DEPARTMENT_NAMES"),
        "words an answer may use, matched against it and never shown",
    ),
    "board_bot/features/status_rounds/schedule.py": (
        ("_WEEKDAY_WORDS",),
        "weekday names and abbreviations people type, never shown",
    ),
    "board_bot/features/council/oparl.py": (
        ("",),
        "the OParl client: its errors are English log texts (the caller answers the chat by the "
        "error's class), the words it matches in a council's results, OParl type names and HTTP "
        "headers; never shown",
    ),
}

#: ``(path, literal)``: literals that read as words but are no text (an f-string as its pattern,
#: ``{}`` for each placeholder).
ALLOWED: dict[tuple[str, str], str] = {
    ("board_bot/core/config.py", "Smart City Board Bot"): "product name: the Matrix device name",
    ("board_bot/matrix/outbox.py", "Smart City Board"): "product name: the bot's direct rooms",
    (
        "board_bot/features/workshops/ics.py",
        "-//Smart City Board Bot//Workshops//DE",
    ): "the iCalendar PRODID",
    ("board_bot/matrix/runner.py", "Authorization"): "an HTTP header name",
    (
        "board_bot/features/privacy/erasure.py",
        "Person {}",
    ): "an erased person's pseudonym: stored data in place of a user id, the same in every "
    "language",
    ("board_bot/core/db.py", "{} IN (SELECT value FROM json_each({}))"): "SQL (in_int_list)",
    ("board_bot/core/db.py", "{} IN {}"): "SQL (in_few)",
    ("board_bot/core/db.py", "database is locked"): "an SQLite error message, matched",
    ("board_bot/matrix/outbox.py", "outbox {}"): "the name of a room's asyncio task",
    ("board_bot/core/db.py", "unable to open database"): "an SQLite error message, matched",
    ("board_bot/features/summaries/chart.py", "lower left"): "where matplotlib puts the legend",
    ("board_bot/matrix/runner.py", "Content-Type"): "an HTTP header name",
    ("board_bot/matrix/runner.py", "Bearer {}"): "the HTTP authorization scheme",
    ("board_bot/features/work_packages/messages.py", "{}wp list"): "a command line to type",
    ("board_bot/features/work_packages/messages.py", "--page {}"): "a command line to type",
    ("commands/status.py", "abfrage {}"): "input built for the schedule parser, never shown",
    ("commands/status.py", "erinnerung {}"): "input built for the schedule parser, never shown",
    (
        "commands/status.py",
        "keine erinnerung {}",
    ): "input built for the schedule parser, never shown",
    ("commands/status.py", "frist {}"): "input built for the schedule parser, never shown",
}

# --- the scanner --------------------------------------------------------------------------------

LETTER = "A-Za-zÄÖÜäöüß"
#: Two words separated by white space.
TWO_WORDS = re.compile(rf"[{LETTER}]{{2,}}\s+[{LETTER}]{{2,}}")
#: A word and a number or placeholder separated by white space (``KW {}``, ``{} Uhr``).
WORD_BY_VALUE = re.compile(rf"[{LETTER}]{{2,}}\s+(\{{\}}|[0-9])|(\{{\}}|[0-9])\s+[{LETTER}]{{2,}}")
#: One word that no identifier looks like: capitalised, or with an umlaut or ß.
NATURAL_WORD = re.compile(
    r"(?:[A-ZÄÖÜ][a-zäöüß]+|[a-zäöüß]*[äöüß][a-zäöüß]*)(?:-[A-ZÄÖÜa-zäöüß]+)*"
)
#: What surrounds a word without being part of it: punctuation and Markdown.
EDGES = "()[]{},;:!?.'\"*`_~<>«»„“”‘’–—-#/=+|"
#: The HTML elements the bot writes (Matrix's formatted body, the HTML export).
HTML_TAGS = (
    "a|b|i|u|s|em|strong|code|pre|p|br|hr|span|div|ul|ol|li|table|thead|tbody|tr|th|td|"
    "h[1-6]|blockquote|details|summary|sup|sub|del|img|figure|figcaption|html|head|body|meta|"
    "title|style|mx-reply"
)
#: Markup removed before a literal is judged: HTML tags (with their attributes) and the doctype,
#: and markdown-it container fences (``::: details``). ``<name>`` in a usage line is no tag.
MARKUP = re.compile(
    rf"<!DOCTYPE[^<>]*>|</?(?:{HTML_TAGS})(?:\s[^<>]*)?/?>|^:::[ \t]*[a-z]*", re.MULTILINE
)
#: A code: lower-case ASCII, digits and the joiners identifiers, keys and ids use.
CODE = re.compile(r"[a-z0-9_.:/@+\-]*")

LOG_RECEIVER = re.compile(r"_?(log|logger|logging|LOG|LOGGER)")
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})
#: Calls whose arguments are grammar: command words, vocabulary, field and column names.
GRAMMAR_CALLS = frozenset({"command", "Group", "Term", "FieldSpec", "Column"})
#: Calls whose arguments are patterns: SQL and time formats.
PATTERN_CALLS = frozenset({"text", "execute", "executescript", "exec_driver_sql"})
TIME_FORMATS = frozenset({"strftime", "strptime"})
#: String methods whose arguments are matched against input.
MATCHING = frozenset(
    {
        "startswith",
        "endswith",
        "removeprefix",
        "removesuffix",
        "split",
        "rsplit",
        "partition",
        "rpartition",
        "strip",
        "lstrip",
        "rstrip",
        "find",
        "rfind",
        "index",
        "rindex",
        "count",
    }
)
#: Calls whose string arguments are names of Python things.
PLUMBING_CALLS = frozenset(
    {"getattr", "setattr", "hasattr", "delattr", "NewType", "TypeVar", "cast"}
)


@dataclass(frozen=True)
class Finding:
    line: int
    #: the literal; an f-string as its pattern, ``{}`` for each placeholder
    text: str
    #: the enclosing scope: ``Class.method``, a module-level name, or "" at module level
    scope: str


def reads_as_text(literal: str) -> bool:
    """Whether ``literal`` (an f-string's pattern: ``{}`` for each placeholder) carries words."""
    plain = MARKUP.sub(" ", literal)
    if TWO_WORDS.search(plain) or WORD_BY_VALUE.search(plain):
        return True
    for token in plain.split():
        word = token.strip(EDGES)
        letters = sum(c.isalpha() for c in word)
        if letters >= 4 and NATURAL_WORD.fullmatch(word):
            return True
    return False


@cache
def non_user_errors() -> frozenset[str]:
    """Every exception whose message never reaches the chat: the builtins and the product's own
    exceptions that are no ``BotError`` (found in the sources, as subclasses of those)."""
    found = {
        name
        for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }
    classes: dict[str, set[str]] = {}
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, set()).update(
                    _name(base) or "" for base in node.bases
                )
    user = error_classes()
    grown = True
    while grown:
        more = {c for c, bases in classes.items() if bases & found and c not in user} - found
        found |= more
        grown = bool(more)
    return frozenset(found - user)


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_code(node: ast.AST) -> bool:
    """A constant that is no text: a number, None, a bool, or a string shaped like a code."""
    if not isinstance(node, ast.Constant):
        return False
    return not isinstance(node.value, str) or bool(CODE.fullmatch(node.value))


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
    )


class _Scanner(ast.NodeVisitor):
    def __init__(self, skipped_scopes: frozenset[str]) -> None:
        self.skipped_scopes = skipped_scopes
        self.scope: list[str] = []
        self.found: list[Finding] = []

    # -- scopes

    def _enter(self, name: str, body: list[ast.stmt], rest: list[ast.AST]) -> None:
        self.scope.append(name)
        qualname = ".".join(self.scope)
        if qualname not in self.skipped_scopes and name != "__repr__":
            for node in rest:
                self.visit(node)
            for stmt in body:
                self.visit(stmt)
        self.scope.pop()

    def visit_Module(self, node: ast.Module) -> None:
        if "" not in self.skipped_scopes:
            for stmt in node.body:
                self.visit(stmt)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._enter(node.name, node.body, [*node.decorator_list, *node.bases, *node.keywords])

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # Annotations are types; the defaults are scanned (a default can be a text).
        defaults: list[ast.AST] = [*node.args.defaults]
        defaults += [d for d in node.args.kw_defaults if d is not None]
        self._enter(node.name, node.body, [*node.decorator_list, *defaults])

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        self._assignment(names, node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        names = [node.target.id] if isinstance(node.target, ast.Name) else []
        self._assignment(names, [node.target], node.value)

    def _assignment(self, names: list[str], targets: list[ast.expr], value: ast.AST | None) -> None:
        if "__all__" in names:
            return
        if not self.scope and names:
            # A module-level name is a scope of its own; a skipped one is not scanned.
            if any(name in self.skipped_scopes for name in names):
                return
            self.scope.append(names[0])
            self._visit_all([*targets, value])
            self.scope.pop()
            return
        self._visit_all([*targets, value])

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant | ast.JoinedStr):
            return  # a docstring, or a string standing alone: never shown
        if not self.scope and isinstance(node.value, ast.Call):
            # ``HEADERS.update({...})`` at module level belongs to ``HEADERS``.
            func = node.value.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in self.skipped_scopes
            ):
                return
        self.generic_visit(node)

    # -- the rules

    def visit_Assert(self, node: ast.Assert) -> None:
        self.visit(node.test)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        args: list[ast.AST] = [*node.args]
        keywords: list[ast.AST] = [k.value for k in node.keywords]
        if isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            receiver_name = _name(receiver)
            if name in LOG_METHODS and receiver_name and LOG_RECEIVER.fullmatch(receiver_name):
                return
            if isinstance(receiver, ast.Name) and receiver.id == "re":
                return
            if name in MATCHING | TIME_FORMATS:
                self.visit(receiver)
                return
        if name in GRAMMAR_CALLS or name in PLUMBING_CALLS or name in PATTERN_CALLS:
            self.visit(node.func)
            return
        if name in non_user_errors():
            return
        if name in ("t", "tn") and len(args) >= 2:
            del args[1]  # the key
        elif (name == "N_" or name in error_classes()) and args:
            del args[0]  # the key
        self._visit_all([node.func, *args, *keywords])

    def visit_Compare(self, node: ast.Compare) -> None:
        for operand in [node.left, *node.comparators]:
            if not _is_string(operand) and not (
                isinstance(operand, ast.Tuple | ast.List | ast.Set)
                and all(isinstance(e, ast.Constant) for e in operand.elts)
            ):
                self.visit(operand)

    def visit_Dict(self, node: ast.Dict) -> None:
        if node.values and all(_is_code(v) for v in node.values):
            return  # a table from what people type to codes or numbers
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._check(node.lineno, _pattern(node))
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.visit(part.value)  # not its format spec

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._check(node.lineno, node.value)

    def _check(self, line: int, text: str) -> None:
        if reads_as_text(text):
            self.found.append(Finding(line, text, ".".join(self.scope)))

    def _visit_all(self, nodes: list[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)


def texts_in(source: str, skipped_scopes: frozenset[str] = frozenset()) -> list[Finding]:
    """The literals in ``source`` that read as user-visible text."""
    scanner = _Scanner(skipped_scopes)
    scanner.visit(ast.parse(source))
    return sorted(scanner.found, key=lambda f: f.line)


# --- the product code ---------------------------------------------------------------------------


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _not_chat(where: str) -> bool:
    return any(
        where == skipped or (skipped.endswith("/") and where.startswith(skipped))
        for skipped in NOT_CHAT_FILES
    )


SCANNED = [p for p in sources() if not _not_chat(_relative(p))]


def _skipped_scopes(where: str) -> frozenset[str]:
    scopes, _ = NOT_CHAT_SCOPES.get(where, ((), ""))
    return frozenset(scopes)


@cache
def _findings(where: str) -> tuple[Finding, ...]:
    source = (ROOT / where).read_text(encoding="utf-8")
    return tuple(texts_in(source, _skipped_scopes(where)))


def _scopes(where: str) -> set[str]:
    """The module-level names, classes and functions (qualified) of a file."""
    found = {""}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                found.add(prefix + stmt.name)
                walk(stmt.body, f"{prefix}{stmt.name}.")
            elif not prefix and isinstance(stmt, ast.Assign | ast.AnnAssign):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                found.update(t.id for t in targets if isinstance(t, ast.Name))

    walk(ast.parse((ROOT / where).read_text(encoding="utf-8")).body, "")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=_relative)
def test_no_user_visible_text_outside_the_catalogs(path: Path) -> None:
    where = _relative(path)
    found = [
        f"{where}:{f.line}: {f.text!r}" for f in _findings(where) if (where, f.text) not in ALLOWED
    ]
    assert not found, (
        f"{where} holds texts a user may read; put them in the catalogs and look them up with "
        "t()/tn() (or, if one is no text, see this test's docstring):\n" + "\n".join(found)
    )


# --- the lists stay short and current -----------------------------------------------------------


def test_the_skipped_files_exist() -> None:
    for skipped in NOT_CHAT_FILES:
        assert (ROOT / skipped).exists(), f"{skipped} is gone; remove it from NOT_CHAT_FILES"


@pytest.mark.parametrize(
    "entry", [(path, scope) for path, (scopes, _) in NOT_CHAT_SCOPES.items() for scope in scopes]
)
def test_every_skipped_scope_exists(entry: tuple[str, str]) -> None:
    where, scope = entry
    assert (ROOT / where).exists(), f"{where} is gone; remove it from NOT_CHAT_SCOPES"
    assert scope in _scopes(where), f"{where} has no {scope!r}; remove it from NOT_CHAT_SCOPES"


@pytest.mark.parametrize("entry", sorted(ALLOWED), ids=str)
def test_every_allowed_literal_is_still_there(entry: tuple[str, str]) -> None:
    where, text = entry
    assert (ROOT / where).exists(), f"{where} is gone; remove it from ALLOWED"
    assert text in {f.text for f in _findings(where)}, (
        f"{where} no longer has {text!r} (or it is no longer flagged); remove it from ALLOWED"
    )


# --- the scanner itself -------------------------------------------------------------------------


def test_the_scan_covers_the_product_code() -> None:
    """Guards against a scan that silently reads nothing."""
    scanned = {_relative(p) for p in SCANNED}
    assert len(scanned) > 50
    assert {
        "commands/work_packages.py",
        "board_bot/features/status_rounds/messages.py",
        "board_bot/features/workshops/posting.py",
        "board_bot/core/delivery.py",
    } <= scanned
    assert "board_bot/cli.py" not in scanned
    assert not any(p.startswith("board_bot/dev/") for p in scanned)
    # The allow-list entries are found by the scan, so it does read the files.
    assert all((w, t) in {(w, f.text) for f in _findings(w)} for w, t in ALLOWED)


FLAGGED = [
    # returned from a command handler
    '@group.command("add", de="anlegen")\ndef add(ctx):\n    return "Das Paket wurde angelegt"\n',
    # appended to lines that are joined and returned
    'def render(n):\n    lines = []\n    lines.append(f"Runde {n}")\n'
    '    return "\\n".join(lines)\n',
    'def label(week):\n    return f"KW {week}"\n',
    'def label(week):\n    return f"week {week}"\n',
    'def label(again):\n    return f" ({again}. Runde)"\n',
    "def words():\n    return 'Erledigt'\n",
    "def words():\n    return 'grün'\n",
    "def words():\n    return 'Ampel-Begründung'\n",
    # a t() parameter is text, only the key is not
    'x = t(lang, "status.line", what="offene Punkte")\n',
    'x = tn(lang, "wp.count", n, label="Pakete")\n',
    'raise UsageError("wp.bad", hint="Bitte Nummer angeben")\n',
    # passed to the chat
    'delivery.post(room, "Guten Morgen")\n',
    'ctx.reply("Fertig!")\n',
    'x = Safe("**Achtung:** gleich geht es los")\n',
    'content = message_contents(f"{name} hat abgesagt")\n',
    # inside markup, the words still count
    'x = f"<b>{n} Pakete</b>"\n',
    # a dict whose values are texts
    'LABELS = {"done": "Erledigt", "open": "Offen"}\n',
    # text inside a placeholder's expression
    "x = f\"{a if a else 'keine Angabe'}\"\n",
    # a default that is a text
    'def f(x="Keine Angabe"):\n    return x\n',
    # a user error's message is read by users
    'raise BotError("key", detail=f"Zeile {n}")\n',
]


@pytest.mark.parametrize("source", FLAGGED)
def test_the_scanner_flags_texts(source: str) -> None:
    assert texts_in(source), source


NOT_FLAGGED = [
    '"""A module docstring with many words."""\n',
    'def f():\n    """A function docstring, in words."""\n    return None\n',
    'class C:\n    """A class docstring, in words."""\n\n'
    '    x: int = 1\n    """An attribute doc."""\n',
    'log.info("the bot started in %s", room)\n',
    'logger.warning("could not send the message to %s", room)\n',
    'log.exception(f"job {name} failed")\n',
    'raise ValueError(f"bad frequency {x}")\n',
    'raise RuntimeError("this cannot happen")\n',
    "raise SystemExit('Nothing to do here')\n",
    'assert x, "the list must not be empty"\n',
    "class LoginFailed(RuntimeError):\n    pass\n\n\nraise LoginFailed('the login was refused')\n",
    'x = t(lang, "wp.status.in_progress", code=code)\n',
    'x = tn(lang, "wp.count", n)\n',
    'raise UsageError("wp.milestone_action", action=action[:40])\n',
    'raise NotFound("wp.not_found", code=code)\n',
    'key = N_("wp.show.owner")\n',
    'STATES = {"in_progress": "yellow", "done": "green"}\n',
    'x = {"status": status, "traffic_light": light}\n',
    'FREQUENCIES = {"wöchentlich": "weekly", "alle zwei Wochen": "biweekly"}\n',
    'WORDS = {"heute": 0, "übermorgen": 2}\n',
    'if verb in ("add", "hinzufügen", "neu"):\n    pass\n',
    'if answer == "Ja bitte":\n    pass\n',
    'if text.startswith("Status:"):\n    pass\n',
    'head, _, tail = text.partition(" bis ")\n',
    'PATTERN = re.compile(r"(?:ll|leitlinie|guideline)?\\s*([1-4])", re.I)\n',
    'x = re.sub(r"\\s+in Arbeit", "", text)\n',
    'x = day.strftime("%A, %d. %B %Y")\n',
    'conn.execute(sa.text("SELECT id FROM board WHERE name = :name"))\n',
    'cursor.execute("PRAGMA journal_mode=WAL")\n',
    '@command("summary", de="bericht", aliases=("lagebericht", "zusammenfassung"))\n'
    "def summary(ctx):\n    return t(ctx.lang, 'summary.empty')\n",
    'group = Group("wp", de="ap", aliases=("arbeitspaket",))\n',
    '@group.command("depend", de="wartet", aliases=("abhängig", "abhaengig"))\n'
    "def depend(ctx):\n    return None\n",
    'STATUS = Term("in_progress", ("in Arbeit", "in Bearbeitung", "läuft"))\n',
    'F = FieldSpec("title", ("titel",), "Titel", "Title", "text")\n',
    '__all__ = ["Answer", "Blocker", "Escalation"]\n',
    'class M:\n    def __repr__(self):\n        return "Rest Marker"\n',
    'Language = NewType("Language", str)\n',
    'value = getattr(package, "Traffic")\n',
    'def f(x: "Sequence[Person]") -> "Mapping[str, Zahl]":\n    return x\n',
    'x = f"<a href=\\"{url}\\">{title}</a>"\n',
    'x = f"<table><tr><td>{a}</td></tr></table>"\n',
    'x = f"::: details {heading}"\n',
    'x = "m.room.message"\n',
    'x = {"msgtype": "m.notice", "format": "org.matrix.custom.html"}\n',
    'x = Attachment("export.csv", "text/csv", data)\n',
    'x = "application/json"\n',
    'x = f"{prefix}wp.{kind}.{code}"\n',
    'x = f"{a} · {b} ({c})"\n',
    'x = "yellow"\n',
    'x = "in_progress"\n',
    'x = "status"\n',
    'x = "--page"\n',
]


@pytest.mark.parametrize("source", NOT_FLAGGED)
def test_the_scanner_lets_grammar_and_plumbing_pass(source: str) -> None:
    assert not texts_in(source), texts_in(source)


def test_skipped_scopes_are_skipped_and_nothing_else() -> None:
    source = (
        'WORDS = ("keine änderung", "no change")\n'
        'SHOWN = ("Keine Änderung",)\n'
        "class Reader:\n"
        "    def bad(self):\n"
        '        self.problems.append("the column appears twice")\n'
        "def render():\n"
        '    return "Keine Daten"\n'
    )
    skipped = frozenset({"WORDS", "Reader"})
    assert [f.text for f in texts_in(source, skipped)] == ["Keine Änderung", "Keine Daten"]
    assert [f.scope for f in texts_in(source)] == [
        "WORDS",
        "WORDS",
        "SHOWN",
        "Reader.bad",
        "render",
    ]
    assert texts_in(source, frozenset({""})) == []  # "" is the whole module


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("Runde", True),
        ("in Arbeit", True),
        ("KW {}", True),
        ("{} Uhr", True),
        ("Fortschritt (%)", True),
        ("grün", True),
        ("**Achtung:**", True),
        ("yellow", False),
        ("in_progress", False),
        ("wp.status.{}", False),
        ("m.room.message", False),
        ("text/calendar", False),
        ("%d.%m.%Y", False),
        ("UTC", False),
        ("WP-{}", False),
        ("<b>{}</b>", False),
        ('<html lang="{}"><head><meta charset="utf-8">', False),
        ("<Name des Gremiums>", True),
        ("!board init <Name>", True),
        ("", False),
    ],
)
def test_what_reads_as_text(literal: str, expected: bool) -> None:
    assert reads_as_text(literal) is expected
