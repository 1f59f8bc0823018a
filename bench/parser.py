"""How long the status-answer parser takes for long messages, and how that grows with their
length (catalogue: a pasted novel must not stall the bot).

For each of the pieces that could make a regular expression backtrack (lines of package
states, escalation words, long words, list marks, ...), a message of 10,000 characters (the
limit of an answer) and one of 40,000 are parsed; printed are the slowest piece's median at
10,000 characters and the largest growth from 10,000 to 40,000 characters (4.00 x would be
exactly linear; quadratic work shows as about 16 x):

    figure parse_answer_10k_slowest_median <ms> ms
    figure parse_answer_growth_40k_over_10k_largest <ratio> x

Usage: python bench/parser.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from board_bot.features.status_rounds.parser import parse_answer  # noqa: E402

PIECES = [
    "WP-1 gelb 50% wartet auf FB 61\n",
    "Entscheidung nötig ",
    "wartet auf ",
    "a" * 50 + " ",
    " - * 1. ",
    "WP " * 3,
    "%",
    "x an die OB ",
]


def message(piece: str, length: int) -> str:
    return (piece * (length // len(piece) + 1))[:length]


def median_ms(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_answer(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    slowest = 0.0
    growth = 0.0
    for piece in PIECES:
        short = median_ms(message(piece, 10_000), args.runs)
        long = median_ms(message(piece, 40_000), args.runs)
        print(f"# {piece!r}: {short:.2f} ms at 10,000, {long:.2f} ms at 40,000", flush=True)
        slowest = max(slowest, short)
        growth = max(growth, long / short if short else 0.0)
    print(f"figure parse_answer_10k_slowest_median {slowest:.2f} ms")
    print(f"figure parse_answer_growth_40k_over_10k_largest {growth:.2f} x")


if __name__ == "__main__":
    main()
