"""A module's private names (``_named_package``) are its own: no other module of the product
imports them or reaches them through the module (``summaries._named_package``). What another
feature needs is made public where it lives (issue 16's review: retention used the summaries'
private helper)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def private_uses(source: str) -> list[str]:
    """The other modules' private names a module's source uses."""
    tree = ast.parse(source)
    modules: set[str] = set()  # local names bound to modules of the product
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("board_bot"):
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{node.module}.{alias.name}")
                elif _is_module(f"{node.module}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.asname and a.name.startswith("board_bot")}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_finder_sees_both_ways_in() -> None:
    assert private_uses("from board_bot.features.summaries.service import _named_package") == [
        "board_bot.features.summaries.service._named_package"
    ]
    source = "from board_bot.features.summaries import service\nservice._named_package('x')\n"
    assert private_uses(source) == ["service._named_package"]
    assert private_uses("from board_bot.features.summaries.service import named_package") == []


def test_no_module_uses_another_modules_private_names() -> None:
    found = {
        str(path.relative_to(ROOT)): uses
        for folder in ("board_bot", "commands")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (uses := private_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}
