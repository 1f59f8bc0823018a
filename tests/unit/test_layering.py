"""The house's layering, kept by a test like the clock discipline: imports only go down
(``commands`` → features → core), only the Matrix adapter imports nio, the command modules hold
the chat grammar only (no ORM), and product code has no import cycles.

Every import counts, also one inside a function or under ``TYPE_CHECKING``: an import hidden in
a function is still a dependency."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What each layer may import from the project (besides itself and the standard library).
# board_bot.models holds the tables; it sits beside core (alembic reads them in one place).
LAYERS: dict[str, tuple[str, ...]] = {
    "board_bot.core": ("board_bot.core", "board_bot.models"),
    "board_bot.models": ("board_bot.core",),
    "board_bot.features": ("board_bot.core", "board_bot.models", "board_bot.features"),
    "board_bot.scheduler": (
        "board_bot.core",
        "board_bot.models",
        "board_bot.features",
        "board_bot.scheduler",
    ),
    "board_bot.chat": (
        "board_bot.core",
        "board_bot.models",
        "board_bot.features",
        "board_bot.chat",
    ),
    "commands": (
        "commands",
        "board_bot.chat",
        "board_bot.core",
        "board_bot.features",
        "board_bot.models",
        "board_bot.scheduler",
    ),
    "board_bot.matrix": (
        "board_bot",
        "board_bot.matrix",
        "board_bot.chat",
        "board_bot.core",
        "board_bot.features",
        "board_bot.models",
        "board_bot.scheduler",
    ),
}
# The places that assemble everything may import anything of ours.
ASSEMBLY = ("board_bot", "board_bot.__main__", "board_bot.app", "board_bot.cli", "board_bot.dev")
OURS = ("board_bot", "commands")
NO_ORM_IN = "commands"
ORM_MODULES = ("sqlmodel", "sqlalchemy")
ORM_CALLS = {"add", "add_all", "delete", "exec", "execute", "flush", "get", "merge", "scalar"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> dict[str, Path]:
    files = [*ROOT.glob("board_bot/**/*.py"), *ROOT.glob("commands/**/*.py")]
    return {module_name(p): p for p in sorted(files)}


MODULES = product_modules()


def imports(path: Path) -> Iterator[tuple[str, int]]:
    return imports_in(path.read_text(encoding="utf-8"))


def imports_in(source: str) -> Iterator[tuple[str, int]]:
    """Every module the source imports (a ``from pkg import mod`` counts as ``pkg.mod`` when that
    is a module of ours), with its line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield (full if full in MODULES else node.module), node.lineno


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_of(name: str) -> str | None:
    if any(within(name, a) and (a != "board_bot" or name == "board_bot") for a in ASSEMBLY):
        return None
    return max((layer for layer in LAYERS if within(name, layer)), key=len, default=None)


def allowed(source: str, target: str) -> bool:
    layer = layer_of(source)
    if layer is None:
        return True
    if target == "board_bot":  # the package itself: __version__
        return layer == "board_bot.matrix"
    return any(within(target, ok) for ok in LAYERS[layer])


def violations() -> list[str]:
    found = []
    for name, path in MODULES.items():
        for target, line in imports(path):
            if not target.startswith(OURS) or not any(within(target, o) for o in OURS):
                continue
            if not allowed(name, target):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return found


def test_every_product_module_has_a_layer_or_assembles() -> None:
    homeless = [n for n in MODULES if layer_of(n) is None and not n.startswith(ASSEMBLY)]
    assert homeless == []


def test_imports_only_go_down() -> None:
    assert violations() == []


def test_the_scanner_sees_a_feature_importing_a_command() -> None:
    assert not allowed("board_bot.features.workshops.service", "commands.workshops")
    assert not allowed("board_bot.features.work_packages.messages", "board_bot.chat.framework")
    assert not allowed("board_bot.core.render", "board_bot.features.people.service")
    assert not allowed("board_bot.chat.dispatcher", "commands.workshops")
    assert allowed("board_bot.app", "commands")
    assert allowed("commands.status", "board_bot.features.status_rounds.service")


def test_only_the_matrix_adapter_imports_nio() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for name, path in MODULES.items()
        if not within(name, "board_bot.matrix")
        for target, line in imports(path)
        if within(target, "nio")
    ]
    assert offenders == []


def orm_use(source: str) -> list[str]:
    """ORM imports and session calls (``ctx.session.add``, ``session.exec``) in a source."""
    found = []
    tree = ast.parse(source)
    for target, line in imports_in(source):
        if any(within(target, m) for m in ORM_MODULES):
            found.append(f"{line}: imports {target}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ORM_CALLS
        ):
            owner = node.func.value
            owner_name = (
                owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            )
            if owner_name == "session":
                found.append(f"{node.lineno}: session.{node.func.attr}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "select":
            found.append(f"{node.lineno}: select(...)")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from sqlmodel import select",
        "import sqlalchemy as sa",
        "ctx.session.add(ws)",
        "session.exec(select(Board))",
        "found = ctx.session.get(Department, 1)",
    ],
)
def test_the_scanner_sees_orm_use(source: str) -> None:
    assert orm_use(source)


def test_the_scanner_lets_service_calls_pass() -> None:
    assert not orm_use("wp = wps.create(ctx.session, board=board, title=title, now=ctx.now)")


def test_commands_are_the_chat_grammar_only() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for name, path in MODULES.items()
        if within(name, NO_ORM_IN)
        if (found := orm_use(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def cycles() -> list[list[str]]:
    """Strongly connected groups of product modules (Tarjan), largest first."""
    graph = {
        name: sorted({t for t, _ in imports(path) if t in MODULES and t != name})
        for name, path in MODULES.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return sorted(groups, key=len, reverse=True)


def test_no_import_cycles_in_product_code() -> None:
    # A package's __init__ importing its own modules is not a cycle worth naming.
    assert cycles() == []
