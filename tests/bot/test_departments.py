"""``!dept``: add, rename, show, list, archive, room; ``!history``. Admins only where it changes
something; bad input gets a clear message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from board_bot.models import AuditEntry, Department
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, fast_bot, make_city
from tests.bot.conftest import ADMIN, BotHarness

FORBIDDEN = "Diesen Befehl darf nur der Board-Vorsitz (CDO) ausführen: cdo (@cdo:example.org)."


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


@pytest.fixture
def board(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    bot = fast_bot(bot_factory)
    bot.reply("!board init Smart City Board Musterstadt")
    return bot


def codes(bot: BotHarness) -> list[tuple[str, str, str | None, bool]]:
    return [(d.code, d.name, d.room_id, d.archived_at is not None) for d in bot.rows(Department)]


# --- add ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "code", "name"),
    [
        ("!fb anlegen FB 61 Stadtplanung", "FB 61", "Stadtplanung"),
        ("!dept add Amt 13 Hauptamt", "Amt 13", "Hauptamt"),
        ("!amt neu FB61 Stadtplanung", "FB61", "Stadtplanung"),
        (
            '!fachbereich anlegen "Stab OB" Stabsstelle Digitales',
            "Stab OB",
            "Stabsstelle Digitales",
        ),
        ("!fb anlegen RPA Rechnungsprüfungsamt", "RPA", "Rechnungsprüfungsamt"),
    ],
)
def test_admin_adds_a_department(board: BotHarness, command: str, code: str, name: str) -> None:
    reply = board.reply(command)
    assert reply == (
        f"Fachbereich **{code} – {name}** angelegt. "
        "Die Leitung tragen Sie mit `!rolle zuweisen <Person> leitung <Kürzel>` ein."
    )
    assert codes(board) == [(code, name, None, False)]
    entry = board.rows(AuditEntry)[-1]
    [dept] = board.rows(Department)
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == (
        ADMIN,
        "create",
        "department",
        str(dept.id),
    )


def test_add_with_a_room(board: BotHarness) -> None:
    board.reply("!fb anlegen FB 68 Verkehr --room !verkehr:example.org")
    assert codes(board) == [("FB 68", "Verkehr", "!verkehr:example.org", False)]


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (
            "!fb anlegen Kämmerei Finanzen",
            "„Kämmerei“ ist kein Kürzel. Bitte nennen Sie zuerst das Kürzel, dann den Namen, "
            "z. B. `FB 20 Kämmerei`. Ein Kürzel enthält eine Ziffer (FB 61, Amt 13) oder ist in "
            "Großbuchstaben geschrieben (RPA). Ein Kürzel aus mehreren Wörtern ohne Ziffer "
            "setzen Sie in Anführungszeichen, z. B. „Stab OB“.\n\n"
            "Aufruf: `!fb anlegen <Kürzel> <Name> [--room RAUM]`",
        ),
        (
            "!fb anlegen FB 61",
            "Bitte geben Sie nach dem Kürzel den Namen des Fachbereichs an.\n\n"
            "Aufruf: `!fb anlegen <Kürzel> <Name> [--room RAUM]`",
        ),
        (
            "!fb anlegen FB 20 Kämmerei --room #kaemmerei:example.org",
            "„#kaemmerei:example.org“ ist keine Raum-ID. Bitte die ID aus den Raumeinstellungen "
            "angeben („Erweitert“), z. B. `!AbCdEfGh:stadt.example`, oder `keiner`.\n\n"
            "Aufruf: `!fb anlegen <Kürzel> <Name> [--room RAUM]`",
        ),
        (
            '!fb anlegen "FB_61" Stadtplanung',
            "„FB\\_61“ ist kein gültiges Kürzel. Erlaubt sind Buchstaben, Ziffern, Leerzeichen, "
            "Punkt, Schrägstrich und Bindestrich, höchstens 32 Zeichen.",
        ),
    ],
)
def test_bad_add_changes_nothing(board: BotHarness, command: str, reply: str) -> None:
    before = board.domain_state()
    body = board.reply(command)
    assert body == reply.replace("\\_", "_")  # the body is the plain text of the Markdown
    assert board.domain_state() == before


def test_a_code_is_unique_whatever_its_spelling(city: BotHarness) -> None:
    before = city.domain_state()
    assert city.reply("!fb anlegen fb61 Noch einmal") == (
        "Das Kürzel „fb61“ ist in diesem Board bereits vergeben."
    )
    assert city.domain_state() == before


@pytest.mark.parametrize(
    "command",
    [
        "!fb anlegen FB 20 Kämmerei",
        "!fb umbenennen FB 61 Planung",
        "!fb archivieren FB 61",
        "!fb raum FB 61 !x:example.org",
    ],
)
@pytest.mark.parametrize("sender", [LEAD, DEPUTY, MEMBER, OBSERVER, "@fremd:example.org"])
def test_only_admins_change_departments(city: BotHarness, command: str, sender: str) -> None:
    before = city.domain_state()
    assert city.reply(command, sender=sender) == FORBIDDEN
    assert city.domain_state() == before


# --- rename, room, archive ----------------------------------------------------------------------


def test_rename_and_new_code(city: BotHarness) -> None:
    assert city.reply("!fb umbenennen fb61 Stadtplanung und Umwelt") == (
        "Fachbereich **FB 61 – Stadtplanung** heißt jetzt **FB 61 – Stadtplanung und Umwelt**."
    )
    assert city.reply('!fb umbenennen FB 61 --code "FB 62"') == (
        "Fachbereich **FB 61 – Stadtplanung und Umwelt** heißt jetzt "
        "**FB 62 – Stadtplanung und Umwelt**."
    )
    assert ("FB 62", "Stadtplanung und Umwelt", None, False) in codes(city)
    # Roles stay with the department.
    assert "Leitung: lena.lehmann (@lena.lehmann:example.org)" in city.reply("!fb zeigen FB 62")


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (
            '!fb umbenennen FB 61 Stadtplanung --code "fb 13"',
            "Das Kürzel „fb 13“ ist in diesem Board bereits vergeben.",
        ),
        (
            "!fb umbenennen FB 61",
            "Bitte geben Sie einen neuen Namen oder mit `--code` ein neues Kürzel an.\n\n"
            "Aufruf: `!fb umbenennen <Kürzel> [Name] [--code KÜRZEL]`",
        ),
        (
            "!fb umbenennen FB 16 Neu",
            "Einen Fachbereich „FB 16“ gibt es nicht. Meinten Sie FB 61 oder FB 13?",
        ),
    ],
)
def test_bad_rename_changes_nothing(city: BotHarness, command: str, reply: str) -> None:
    before = city.domain_state()
    body = city.reply(command)
    assert body.split(" Meinten Sie")[0] == reply.split(" Meinten Sie")[0]
    if "Meinten Sie" in reply:
        assert "FB 61" in body and "FB 13" in body
    assert city.domain_state() == before


def test_room_set_and_cleared(city: BotHarness) -> None:
    assert city.reply("!fb raum FB 61 !planung:example.org") == (
        "Abfragen für **FB 61 – Stadtplanung** gehen jetzt in den Raum !planung:example.org."
    )
    assert "- Raum für Abfragen: !planung:example.org" in city.reply("!fb zeigen FB 61")
    assert city.reply("!fb raum fb61 keiner") == (
        "**FB 61 – Stadtplanung** hat keinen eigenen Raum mehr; Abfragen gehen als "
        "Direktnachricht an die Leitung (bei Abwesenheit an die Vertretung)."
    )
    assert ("FB 61", "Stadtplanung", None, False) in codes(city)


@pytest.mark.parametrize(
    ("command", "start"),
    [
        ("!fb raum FB 61 #planung:example.org", "„#planung:example.org“ ist keine Raum-ID."),
        ("!fb raum FB 61", "„61“ ist keine Raum-ID."),
        ("!fb raum FB 99 !planung:example.org", "Einen Fachbereich „FB 99“ gibt es nicht."),
    ],
)
def test_bad_room_changes_nothing(city: BotHarness, command: str, start: str) -> None:
    before = city.domain_state()
    assert city.reply(command).startswith(start)
    assert city.domain_state() == before


def test_archive_drops_a_department_from_lists_but_keeps_its_history(city: BotHarness) -> None:
    assert city.reply("!fb archivieren FB 68") == (
        "Fachbereich **FB 68 – Verkehr** ist archiviert. Er erscheint nicht mehr in Listen und "
        "Abfragen; sein Verlauf bleibt erhalten (`!verlauf FB 68`)."
    )
    assert "FB 68" not in city.reply("!fb liste")
    assert "FB 68" not in city.reply("!personen")
    assert city.reply("!fb zeigen FB 68").startswith("Einen Fachbereich „FB 68“ gibt es nicht.")
    history = city.reply("!verlauf FB 68")
    assert history.startswith("**Änderungsprotokoll FB 68 – Verkehr** (archiviert;")
    assert "· archiviert" in history
    # The code is free again.
    assert "angelegt" in city.reply("!fb anlegen FB 68 Verkehr und Mobilität")


# --- show and list ------------------------------------------------------------------------------


def test_show(city: BotHarness) -> None:
    assert city.reply("!fb zeigen fb 61", sender=MEMBER) == (
        "**FB 61 – Stadtplanung**\n\n"
        "- Kürzel: FB 61\n"
        "- Raum für Abfragen: keiner (Direktnachricht an die Leitung)\n"
        "- Leitung: lena.lehmann (@lena.lehmann:example.org)\n"
        "- Vertretung: dirk.decker (@dirk.decker:other.example)\n"
        "- Mitglieder: mia.meyer (@mia.meyer:example.org)\n"
        "- Heute ansprechbar: lena.lehmann (@lena.lehmann:example.org)"
    )


def test_show_names_the_deputy_while_the_lead_is_away(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026 - 18.12.2026 Urlaub", sender=LEAD)
    assert city.reply("!fb zeigen FB 61").endswith(
        "- Heute ansprechbar: dirk.decker (@dirk.decker:other.example) "
        "(Vertretung; die Leitung ist bis 18.12.2026 abwesend)"
    )
    city.reply("!abwesend 07.12.2026", sender=DEPUTY)
    assert city.reply("!fb zeigen FB 61").endswith(
        "- Heute ansprechbar: niemand – weder Leitung noch Vertretung ist anwesend"
    )


def test_show_unknown_code_suggests_close_ones(city: BotHarness) -> None:
    assert city.reply("!fb zeigen FB 6") == (
        "Einen Fachbereich „FB 6“ gibt es nicht. Meinten Sie FB 68, FB 61?"
    )


def test_show_before_any_department(board: BotHarness) -> None:
    assert board.reply("!fb zeigen FB 61") == (
        "Einen Fachbereich „FB 61“ gibt es nicht; in diesem Board ist noch kein Fachbereich "
        "angelegt."
    )


def test_list(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026", sender=LEAD)
    assert city.reply("!fachbereich liste", sender=OBSERVER) == (
        "**Fachbereiche (3)**\n\n"
        "- **FB 13 – Hauptamt** · Leitung: – · heute niemand ansprechbar\n"
        "- **FB 61 – Stadtplanung** · Leitung: lena.lehmann (@lena.lehmann:example.org)"
        " · heute ansprechbar: dirk.decker (@dirk.decker:other.example)\n"
        "- **FB 68 – Verkehr** · Leitung: – · heute niemand ansprechbar"
    )


def test_list_when_empty(board: BotHarness) -> None:
    assert board.reply("!fb liste") == (
        "In diesem Board ist noch kein Fachbereich angelegt. Der Board-Vorsitz (CDO) legt einen "
        "mit `!fb anlegen <Kürzel> <Name>` an."
    )


def test_list_in_english(city: BotHarness) -> None:
    city.reply("!board language en")
    assert city.reply("!dept list").startswith(
        "**Departments (3)**\n\n- **FB 13 – Hauptamt** · Lead: – · nobody to contact today"
    )


@pytest.mark.parametrize("command", ["!fb liste", "!fb zeigen FB 61", "!verlauf FB 61"])
def test_department_commands_need_a_board(city: BotHarness, command: str) -> None:
    assert city.reply(command, room="!elsewhere:example.org").startswith(
        "In diesem Raum ist noch kein Smart City Board eingerichtet."
    )


# --- user text stays inert ----------------------------------------------------------------------


def test_a_department_name_is_escaped_everywhere(board: BotHarness) -> None:
    name = "<b>Bau</b> @room [x](https://evil.example) **laut**"
    board.reply(f"!fb anlegen FB 63 {name}")
    board.reply(f"!rolle zuweisen {LEAD} leitung FB 63")
    for command in ("!fb zeigen FB 63", "!fb liste", "!personen", "!verlauf FB 63"):
        board.handle(command)
        [content] = board.contents()
        html = content["formatted_body"]
        assert "<b>" not in html and "&lt;b&gt;Bau&lt;/b&gt;" in html, command
        assert "<a" not in html and "**laut**" in html, command
        assert "@room" not in content["body"] and "@\u2060room" in content["body"], command
        assert content["m.mentions"] == {}


# --- history ------------------------------------------------------------------------------------


def test_history_tells_the_changes_in_words_newest_first(city: BotHarness) -> None:
    city.clock.advance(timedelta(hours=2))
    city.reply(f"!rolle zuweisen {MEMBER} leitung FB 61")
    city.reply("!fb raum FB 61 !planung:example.org")
    city.reply("!fb umbenennen FB 61 Stadtplanung und Umwelt")
    reply = city.reply("!verlauf fb61", sender=OBSERVER)
    assert reply.splitlines() == [
        "**Änderungsprotokoll FB 61 – Stadtplanung und Umwelt** (neueste zuerst, höchstens 20)",
        "",
        "- 07.12.2026, 11:00 Uhr · cdo (@cdo:example.org) · umbenannt von FB 61 – Stadtplanung in "
        "FB 61 – Stadtplanung und Umwelt",
        "- 07.12.2026, 11:00 Uhr · cdo (@cdo:example.org) · Raum festgelegt: !planung:example.org",
        "- 07.12.2026, 11:00 Uhr · cdo (@cdo:example.org) · "
        "mia.meyer (@mia.meyer:example.org) als Leitung eingetragen",
        # One role per person and department: the member who becomes lead is no longer member.
        "- 07.12.2026, 11:00 Uhr · cdo (@cdo:example.org) · "
        "mia.meyer (@mia.meyer:example.org) als Mitglied ausgetragen",
        "- 07.12.2026, 11:00 Uhr · cdo (@cdo:example.org) · "
        "lena.lehmann (@lena.lehmann:example.org) als Leitung ausgetragen",
        "- 07.12.2026, 09:00 Uhr · cdo (@cdo:example.org) · "
        "mia.meyer (@mia.meyer:example.org) als Mitglied eingetragen",
        "- 07.12.2026, 09:00 Uhr · cdo (@cdo:example.org) · "
        "dirk.decker (@dirk.decker:other.example) als Vertretung eingetragen",
        "- 07.12.2026, 09:00 Uhr · cdo (@cdo:example.org) · "
        "lena.lehmann (@lena.lehmann:example.org) als Leitung eingetragen",
        "- 07.12.2026, 09:00 Uhr · cdo (@cdo:example.org) · angelegt als FB 61 – Stadtplanung",
    ]


def test_history_shows_at_most_20_entries(city: BotHarness) -> None:
    for i in range(25):
        city.reply(f"!fb umbenennen FB 13 Hauptamt {i}")
    lines = city.reply("!verlauf FB 13").splitlines()
    assert len(lines) == 2 + 20
    assert lines[2].endswith("umbenannt von FB 13 – Hauptamt 23 in FB 13 – Hauptamt 24")


def test_history_in_english_and_of_an_unknown_department(city: BotHarness) -> None:
    city.reply("!board language en")
    assert city.reply("!history FB 68").splitlines()[-1] == (
        "- 07.12.2026, 09:00 · cdo (@cdo:example.org) · created as FB 68 – Verkehr"
    )
    assert city.reply("!history XY 1").startswith("There is no department “XY 1”.")
