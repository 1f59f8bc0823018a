"""The public portfolio site: its open data (JSON against the schema, CSV as a German Excel
reads it), escaping of what the data holds, the diff against what is online, and publishing
that never leaves half a site and never replaces someone else's files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import jsonschema
import pytest

from board_bot.features.publishing import site
from board_bot.features.publishing.site import (
    Portfolio,
    PublicMilestone,
    PublicPackage,
    PublicPaper,
    PublishError,
    diff,
    publish,
    read_published,
    render,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "portfolio.schema.json").read_text(encoding="utf-8"))
NOW = datetime(2026, 12, 31, 13, 5, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> & \"Zitat\" 'x' @room"
LONG_URL = (
    "https://ratsinfo.musterstadt.de/bi/vo020.asp?VOLFDNR=123456789&options=4"
    "&vorlagenart=Beschlussvorlage&ausschuss=Hauptausschuss-und-Digitalisierungsausschuss"
)


def package(key: str, title: str, **changes: object) -> PublicPackage:
    base = PublicPackage(
        key=key,
        title=title,
        description="",
        leitlinie=1,
        handlungsfeld="Verwaltung",
        department="Amt für Digitalisierung (DIG)",
        status="in_progress",
        progress=40,
        traffic_light="green",
        start_date=date(2026, 3, 1),
        due_date=date(2027, 6, 30),
        funding_programme=None,
        milestones=(),
        papers=(),
        updated_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def realistic_portfolio() -> Portfolio:
    """Eleven packages as a city has them: every status and light, long German compound
    words, a long URL, a hostile title, a package without Leitlinie, one Leitlinie empty."""
    paper = PublicPaper(
        reference="V/2027/0815",
        name="Beschlussvorlage Digitalisierungsstrategie und Datenstrategie",
        date=date(2027, 2, 14),
        web=LONG_URL,
        result="vom Hauptausschuss am 12.03.2027 beschlossen",
    )
    return Portfolio(
        board="Smart City Board Musterstadt",
        published_at=NOW,
        attribution="Stadt Musterstadt",
        packages=(
            package(
                "WP-1",
                "Digitalisierungsstrategie fortschreiben",
                description="Die Strategie von 2021 wird mit der Stadtgesellschaft "
                "fortgeschrieben.\n\nZwei Beteiligungsformate sind geplant.",
                status="in_progress",
                progress=40,
                traffic_light="yellow",
                funding_programme="Modellprojekte Smart Cities (MPSC)",
                milestones=(
                    PublicMilestone("Auftaktveranstaltung", date(2026, 9, 1), True),
                    PublicMilestone("Entwurf im Ausschuss", date(2027, 3, 12), False),
                ),
                papers=(paper, replace(paper, reference="V/2027/0900", result=None, web=None)),
            ),
            package(
                "WP-2",
                "Geschäftsprozessoptimierungsrahmenvereinbarung",
                description="Donaudampfschifffahrtsgesellschaftskapitänsmützenbeschaffungsverfahren"
                " als Beispiel für ein sehr langes Wort.",
                status="planned",
                progress=0,
                traffic_light="green",
                start_date=None,
            ),
            package(
                "WP-3",
                HOSTILE,
                description="<b>nicht fett</b> & <img src=x onerror=alert(1)>",
                status="blocked",
                progress=20,
                traffic_light="red",
                leitlinie=2,
                handlungsfeld="Beteiligung & Transparenz",
                papers=(replace(paper, web="javascript:alert(1)", reference="V/2027/0001"),),
            ),
            package(
                "WP-4",
                "Offene Daten: Open-Data-Portal",
                leitlinie=2,
                status="done",
                progress=100,
                traffic_light="green",
                milestones=(PublicMilestone("Portal online", date(2026, 11, 2), True),),
            ),
            package(
                "WP-5",
                "Bürgerbeteiligungsplattform",
                leitlinie=2,
                status="discarded",
                progress=10,
                traffic_light="yellow",
                due_date=None,
            ),
            package(
                "WP-6",
                "LoRaWAN-Sensorik für Straßenbeleuchtungsinfrastruktur",
                leitlinie=3,
                handlungsfeld="Mobilität & Umwelt",
                department="Tiefbauamt (TBA)",
                progress=65,
                traffic_light="green",
                funding_programme="Förderaufruf Klimaanpassungsinfrastrukturförderprogramm",
            ),
            package(
                "WP-7",
                "Urbane Datenplattform",
                leitlinie=3,
                status="in_progress",
                progress=80,
                traffic_light="red",
                papers=(replace(paper, web="ftp://ratsinfo.example/vorlage.pdf"),),
            ),
            package(
                "WP-8",
                "Digitales Bauantragsverfahren",
                leitlinie=3,
                department="Bauordnungsamt (BOA)",
                status="planned",
                progress=5,
                traffic_light="yellow",
            ),
            package(
                "WP-9",
                "Datenkompetenz in der Verwaltung",
                leitlinie=None,
                handlungsfeld=None,
                department="Personalamt (PA)",
                status="in_progress",
                progress=55,
                traffic_light="green",
            ),
            package(
                "WP-10",
                "Schul-WLAN",
                leitlinie=3,
                department="Schulverwaltungsamt (SVA)",
                status="done",
                progress=100,
                traffic_light="green",
            ),
            package(
                "WP-11",
                "Smarte Parkraumbewirtschaftung",
                leitlinie=None,
                status="blocked",
                progress=30,
                traffic_light="red",
            ),
        ),
    )


# --- the open data ----------------------------------------------------------------------------


def test_json_is_valid_against_the_schema() -> None:
    files = render(realistic_portfolio())
    data = json.loads(files["portfolio.json"].decode("utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        data
    )
    assert data["licence"]["key"] == "dl-de/by-2-0"
    assert data["licence"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert data["licence"]["attribution"] == "Stadt Musterstadt"
    assert "Stadt Musterstadt" in data["licence"]["citation"]
    assert data["published_at"] == "2026-12-31T13:05:00Z"
    first = data["packages"][0]
    assert first["due_date"] == "2027-06-30"
    assert first["milestones"][0] == {
        "title": "Auftaktveranstaltung",
        "due_on": "2026-09-01",
        "done": True,
    }
    assert first["status_label"] == "in Arbeit"
    assert first["traffic_light_label"] == "gelb"
    assert data["counts"] == {
        "planned": 2,
        "in_progress": 4,
        "blocked": 2,
        "done": 2,
        "discarded": 1,
    }


def test_an_empty_portfolio_and_every_licence_are_valid() -> None:
    for key in site.LICENCES:
        portfolio = Portfolio("Board", NOW, (), licence=key)
        data = json.loads(render(portfolio)["portfolio.json"])
        jsonschema.validate(data, SCHEMA)
        assert data["licence"]["attribution"] == "Board"


def test_an_unknown_licence_or_code_is_refused() -> None:
    with pytest.raises(ValueError, match="licence"):
        render(Portfolio("Board", NOW, (), licence="proprietary"))
    with pytest.raises(ValueError, match="status"):
        render(Portfolio("Board", NOW, (package("WP-1", "x", status="läuft"),)))
    with pytest.raises(ValueError, match="progress"):
        render(Portfolio("Board", NOW, (package("WP-1", "x", progress=140),)))


def test_csv_is_for_a_german_excel() -> None:
    raw = render(realistic_portfolio())["portfolio.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == list(site.CSV_COLUMNS)
    assert rows[0][:3] == ["key", "title", "description"]
    assert len(rows) == 1 + 11
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["key"] == "WP-1"
    assert first["due_date"] == "2027-06-30"
    assert first["start_date"] == "2026-03-01"
    assert first["status_label"] == "in Arbeit"
    assert first["milestones_total"] == "2"
    assert first["milestones_done"] == "1"
    assert first["next_milestone"] == "Entwurf im Ausschuss"
    assert first["papers"] == "V/2027/0815 | V/2027/0900"
    assert first["paper_links"] == LONG_URL
    assert "\n" in first["description"]  # kept, quoted
    hostile = dict(zip(rows[0], rows[3], strict=True))
    assert hostile["title"] == HOSTILE
    assert hostile["paper_links"] == ""  # javascript: is no link


def test_a_formula_in_a_title_is_not_run_by_a_spreadsheet() -> None:
    portfolio = Portfolio("Board", NOW, (package("WP-1", '=HYPERLINK("http://x")'),))
    rows = list(
        csv.reader(
            io.StringIO(render(portfolio)["portfolio.csv"].decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[1][1].startswith("'=")


# --- the pages --------------------------------------------------------------------------------


def pages(files: dict[str, bytes]) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in files.items() if name.endswith(".html")}


class Tags(HTMLParser):
    """The tags of a page with their attributes, as a browser parses them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_render_makes_the_pages_and_data() -> None:
    files = render(realistic_portfolio())
    assert set(files) == {
        "index.html",
        "leitlinie-1.html",
        "leitlinie-2.html",
        "leitlinie-3.html",
        "leitlinie-4.html",
        "portfolio.json",
        "portfolio.csv",
        "style.css",
    }
    index = files["index.html"].decode()
    assert "Noch keiner Leitlinie zugeordnet" in index
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in index
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in index
    assert "Stadt Musterstadt" in index
    assert "31.12.2026, 14:05" in index  # 13:05 UTC in Berlin
    assert "Ampel: gelb" in index and "Ampel: rot" in index and "Ampel: grün" in index
    assert "Fortschritt: 40&nbsp;%" in index
    assert "Transparenz &amp; Teilhabe" in index  # the vocabulary's short name
    assert (
        "Dieser Leitlinie ist noch kein Arbeitspaket zugeordnet."
        in files["leitlinie-4.html"].decode()
    )
    ll3 = files["leitlinie-3.html"].decode()
    assert "LoRaWAN-Sensorik" in ll3 and "Digitalisierungsstrategie fortschreiben" not in ll3
    assert "01.03.2026" in ll3


