"""The summary's chart: a PNG that matplotlib draws headless, with alt text in words."""

from __future__ import annotations

import struct

from board_bot.features.summaries.chart import traffic_chart


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_twelve_rounds_as_a_png_with_its_size_and_alt_text() -> None:
    columns = [
        (f"KW {n}", {1: "green", 2: "yellow" if n < 45 else "red", 3: None, 4: "green"})
        for n in range(37, 49)
    ]
    chart = traffic_chart(columns, "de", "Ampeln je Leitlinie")
    assert png_size(chart.png) == (chart.width, chart.height)
    assert chart.width > chart.height > 100
    assert chart.alt == (
        "Ampeln je Leitlinie (KW 37 – KW 48). LL 1: 12× grün. LL 2: 8× gelb, 4× rot. "
        "LL 3: 12× keine offenen Pakete. LL 4: 12× grün."
    )


def test_one_round_in_english() -> None:
    chart = traffic_chart([("now", {1: "red"})], "en", "Traffic lights")
    assert chart.alt == (
        "Traffic lights (now). LL 1: red. LL 2: no open packages. LL 3: no open packages. "
        "LL 4: no open packages."
    )
    assert png_size(chart.png)[0] >= 400
