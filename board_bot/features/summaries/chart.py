"""The summary's chart: the traffic light of each Leitlinie over the last rounds, as a PNG.

Drawn with matplotlib's object API on an Agg canvas (no pyplot, no display, no global state), so
it runs headless and in worker threads. It is laid out for a phone: 4 inches (about 400 CSS
pixels) wide, drawn at twice that in pixels, each Leitlinie's name above its row, the weeks
under the cells and a legend below. Every cell carries the colour and a mark (✓ green, ! yellow,
✗ red, – nothing open), never colour alone, and the image comes with an alt text that says the
same in plain sentences.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from board_bot.core.i18n import t
from board_bot.core.render import plain_text
from board_bot.features.work_packages.vocabulary import LEITLINIEN, LIGHT, leitlinie_name

COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", None: "#e0e0e0"}
MARK_COLOURS = {"green": "white", "yellow": "#212121", "red": "white", None: "#424242"}
MARKS = {"green": "✓", "yellow": "!", "red": "✗", None: "–"}
WIDTH_IN = 4.0  # about the width of a phone's screen in CSS pixels, at 100 per inch
DPI = 200  # twice that in pixels: sharp on high-density screens and in print
MIN_COLUMNS = 12  # the cells are as wide for a few rounds as for twelve
ROW = 1.75  # a row: its name above (0.75) and its cells (1), in cell units
NAME_PT, TICK_PT, TITLE_PT, MARK_PT = 11, 10, 12, 12
_SHORT = re.compile(r"^(?:KW|week)\s*(\d{1,2})$")


@dataclass(frozen=True)
class Chart:
    png: bytes
    width: int
    height: int
    alt: str


def _tick(label: str) -> str:
    """``KW 48`` → ``48`` under a cell (the axis says ``KW``); ``November 2026`` → ``Nov``."""
    match = _SHORT.match(label)
    if match:
        return match.group(1)
    return label if len(label) <= 6 else label[:3]


def traffic_chart(
    columns: Sequence[tuple[str, dict[int, str | None]]], lang: str, title: str
) -> Chart:
    """``columns``: (label, Leitlinie -> light) per round, oldest first."""
    words: dict[str | None, str] = {code: str(LIGHT.label(lang, code)) for code in LIGHT.codes}
    words[None] = str(t(lang, "summary.chart_none"))
    units = max(len(columns), MIN_COLUMNS)
    margin_in = 0.12
    cell_in = (WIDTH_IN - 2 * margin_in) / units
    rows_in = len(LEITLINIEN) * ROW * cell_in
    title_in, ticks_in, legend_in = 0.42, 0.3, 0.36
    height_in = title_in + rows_in + ticks_in + legend_in
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (
            margin_in / WIDTH_IN,
            (ticks_in + legend_in) / height_in,
            units * cell_in / WIDTH_IN,
            rows_in / height_in,
        )
    )
    axes.set_xlim(0, units)
    axes.set_ylim(0, len(LEITLINIEN) * ROW)
    axes.set_axis_off()
    for row, leitlinie in enumerate(LEITLINIEN):
        bottom = (len(LEITLINIEN) - 1 - row) * ROW
        axes.text(
            0,
            bottom + 1.08,
            leitlinie_name(lang, leitlinie),
            ha="left",
            va="bottom",
            fontsize=NAME_PT,
            color="#212121",
        )
        for x, (_, lights) in enumerate(columns):
            light = lights.get(leitlinie)
            axes.add_patch(_cell(x, bottom, COLOURS.get(light, COLOURS[None])))
            axes.text(
                x + 0.5,
                bottom + 0.5,
                MARKS.get(light, "–"),
                ha="center",
                va="center",
                color=MARK_COLOURS.get(light, MARK_COLOURS[None]),
                fontsize=MARK_PT,
                fontweight="bold",
            )
    for x, (label, _) in enumerate(columns):
        axes.text(x + 0.5, -0.15, _tick(label), ha="center", va="top", fontsize=TICK_PT)
    weekly = any(_SHORT.match(label) for label, _ in columns)
    figure.text(
        margin_in / WIDTH_IN,
        1 - 0.1 / height_in,
        title + (f" ({t(lang, 'summary.chart_weeks')})" if weekly else ""),
        ha="left",
        va="top",
        fontsize=TITLE_PT,
        fontweight="bold",
        color="#212121",
    )
    handles = [Rectangle((0, 0), 1, 1, color=COLOURS[code]) for code in (*LIGHT.codes, None)]
    figure.legend(
        handles,
        [f"{MARKS[code]} {words[code]}" for code in (*LIGHT.codes, None)],
        loc="lower left",
        bbox_to_anchor=(margin_in / WIDTH_IN, 0.02),
        ncol=4,
        fontsize=TICK_PT,
        frameon=False,
        handlelength=1.0,
        handletextpad=0.4,
        columnspacing=0.9,
        borderaxespad=0,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    width, height = figure.canvas.get_width_height()
    return Chart(buffer.getvalue(), width, height, _alt(lang, columns, words, title))


def _cell(x: int, y: float, colour: str) -> Rectangle:
    return Rectangle((x + 0.06, y + 0.06), 0.88, 0.88, color=colour)


def _alt(
    lang: str,
    columns: Sequence[tuple[str, dict[int, str | None]]],
    words: dict[str | None, str],
    title: str,
) -> str:
    """``Ampeln je Leitlinie, KW 42 bis jetzt. Transparenz & Teilhabe: KW 42 bis KW 47 grün,
    KW 48 bis jetzt gelb.`` — one sentence per Leitlinie, rounds alike joined."""
    if not columns:
        return title
    labels = [label for label, _ in columns]
    span = (
        labels[0]
        if len(labels) == 1
        else t(lang, "summary.chart_span", start=labels[0], end=labels[-1])
    )
    sentences = [f"{title}, {span}."]
    for leitlinie in LEITLINIEN:
        runs: list[tuple[str, str, str]] = []  # word, first label, last label
        for label, lights in columns:
            word = words[lights.get(leitlinie)]
            if runs and runs[-1][0] == word:
                runs[-1] = (word, runs[-1][1], label)
            else:
                runs.append((word, label, label))
        parts = [
            str(t(lang, "summary.chart_run_one", when=first, light=word))
            if first == last
            else str(t(lang, "summary.chart_run", start=first, end=last, light=word))
            for word, first, last in runs
        ]
        sentences.append(
            t(
                lang,
                "summary.chart_alt_line",
                ll=leitlinie_name(lang, leitlinie),
                lights=", ".join(parts),
            )
        )
    return plain_text(" ".join(str(s) for s in sentences))
