"""The report for the committee (``!bericht export``): the summary as a designed page, for a
phone, a desktop and A4 paper, and as a PDF of it.

The page comes from a Jinja2 template in ``templates/`` (with its stylesheet); the summary's
parts are the chat's Markdown, rendered and sanitised as in the chat, so that the report says
exactly what the message says. The PDF is WeasyPrint's rendering of the same page with its
print styles: A4, a header with board, week and date on every page, page numbers, each part on
a new page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from board_bot.core.formats import format_date
from board_bot.core.i18n import N_, t
from board_bot.core.naming import Namer
from board_bot.core.render import markdown_to_html, plain_text
from board_bot.features.status_rounds.messages import period_label
from board_bot.features.summaries import service as sm
from board_bot.features.summaries.chart import Chart
from board_bot.features.summaries.messages import first_screen, sections
from board_bot.features.work_packages.vocabulary import LEITLINIEN, leitlinie_name, leitlinie_title

#: The report's parts below the overview, each on its own page in print.
PARTS = {"leitlinien": N_("report.part_leitlinien"), "details": N_("report.part_details")}


@dataclass(frozen=True)
class Report:
    html: str
    pdf: bytes


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("board_bot.features.summaries", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _css() -> str:
    return files("board_bot.features.summaries").joinpath("templates/report.css").read_text()


def _html(markdown: str) -> Markup:
    """Markdown as the chat renders it: sanitised HTML, safe to put in the page as it is."""
    return Markup(markdown_to_html(markdown))


def _inline(markdown: str) -> Markup:
    """A title's Markdown as HTML without its paragraph."""
    html = markdown_to_html(markdown).strip()
    return Markup(html.removeprefix("<p>").removesuffix("</p>"))


def page(lang: str, data: sm.SummaryData, drawn: Chart | None, *, name: Namer) -> str:
    """The report as a self-contained HTML page (the chart embedded)."""
    period = period_label(lang, data.round.period) if data.round else t(lang, "summary.no_round")
    today = format_date(data.today)
    screen, complete = first_screen(lang, data)
    found = sections(lang, data, name=name, complete=complete)
    parts = []
    for part, key in PARTS.items():
        members = [s for s in found if s.part == part]
        if members:
            parts.append(
                {
                    "heading": t(lang, key),
                    "sections": [
                        {"title": _inline(s.title), "body": _html("\n".join(s.lines))}
                        for s in members
                    ],
                }
            )
    chart = None
    if drawn is not None:
        chart = {
            "data": base64.b64encode(drawn.png).decode("ascii"),
            "alt": drawn.alt,
            # Drawn at twice its size: shown at its size in CSS pixels.
            "width": drawn.width // 2,
            "height": drawn.height // 2,
        }
    # The first screen without its title line: the page's header says it.
    first = _html("\n".join(screen[1:]))
    heading = plain_text(str(t(lang, "report.heading", period=period)))
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            lang=lang,
            css=Markup(_css()),
            title=f"{data.board.name} · {heading} · {today}",
            running=f"{data.board.name} · {period} · {today}",
            board=data.board.name,
            heading=heading,
            meta=plain_text(str(t(lang, "report.meta", period=period, today=today))),
            chart=chart,
            first_screen=first,
            parts=parts,
            leitlinien=[
                {"short": leitlinie_name(lang, n), "full": leitlinie_title(lang, n)}
                for n in LEITLINIEN
            ],
            texts={
                "overview": t(lang, "report.overview"),
                "legend": t(lang, "report.legend"),
                "footer": plain_text(str(t(lang, "report.footer", board=data.board.name))),
            },
        )
    )


def pdf(html: str) -> bytes:
    """The page as a PDF, with its print styles (A4)."""
    from weasyprint import HTML  # a heavy import: only when a report is made

    data: bytes = HTML(string=html).write_pdf()
    return data


def report(lang: str, data: sm.SummaryData, drawn: Chart | None, *, name: Namer) -> Report:
    html = page(lang, data, drawn, name=name)
    return Report(html, pdf(html))