def test_hostile_text_is_escaped() -> None:
    for name, page in pages(render(realistic_portfolio())).items():
        assert "<script" not in page.lower(), name
        assert "<img" not in page.lower(), name
        assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", ""), name
        assert "javascript:" not in re.findall(r'href="([^"]*)"', page), name
        assert not any(
            h.startswith(("javascript:", "ftp:")) for h in re.findall(r'href="([^"]*)"', page)
        )
    index = render(realistic_portfolio())["index.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Zitat&#34; &#39;x&#39; @room" in index
    assert "&lt;b&gt;nicht fett&lt;/b&gt;" in index
    # Papers that are not http(s) are shown as text, not linked.
    assert "Fundstelle: javascript:alert(1)" in index
    assert "Fundstelle: ftp://ratsinfo.example/vorlage.pdf" in index
    assert f'href="{LONG_URL.replace("&", "&amp;")}"' in index


#: What the pages are made of: no script, no image, no frame, no form.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "body", "a", "header", "nav", "main", "footer",
    "section", "article", "div", "p", "span", "strong", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "time", "br", "svg", "circle", "polygon", "rect",
}  # fmt: skip


def test_pages_are_static_and_self_contained() -> None:
    for name, page in pages(render(realistic_portfolio())).items():
        assert '<html lang="de">' in page, name
        assert len(re.findall(r"<h1[ >]", page)) == 1, name
        assert 'href="#inhalt"' in page and 'id="inhalt"' in page, name
        assert not re.search(r"(src|href)=\"(https?:)?//[^\"]*\.(css|js|woff2?)", page), name
        tags = Tags(page).tags
        assert {tag for tag, _ in tags} <= ALLOWED_TAGS, name
        assert not [a for _, attrs in tags for a in attrs if a.startswith("on")], name
        assert [attrs["href"] for tag, attrs in tags if tag == "link"] == [
            "style.css",
            "portfolio.json",
            "portfolio.csv",
        ]
        levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", page)]
        for before, after in pairwise(levels):
            assert after <= before + 1, (name, levels)
    css = render(realistic_portfolio())["style.css"].decode()
    assert "@import" not in css and "url(" not in css


