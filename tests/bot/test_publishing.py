"""The public portfolio page (issue 17): packages marked public with ``!wp edit WP-1 öffentlich
ja``, ``!veröffentlichen vorschau`` (the page as a file, and what changes against the page
online) and ``!veröffentlichen freigeben`` (admins: the static site written to
``[publish] dir``); nothing about people and no internal reason reaches a published file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from board_bot.features.council import papers
from board_bot.features.council.oparl import Paper
from board_bot.models import AuditEntry, WorkPackage
from tests.bot.city import DEPUTY, LEAD, MEMBER, make_city
from tests.bot.conftest import ADMIN, BotHarness

SITE = "smart-city-board-musterstadt"
REASON = "Frau Lehmann ist bis Februar erkrankt"
INTERNAL = f"Intern: Abstimmung mit {LEAD} und Mia Meyer, Budget strittig"


@pytest.fixture
def public_dir(tmp_path: Path) -> Path:
    return tmp_path / "public"


def city(
    bot_factory: Callable[..., BotHarness], public_dir: Path | None, **settings: object
) -> BotHarness:
    publish = {"dir": str(public_dir), "attribution": "Stadt Musterstadt"} if public_dir else None
    bot = make_city(bot_factory, publish=publish, **settings)
    for command in (
        "!wp add Digitale Bauakte --dept FB 61 --ll 1",
        "!wp add Radwegenetz 2030 --dept FB 68 --ll 3",
        "!wp add Interne Personalplanung --dept FB 13 --ll 4",
        f"!wp edit WP-1 verantwortlich {LEAD}",
        f"!wp edit WP-1 ampel gelb {REASON}",
        f"!wp edit WP-1 beschreibung {INTERNAL}",
        "!wp edit WP-1 budget 120.000",
        "!wp edit WP-1 fortschritt 40",
        "!wp edit WP-1 öffentliche-beschreibung Bauanträge digital stellen und verfolgen.",
        "!wp milestone add WP-1 31.03.2027 Pilot im Bauamt",
        f"!wp edit WP-2 verantwortlich {DEPUTY}",
    ):
        answer = bot.reply(command, sender=ADMIN)
        assert answer.startswith(("✔️", "WP-", "Meilenstein")), (command, answer)
    return bot


def site_files(public_dir: Path) -> dict[str, bytes]:
    folder = public_dir / SITE
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def approval_code(line: str) -> str:
    prefix = "Freigeben und veröffentlichen (Admins): `!veröffentlichen freigeben "
    assert line.startswith(prefix) and line.endswith("`"), line
    code = line.removeprefix(prefix).removesuffix("`")
    assert len(code) == 6 and int(code, 16) >= 0
    return code


def test_marking_a_package_public(bot_factory: Callable[..., BotHarness], public_dir: Path) -> None:
    bot = city(bot_factory, public_dir)
    assert bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN) == (
        "WP-1 geändert:\n- Öffentlich: nein → ja"
    )
    (wp,) = [w for w in bot.rows(WorkPackage) if w.number == 1]
    assert wp.public is True
    before = bot.domain_state()
    assert bot.reply("!wp edit WP-1 öffentlich vielleicht", sender=ADMIN) == (
        "„vielleicht“ ist weder „ja“ noch „nein“."
    )
    # Only who manages the package (admins, its department's lead) decides what the public
    # sees; the person responsible for it may not.
    assert "ändern nur" in bot.reply("!wp edit WP-2 öffentlich ja", sender=DEPUTY)
    assert bot.domain_state() == before
    assert "Öffentlich: ja" in bot.reply("!wp show WP-1", sender=LEAD)


def test_nothing_public_nothing_to_preview(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    bot = city(bot_factory, public_dir)
    before = bot.domain_state()
    assert bot.reply("!veröffentlichen vorschau", sender=MEMBER).startswith(
        "Kein Arbeitspaket ist als öffentlich markiert. Auf die öffentliche Portfolio-Seite kommt "
        "ein Paket mit `!ap ändern WP-1 öffentlich ja`"
    )
    assert "Kein Arbeitspaket" in bot.reply("!veröffentlichen freigeben", sender=ADMIN)
    assert bot.domain_state() == before
    assert not public_dir.exists()


def test_preview_approve_change_and_approve_again(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    bot = city(bot_factory, public_dir)
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    bot.reply("!wp edit WP-2 öffentlich ja", sender=ADMIN)
    # Anyone on the board may look; the page comes as one file, its style inside.
    reply = bot.handle("!veröffentlichen vorschau", sender=MEMBER)
    lines = reply[0].split("\n")
    assert lines[:2] == [
        "👀 **Vorschau der öffentlichen Portfolio-Seite**: 2 Arbeitspakete; die Übersichtsseite "
        "hängt als Datei an.",
        "Noch ist nichts veröffentlicht: Alle Arbeitspakete der Vorschau sind neu.",
    ]
    code = approval_code(lines[2])
    (_, attached) = bot.contents()
    assert attached["body"] == f"{SITE}-vorschau.html"
    assert not public_dir.exists()  # a preview writes nothing
    # Only admins publish.
    assert "darf nur" in bot.reply("!veröffentlichen freigeben", sender=LEAD)
    assert not public_dir.exists()
    # What the admin approves is what the preview showed: a change since refuses the code.
    bot.reply("!wp edit WP-2 öffentliche-beschreibung Radwege für alle", sender=ADMIN)
    before = bot.domain_state()
    assert bot.reply(f"!veröffentlichen freigeben {code}", sender=ADMIN).startswith(
        f"Seit der Vorschau mit dem Code {code} hat sich an der Seite etwas geändert; nichts "
        "veröffentlicht."
    )
    assert bot.domain_state() == before
    assert not public_dir.exists()
    code = approval_code(bot.handle("!veröffentlichen vorschau")[0].split("\n")[2])
    assert bot.reply(f"!veröffentlichen freigeben {code}", sender=ADMIN) == (
        "✔️ Die öffentliche Portfolio-Seite ist veröffentlicht: 2 Arbeitspakete (neu 2, geändert "
        f"0, entfernt 0), im Ordner `{public_dir / SITE}`."
    )
    files = site_files(public_dir)
    assert set(files) >= {
        "index.html", "leitlinie-1.html", "leitlinie-2.html", "leitlinie-3.html",
        "leitlinie-4.html", "portfolio.json", "portfolio.csv", "style.css",
    }  # fmt: skip
    data = json.loads(files["portfolio.json"])
    assert [p["key"] for p in data["packages"]] == ["WP-1", "WP-2"]
    first = data["packages"][0]
    assert first["description"] == "Bauanträge digital stellen und verfolgen."
    assert first["department"] == "Stadtplanung (FB 61)"
    assert (first["progress"], first["traffic_light"]) == (40, "yellow")
    assert first["milestones"] == [
        {"title": "Pilot im Bauamt", "due_on": "2027-03-31", "done": False}
    ]
    assert data["licence"]["key"] == "dl-de/by-2-0"
    assert "Stadt Musterstadt" in data["licence"]["attribution"]
    rows = list(csv.reader(io.StringIO(files["portfolio.csv"].decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    (entry,) = [e for e in bot.rows(AuditEntry) if e.action == "portfolio.publish"]
    assert entry.actor == ADMIN and entry.after["added"] == ["WP-1", "WP-2"]

    # Nothing changed: the page stays as it is.
    assert bot.reply("!veröffentlichen freigeben", sender=ADMIN) == (
        f"Die öffentliche Portfolio-Seite ist auf dem neuesten Stand; nichts geändert (Ordner "
        f"`{public_dir / SITE}`)."
    )
    assert (
        "Keine Änderungen gegenüber der veröffentlichten Fassung vom 07.12.2026"
        in (bot.handle("!veröffentlichen")[0])
    )
    # A change, a package withdrawn, one added: the preview names them.
    bot.reply("!wp edit WP-1 fortschritt 60", sender=ADMIN)
    bot.reply("!wp edit WP-2 öffentlich nein", sender=ADMIN)
    bot.reply("!wp edit WP-3 öffentlich ja", sender=ADMIN)
    lines = bot.handle("!veröffentlichen vorschau", sender=ADMIN)[0].split("\n")
    assert lines[1:5] == [
        "Gegenüber der veröffentlichten Fassung vom 07.12.2026, 09:00 Uhr:",
        "- neu: WP-3 „Interne Personalplanung“",
        "- geändert: WP-1 „Digitale Bauakte“ (Fortschritt)",
        "- nicht mehr öffentlich: WP-2 „Radwegenetz 2030“",
    ]
    assert bot.reply("!veröffentlichen freigeben", sender=ADMIN).startswith(
        "✔️ Die öffentliche Portfolio-Seite ist veröffentlicht: 2 Arbeitspakete (neu 1, geändert "
        "1, entfernt 1)"
    )
    data = json.loads(site_files(public_dir)["portfolio.json"])
    assert [p["key"] for p in data["packages"]] == ["WP-1", "WP-3"]


def test_no_person_and_no_internal_reason_reaches_a_published_file(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    bot = city(bot_factory, public_dir)
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    bot.reply("!wp edit WP-2 öffentlich ja", sender=ADMIN)
    # A Matrix id typed into a public text is taken out all the same.
    bot.reply(f"!wp edit WP-2 öffentliche-beschreibung Ansprechperson: {DEPUTY}", sender=ADMIN)
    bot.reply("!wp milestone add WP-2 01.06.2027 Abnahme durch @ob:example.org", sender=ADMIN)
    bot.reply("!veröffentlichen freigeben", sender=ADMIN)
    files = site_files(public_dir)
    everything = b"\n".join(files.values()).decode("utf-8", errors="replace").casefold()
    people = (ADMIN, LEAD, DEPUTY, MEMBER, "@ob:example.org")
    for secret in (
        *people,
        *(p.split(":")[0].lstrip("@") for p in people if len(p) > 16),  # their localparts
        "lehmann", "decker", "mia meyer", REASON, "erkrankt", INTERNAL, "strittig", "120.000",
        "120000",
    ):  # fmt: skip
        assert secret.casefold() not in everything, secret
    assert "Ansprechperson: [Person]" in files["portfolio.json"].decode()
    assert "Abnahme durch [Person]" in files["index.html"].decode()


def test_linked_council_papers_are_published_with_their_package(
    bot_factory: Callable[..., BotHarness], public_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = city(bot_factory, public_dir, oparl={"url": "https://ratsinfo.example/oparl"})
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    bot.reply("!beschluss WP-1 wird stadtweit eingeführt", sender=ADMIN)
    bot.reply("!beschluss B-1 vorlage B 19/0379", sender=ADMIN)
    found = Paper(
        id="https://ratsinfo.example/oparl/paper/4", reference="B 19/0379",
        name="Digitale Bauakte: Einführung", date=None, web="https://ratsinfo.example/vo020?4",
    )  # fmt: skip
    papers.process_requests(
        bot.engine, bot.config.oparl, bot.clock, lookup=lambda config, wanted: found
    )
    bot.reply("!veröffentlichen freigeben", sender=ADMIN)
    (package,) = json.loads(site_files(public_dir)["portfolio.json"])["packages"]
    assert package["papers"] == [
        {
            "reference": "B 19/0379",
            "name": "Digitale Bauakte: Einführung",
            "date": None,
            "web": "https://ratsinfo.example/vo020?4",
            "result": None,
        }
    ]
    assert (
        'href="https://ratsinfo.example/vo020?4"' in site_files(public_dir)["index.html"].decode()
    )


def test_without_a_folder_the_preview_works_and_approval_names_the_setting(
    bot_factory: Callable[..., BotHarness],
) -> None:
    bot = city(bot_factory, None)
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    before = bot.domain_state()
    assert bot.handle("!veröffentlichen vorschau")[0].endswith(
        "Die Veröffentlichung ist nicht eingerichtet: In der Konfiguration des Bots fehlt `dir` "
        "im Abschnitt `[publish]` (der Ordner, den der Webserver der Stadt ausliefert)."
    )
    assert bot.reply("!veröffentlichen freigeben", sender=ADMIN).startswith(
        "Die Veröffentlichung ist nicht eingerichtet"
    )
    assert bot.domain_state() == before


def test_a_folder_that_holds_other_files_is_never_touched(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    bot = city(bot_factory, public_dir)
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    (public_dir / SITE).mkdir(parents=True)
    (public_dir / SITE / "wichtig.txt").write_text("nicht löschen")
    before = bot.domain_state()
    assert bot.reply("!veröffentlichen freigeben", sender=ADMIN) == (
        f"Im Ordner `{public_dir / SITE}` liegen Dateien, die nicht vom Bot stammen; er "
        "überschreibt sie nicht, nichts veröffentlicht. Bitte leeren Sie den Ordner oder wählen "
        "Sie einen anderen (`[publish] dir`)."
    )
    assert bot.domain_state() == before
    assert [p.name for p in (public_dir / SITE).iterdir()] == ["wichtig.txt"]


def test_english(bot_factory: Callable[..., BotHarness], public_dir: Path) -> None:
    bot = city(bot_factory, public_dir)
    bot.reply("!board language en", sender=ADMIN)
    assert "Public: no → yes" in bot.reply("!wp edit WP-1 public yes", sender=ADMIN)
    assert bot.handle("!publish preview")[0].startswith(
        "👀 **Preview of the public portfolio page**: 1 work package;"
    )
    assert bot.reply("!publish approve", sender=ADMIN).startswith(
        "✔️ The public portfolio page is published: 1 work package (1 new, 0 changed, 0 removed)"
    )


def test_two_boards_of_one_name_never_overwrite_each_other(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    first = city(bot_factory, public_dir)
    first.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    first.reply("!veröffentlichen freigeben", sender=ADMIN)
    # Another bot (another board room) with the same board name and the same folder.
    second = city(bot_factory, public_dir, encryption=False)
    with second.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE board SET room_id = '!other:example.org'")
    second.reply("!wp edit WP-2 öffentlich ja", sender=ADMIN, room="!other:example.org")
    assert second.reply(
        "!veröffentlichen freigeben", sender=ADMIN, room="!other:example.org"
    ).startswith(f"Im Ordner `{public_dir / SITE}` liegt die Portfolio-Seite eines anderen Boards")
    keys = [p["key"] for p in json.loads(site_files(public_dir)["portfolio.json"])["packages"]]
    assert keys == ["WP-1"]


def test_a_package_whose_public_fields_did_not_change_keeps_its_time(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    bot = city(bot_factory, public_dir)
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    bot.reply("!wp edit WP-2 öffentlich ja", sender=ADMIN)
    bot.reply("!veröffentlichen freigeben", sender=ADMIN)
    first = json.loads(site_files(public_dir)["portfolio.json"])
    bot.clock.advance(timedelta(days=2))
    # An internal field changes: the page does not, and does not say when it happened.
    bot.reply("!wp edit WP-1 budget 150.000", sender=ADMIN)
    bot.reply("!wp edit WP-2 fortschritt 20", sender=ADMIN)
    bot.reply("!veröffentlichen freigeben", sender=ADMIN)
    second = json.loads(site_files(public_dir)["portfolio.json"])
    assert second["packages"][0]["updated_at"] == first["packages"][0]["updated_at"]
    assert second["packages"][1]["updated_at"] != first["packages"][1]["updated_at"]


def test_the_preview_points_out_a_person_named_in_a_public_text(
    bot_factory: Callable[..., BotHarness], public_dir: Path
) -> None:
    bot = city(bot_factory, public_dir)
    shown = {LEAD: "Lena Lehmann", DEPUTY: "Dirk Decker", ADMIN: "CDO"}
    bot.dispatcher.runtime.display_name = lambda room, user: shown.get(user)
    bot.reply("!wp edit WP-1 öffentlich ja", sender=ADMIN)
    bot.reply(
        "!wp edit WP-1 öffentliche-beschreibung Ansprechpartnerin: Frau Lehmann", sender=ADMIN
    )
    bot.reply("!wp milestone add WP-1 01.06.2027 Abnahme mit Dirk Decker", sender=ADMIN)
    lines = bot.handle("!veröffentlichen vorschau", sender=ADMIN)[0].split("\n")
    assert [line for line in lines if line.startswith("- ⚠️")] == [
        "- ⚠️ WP-1, Öffentliche Beschreibung: nennt „Lehmann“, eine Person des Boards. Namen "
        "gehören nicht auf die öffentliche Seite; bitte vor der Freigabe ändern.",
        "- ⚠️ WP-1, Meilensteine: nennt „Dirk Decker“, eine Person des Boards. Namen gehören "
        "nicht auf die öffentliche Seite; bitte vor der Freigabe ändern.",
    ]
    # A word that merely contains a name, and a short name, are no alarm.
    bot.reply("!wp edit WP-1 öffentliche-beschreibung Lehmanns Weg; CDO-Büro", sender=ADMIN)
    bot.reply("!wp milestone done WP-1 2", sender=ADMIN)
    lines = bot.handle("!veröffentlichen vorschau", sender=ADMIN)[0].split("\n")
    assert not [line for line in lines if "⚠️ WP-1, Öffentliche" in line]
