"""The summary's chart: a PNG that matplotlib draws headless, laid out for a phone, with alt
text in plain sentences."""

from __future__ import annotations

import struct

from board_bot.features.summaries.chart import DPI, WIDTH_IN, traffic_chart
from board_bot.features.work_packages import vocabulary


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_twelve_rounds_as_a_png_with_its_size_and_alt_text() -> None:
    columns = [
        (f"KW {n}", {1: "green", 2: "yellow" if n < 45 else "red", 3: None, 4: "green"})
        for n in range(37, 48)
    ]
    columns.append(("jetzt", {1: "green", 2: "red", 3: "yellow", 4: "green"}))
    chart = traffic_chart(columns, "de", "Ampeln je Leitlinie")
    assert png_size(chart.png) == (chart.width, chart.height)
    assert chart.alt == (
        "Ampeln je Leitlinie, KW 37 bis jetzt. "
        "Ziele & Strategien: KW 37 bis jetzt grün. "
        "Transparenz & Teilhabe: KW 37 bis KW 44 gelb, KW 45 bis jetzt rot. "
        "Infrastruktur & Daten: KW 37 bis KW 47 nichts offen, jetzt gelb. "
        "Ressourcen & Kooperation: KW 37 bis jetzt grün."
    )


def test_drawn_for_a_phone_at_twice_its_pixel_density() -> None:
    """About 400 CSS pixels wide (a phone's screen), drawn with twice as many pixels; a few
    rounds do not make it taller than many."""
    few = traffic_chart([("KW 48", {1: "red"})], "de", "Ampeln")
    many = traffic_chart([(f"KW {n}", {1: "red"}) for n in range(30, 42)], "de", "Ampeln")
    for chart in (few, many):
        assert chart.width == WIDTH_IN * DPI == 800
        assert DPI >= 2 * 96
    assert few.height == many.height < few.width


def test_one_round_in_english() -> None:
    chart = traffic_chart([("now", {1: "red"})], "en", "Guideline lights")
    assert chart.alt == (
        "Guideline lights, now. Goals & strategies: red (now). "
        "Transparency & participation: nothing open (now). "
        "Infrastructure & data: nothing open (now). Resources & cooperation: nothing open (now)."
    )


def test_a_city_names_its_leitlinien() -> None:
    vocabulary.set_leitlinie_names("de", ("Strategie", "Beteiligung", "Daten", "Kompetenzen"))
    chart = traffic_chart([("KW 48", {2: "green"})], "de", "Ampeln")
    assert chart.alt == (
        "Ampeln, KW 48. Strategie: KW 48 nichts offen. Beteiligung: KW 48 grün. "
        "Daten: KW 48 nichts offen. Kompetenzen: KW 48 nichts offen."
    )