# --- what changed -----------------------------------------------------------------------------


def test_diff_against_nothing_online_adds_everything() -> None:
    found = diff(None, realistic_portfolio())
    assert [c.key for c in found.added] == [f"WP-{n}" for n in range(1, 12)]
    assert found.changed == found.removed == ()


def test_diff_names_added_changed_and_removed_packages_and_fields() -> None:
    old = realistic_portfolio()
    online = json.loads(render(old)["portfolio.json"])
    packages = list(old.packages)
    packages[0] = replace(
        packages[0],
        status="blocked",
        progress=45,
        updated_at=NOW,
        milestones=(*packages[0].milestones, PublicMilestone("Beschluss", date(2027, 5, 1), False)),
    )
    packages[1] = replace(packages[1], updated_at=NOW)  # not a public change
    del packages[4]
    packages.append(package("WP-12", "Neues Paket"))
    new = replace(old, packages=tuple(packages), published_at=NOW.replace(day=30))
    found = diff(online, new)
    assert found.added == (site.Change("WP-12", "Neues Paket"),)
    assert found.removed == (site.Change("WP-5", "Bürgerbeteiligungsplattform"),)
    assert found.changed == (
        site.Change(
            "WP-1",
            "Digitalisierungsstrategie fortschreiben",
            ("status", "progress", "milestones"),
        ),
    )
    assert diff(online, old) == site.Diff((), (), ())
    assert not diff(online, old)


