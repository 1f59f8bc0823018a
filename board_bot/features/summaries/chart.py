"""The summary's chart: the traffic light of each Leitlinie over the last rounds, as a PNG.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display, no global state), so
it runs headless and in worker threads. Every cell carries the colour and a mark (✓ green,
! yellow, ✗ red), never colour alone, and the image comes with an alt text that says the same
in words.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from board_bot.core.i18n import t
from board_bot.features.work_packages.vocabulary import LIGHT

COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", None: "#e0e0e0"}
MARKS = {"green": "✓", "yellow": "!", "red": "✗", None: "–"}
LEITLINIEN = (1, 2, 3, 4)


@dataclass(frozen=True)
class Chart:
    png: bytes
    width: int
    height: int
    alt: str


def traffic_chart(
    columns: Sequence[tuple[str, dict[int, str | None]]], lang: str, title: str
) -> Chart:
    """``columns``: (label, Leitlinie -> light) per round, oldest first."""
    words: dict[str | None, str] = {code: str(LIGHT.label(lang, code)) for code in LIGHT.codes}
    words[None] = str(t(lang, "summary.ll_empty"))
    width_in = max(4.0, 1.2 + 0.55 * len(columns))
    figure = Figure(figsize=(width_in, 2.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for x, (_, lights) in enumerate(columns):
        for y, leitlinie in enumerate(LEITLINIEN):
            light = lights.get(leitlinie)
            axes.add_patch(_cell(x, len(LEITLINIEN) - 1 - y, COLOURS.get(light, COLOURS[None])))
            axes.text(
                x + 0.5,
                len(LEITLINIEN) - 1 - y + 0.5,
                MARKS.get(light, "–"),
                ha="center",
                va="center",
                color="white" if light else "#616161",
                fontsize=10,
            )
    axes.set_xlim(0, max(len(columns), 1))
    axes.set_ylim(0, len(LEITLINIEN))
    axes.set_xticks([x + 0.5 for x in range(len(columns))])
    axes.set_xticklabels([label for label, _ in columns], fontsize=8, rotation=45, ha="right")
    axes.set_yticks([y + 0.5 for y in range(len(LEITLINIEN))])
    axes.set_yticklabels(
        [t(lang, "leitlinie.short", n=n) for n in reversed(LEITLINIEN)], fontsize=9
    )
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_title(title, fontsize=10, loc="left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    width, height = (int(v) for v in figure.get_size_inches() * figure.dpi)
    return Chart(buffer.getvalue(), width, height, _alt(lang, columns, words, title))


def _cell(x: int, y: int, colour: str) -> Rectangle:
    return Rectangle((x + 0.05, y + 0.05), 0.9, 0.9, color=colour)


def _alt(
    lang: str,
    columns: Sequence[tuple[str, dict[int, str | None]]],
    words: dict[str | None, str],
    title: str,
) -> str:
    if not columns:
        return title
    span = columns[0][0] if len(columns) == 1 else f"{columns[0][0]} – {columns[-1][0]}"
    lines = [f"{title} ({span})."]
    for leitlinie in LEITLINIEN:
        runs: list[list[object]] = []  # [word, count], consecutive rounds alike joined
        for _, lights in columns:
            word = words[lights.get(leitlinie)]
            if runs and runs[-1][0] == word:
                runs[-1][1] = int(str(runs[-1][1])) + 1
            else:
                runs.append([word, 1])
        seq = ", ".join(f"{count}× {word}" if count != 1 else str(word) for word, count in runs)
        lines.append(
            t(
                lang,
                "summary.chart_alt_line",
                ll=t(lang, "leitlinie.short", n=leitlinie),
                lights=seq,
            )
        )
    return " ".join(lines)
