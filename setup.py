"""Compiles the message catalogs (``board_bot/locale/*/LC_MESSAGES/*.po`` to ``.mo``) whenever
the package is built or installed, also for an editable install (``pip install -e .``): the bot
reads only the compiled catalogs. Everything else is in ``pyproject.toml``."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).resolve().parent / "board_bot" / "locale"


def compile_catalogs() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po:
            catalog = read_po(po, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as mo:
            write_mo(mo, catalog, use_fuzzy=False)


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs()  # in place, so that package data (and an editable install) has them
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