def test_diff_tolerates_an_odd_file_online() -> None:
    assert diff({"packages": "nope"}, realistic_portfolio()).added
    assert len(diff({"packages": [1, {"title": "no key"}]}, realistic_portfolio()).added) == 11


# --- publishing -------------------------------------------------------------------------------


def site_files(target: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(target.iterdir())
        if p.is_file() and p.name != site.MARKER
    }


def test_publish_and_read_back(tmp_path: Path) -> None:
    target = tmp_path / "www" / "portfolio"
    files = render(realistic_portfolio())
    publish(files, target)
    assert site_files(target) == files
    assert read_published(target) == json.loads(files["portfolio.json"])
    for path in [target.resolve(), *target.resolve().iterdir()]:
        mode = os.stat(path).st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), path


def test_publishing_twice_replaces_and_keeps_no_earlier_version(tmp_path: Path) -> None:
    target = tmp_path / "portfolio"
    first = render(realistic_portfolio())
    publish(first, target)
    versions = []
    for n in range(3):
        files = render(replace(realistic_portfolio(), board=f"Board {n}"))
        publish(files, target)
        assert site_files(target) == files
        versions.append(target.resolve())
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "portfolio")
    # Nothing withdrawn stays downloadable: only the version online, and the lock file.
    assert leftovers == sorted([".portfolio.lock", versions[-1].name])
    assert not any(".new-" in name or ".link-" in name for name in leftovers)


def test_a_failure_while_writing_leaves_the_old_site_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "portfolio"
    old = render(realistic_portfolio())
    publish(old, target)
    written = []
    original = site._write_file

    def failing(path: Path, data: bytes) -> None:
        written.append(path)
        if len(written) == 4:
            raise OSError(28, "No space left on device")
        original(path, data)

    monkeypatch.setattr(site, "_write_file", failing)
    new = render(replace(realistic_portfolio(), board="Neu"))
    with pytest.raises(OSError, match="No space"):
        publish(new, target)
    assert site_files(target) == old
    assert written[0].parent.name.startswith(".portfolio.new-")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["portfolio", ".portfolio.lock", target.resolve().name]
    )
    monkeypatch.setattr(site, "_write_file", original)
    publish(new, target)
    assert site_files(target) == new


