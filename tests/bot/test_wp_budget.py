"""The field Budget (planned cost in whole euros), added through the field table: edited,
validated, shown, kept in the audit log, exported and listed in the help (bot tier)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest

from board_bot.models import AuditEntry
from tests.bot.city import LEAD, MEMBER, make_city
from tests.bot.conftest import ADMIN, BotHarness
from tests.bot.test_wp_export import files
from tests.bot.wp_support import field, seed


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    made = make_city(bot_factory)
    seed(made)  # WP-1 of FB 61, WP-2 of FB 68
    return made


def test_a_lead_sets_the_budget_and_sees_it_in_euros(city: BotHarness) -> None:
    reply = city.reply("!wp edit WP-1 budget 120.000", sender=LEAD)
    assert reply == "WP-1 geändert:\n- Budget: – → 120.000 €"
    assert field(city, 1, "budget") == 120_000
    assert "- Budget: 120.000 €" in city.reply("!wp show WP-1", sender=MEMBER)
    [entry] = [e for e in city.rows(AuditEntry) if e.action == "update" and "budget" in e.after]
    assert (entry.actor, entry.before, entry.after) == (LEAD, {"budget": None}, {"budget": 120000})
    history = city.reply("!wp verlauf WP-1", sender=MEMBER)
    assert "Budget: – → 120.000 €" in history


@pytest.mark.parametrize(
    ("typed", "euros"),
    [
        ("120000", 120_000),
        ("120 000 €", 120_000),
        ("120.000,00 €", 120_000),
        ("1.250.000 EUR", 1_250_000),
        ("EUR 80,000", 80_000),
        ("0", 0),
    ],
)
def test_budgets_as_people_type_them(city: BotHarness, typed: str, euros: int) -> None:
    city.reply(f"!wp edit WP-1 kosten {typed}", sender=ADMIN)
    assert field(city, 1, "budget") == euros


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("viel", "„viel“ ist kein Betrag. Bitte ganze Euro angeben"),
        ("-5.000", "„-5.000“ ist kein Betrag."),
        ("120.000,50", "„120.000,50“ enthält Cent."),
        ("12.000.000.000.000", "mehr als eine Billion Euro"),
        ("", "Bitte geben Sie nach dem Feld „Budget“ den neuen Wert an"),
    ],
)
def test_a_bad_budget_is_named_and_changes_nothing(
    city: BotHarness, typed: str, message: str
) -> None:
    city.reply("!wp edit WP-1 budget 50.000", sender=ADMIN)
    before = city.count(AuditEntry)
    reply = city.reply(f"!wp edit WP-1 budget {typed}".rstrip(), sender=ADMIN)
    assert message in reply, reply
    assert field(city, 1, "budget") == 50_000
    assert city.count(AuditEntry) == before


def test_a_budget_is_cleared_with_a_dash(city: BotHarness) -> None:
    city.reply("!wp edit WP-1 budget 50.000", sender=ADMIN)
    assert city.reply("!wp edit WP-1 budget -", sender=ADMIN).endswith("50.000 € → –")
    assert field(city, 1, "budget") is None


def test_the_english_board_reads_euros_its_way(city: BotHarness) -> None:
    city.reply("!board sprache en", sender=ADMIN)
    reply = city.reply("!wp edit WP-1 budget 250,000", sender=ADMIN)
    assert reply.endswith("- Budget: – → €250,000"), reply


def test_the_responsible_person_may_set_the_budget(city: BotHarness) -> None:
    city.reply(f"!wp edit WP-1 verantwortlich {MEMBER}", sender=ADMIN)
    assert city.reply("!wp edit WP-1 budget 9.000", sender=MEMBER).startswith("WP-1 geändert")


def test_the_export_carries_the_budget(city: BotHarness) -> None:
    city.reply("!wp edit WP-1 budget 120.000", sender=ADMIN)
    city.handle("!wp export", sender=ADMIN)
    (_, csv_bytes), (_, json_bytes) = files(city)
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    assert [r["Budget (€)"] for r in rows] == ["120000", ""]
    packages = json.loads(json_bytes)["work_packages"]
    assert [p["budget"] for p in packages] == [120000, None]


def test_the_help_names_the_field(city: BotHarness) -> None:
    assert "budget" in city.reply("!hilfe wp edit", sender=MEMBER)


@pytest.mark.parametrize(
    ("typed", "light", "reason"),
    [
        ("🟡 gelb", "yellow", None),
        ("🔴 rot Förderbescheid fehlt", "red", "Förderbescheid fehlt"),
        ("rot Förderbescheid fehlt", "red", "Förderbescheid fehlt"),
        ("🟥 Personal fehlt", "red", "Personal fehlt"),
    ],
)
def test_a_traffic_light_is_read_with_its_symbol(
    city: BotHarness, typed: str, light: str, reason: str | None
) -> None:
    """The light as the bot writes it (symbol and word) is read back; the rest is the reason."""
    reply = city.reply(f"!wp edit WP-1 ampel {typed}", sender=ADMIN)
    if reason is None:  # yellow needs a reason: refused, nothing stored
        assert "Begründung" in reply, reply
        assert field(city, 1, "traffic_light") == "green"
    else:
        assert (field(city, 1, "traffic_light"), field(city, 1, "traffic_reason")) == (
            light,
            reason,
        )