def test_a_failure_at_the_swap_leaves_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "portfolio"
    old = render(realistic_portfolio())
    publish(old, target)

    def broken(src: object, dst: object) -> None:
        raise OSError("replace failed")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="replace failed"):
        publish(render(replace(realistic_portfolio(), board="Neu")), target)
    assert site_files(target) == old
    assert len(list(tmp_path.iterdir())) == 3  # the link, its version and the lock file


def test_another_owners_site_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "portfolio"
    publish({"index.html": b"board 1"}, target, owner="board-1")
    publish({"index.html": b"board 1 again"}, target, owner="board-1")
    with pytest.raises(PublishError) as refused:
        publish({"index.html": b"board 2"}, target, owner="board-2")
    assert refused.value.kind == "other_owner"
    assert (target / "index.html").read_bytes() == b"board 1 again"


def test_a_failed_clean_up_after_the_switch_does_not_fail_the_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "portfolio"
    publish({"index.html": b"old"}, target)

    def broken(target: Path, keep: set[str]) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(site, "_remove_old", broken)
    publish({"index.html": b"new"}, target)
    assert (target / "index.html").read_bytes() == b"new"


def test_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "htdocs"
    target.mkdir()
    (target / "index.html").write_text("someone else's site")
    with pytest.raises(PublishError, match="did not publish"):
        publish(render(realistic_portfolio()), target)
    assert (target / "index.html").read_text() == "someone else's site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["htdocs"]


def test_a_file_or_a_foreign_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError):
        publish({"index.html": b"x"}, tmp_path / "file")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    (tmp_path / "link").symlink_to(elsewhere)
    with pytest.raises(PublishError):
        publish({"index.html": b"x"}, tmp_path / "link")
    assert (elsewhere / "keep.txt").read_text() == "keep"


def test_an_empty_folder_is_taken_over(tmp_path: Path) -> None:
    target = tmp_path / "portfolio"
    target.mkdir()
    publish({"index.html": b"hello"}, target)
    assert (target / "index.html").read_bytes() == b"hello"
    assert target.is_symlink()


def test_file_names_outside_the_site_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        publish({"../evil.html": b"x"}, tmp_path / "portfolio")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_read_published_on_missing_or_garbage(tmp_path: Path) -> None:
    assert read_published(tmp_path / "nothing") is None
    target = tmp_path / "site"
    target.mkdir()
    assert read_published(target) is None
    (target / "portfolio.json").write_bytes(b"\xff\xfe not json")
    assert read_published(target) is None
    (target / "portfolio.json").write_text("{broken")
    assert read_published(target) is None
    (target / "portfolio.json").write_text("[1, 2]")
    assert read_published(target) is None
    (target / "portfolio.json").write_text('{"packages": []}')
    assert read_published(target) == {"packages": []}


def test_the_schema_document_names_every_field_and_column() -> None:
    doc = (ROOT / "docs" / "portfolio-schema.md").read_text(encoding="utf-8")
    properties = SCHEMA["properties"]
    names = [
        *properties,
        *properties["licence"]["properties"],
        *SCHEMA["$defs"]["package"]["properties"],
        *site.CSV_COLUMNS,
        *site.LICENCES,
    ]
    assert [name for name in names if f"`{name}`" not in doc] == []


def test_the_folders_it_makes_are_readable_by_the_web_server(tmp_path: Path) -> None:
    old = os.umask(0o077)  # the bot's own data is private; the site must not be
    try:
        publish({"index.html": b"x"}, tmp_path / "www" / "smart-city" / "board")
    finally:
        os.umask(old)
    for folder in (tmp_path / "www", tmp_path / "www" / "smart-city"):
        assert folder.stat().st_mode & 0o777 == 0o755, folder
    site_folder = (tmp_path / "www" / "smart-city" / "board").resolve()
    assert site_folder.stat().st_mode & 0o777 == 0o755
    assert (site_folder / "index.html").stat().st_mode & 0o777 == 0o644
