"""The public portfolio site: render it, publish it atomically, and say what changed.

What the public sees is exactly what :class:`Portfolio` holds; the caller decides that (the
public description, never a traffic light's reason). :func:`render` makes the files of a static
site from it — ``index.html``, ``leitlinie-1.html`` … ``leitlinie-4.html``, ``portfolio.json``,
``portfolio.csv`` and ``style.css`` — from the Jinja2 templates in ``templates/`` (autoescaped:
every text from the data is escaped). The German words come from the templates and from the
work packages' vocabulary (status, traffic light, Leitlinien), dates from
:mod:`board_bot.core.formats`. No JavaScript, no external resources.

``docs/portfolio-schema.md`` describes ``portfolio.json`` and ``portfolio.csv`` for the people
who reuse the data; ``docs/portfolio.schema.json`` is its JSON Schema, which the tests hold
:func:`render`'s output to.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import logging
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files as resource_files
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from board_bot.core.files import fsync
from board_bot.core.formats import format_date, format_datetime
from board_bot.features.work_packages.exchange import guard_cell as guard_formula
from board_bot.features.work_packages.vocabulary import (
    LEITLINIEN,
    LIGHT,
    STATUS,
    leitlinie_name,
    leitlinie_title,
)

#: The site speaks German; its dates are shown in the city's time zone.
log = logging.getLogger(__name__)

LANG = "de"
ZONE = "Europe/Berlin"
#: The version of ``portfolio.json``'s layout (``docs/portfolio.schema.json``).
SCHEMA_VERSION = 1


# --- what is published ------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicMilestone:
    title: str
    due_on: date
    done: bool


@dataclass(frozen=True)
class PublicPaper:
    """A council paper (Vorlage) from the council information system."""

    reference: str | None
    name: str | None
    date: date | None
    #: its page in the council information system; linked only when it is http(s)
    web: str | None
    #: e.g. ``vom Hauptausschuss am 12.03.2027 beschlossen``; None while it is open
    result: str | None


@dataclass(frozen=True)
class PublicPackage:
    key: str
    title: str
    #: the public description (plain text; may be empty)
    description: str
    #: 1-4, the Leitlinie of the Smart City Charta; None: not filed under one yet
    leitlinie: int | None
    handlungsfeld: str | None
    #: the owner department's name, e.g. ``Amt für Digitalisierung (DIG)``
    department: str
    #: a code of ``STATUS``: planned, in_progress, blocked, done, discarded
    status: str
    #: 0-100
    progress: int
    #: a code of ``LIGHT``: green, yellow, red (never a reason: the public does not see it)
    traffic_light: str
    start_date: date | None
    due_date: date | None
    funding_programme: str | None
    milestones: tuple[PublicMilestone, ...]
    papers: tuple[PublicPaper, ...]
    #: aware, UTC
    updated_at: datetime


@dataclass(frozen=True)
class Licence:
    key: str
    name: str
    url: str
    #: whether a reuser has to name the source (not for dl-de/zero-2-0)
    attribution_required: bool = True


#: The open licences a portfolio may be published under, by key.
LICENCES: dict[str, Licence] = {
    licence.key: licence
    for licence in (
        Licence(
            "dl-de/by-2-0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
        ),
        Licence(
            "dl-de/zero-2-0",
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
            attribution_required=False,
        ),
        Licence(
            "cc-by-4.0",
            "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/deed.de",
        ),
    )
}


@dataclass(frozen=True)
class Portfolio:
    #: e.g. ``Smart City Board Musterstadt``
    board: str
    #: aware, UTC; shown in Europe/Berlin
    published_at: datetime
    packages: tuple[PublicPackage, ...]
    #: a key of :data:`LICENCES`
    licence: str = "dl-de/by-2-0"
    #: whom to name when reusing the data (``Stadt Musterstadt``); empty: the board's name
    attribution: str = ""


# --- rendering --------------------------------------------------------------------------------

#: The pages, by file name: the overview and one per Leitlinie.
INDEX = "index.html"
JSON_FILE = "portfolio.json"
CSV_FILE = "portfolio.csv"
CSS_FILE = "style.css"


def leitlinie_page(number: int) -> str:
    return f"leitlinie-{number}.html"


#: The columns of ``portfolio.csv``, in order (``docs/portfolio-schema.md`` explains them).
CSV_COLUMNS = (
    "key",
    "title",
    "description",
    "leitlinie",
    "leitlinie_name",
    "handlungsfeld",
    "department",
    "status",
    "status_label",
    "progress",
    "traffic_light",
    "traffic_light_label",
    "start_date",
    "due_date",
    "funding_programme",
    "milestones_done",
    "milestones_total",
    "next_milestone",
    "next_milestone_due",
    "papers",
    "paper_links",
    "updated_at",
)
#: What joins several values in one CSV cell.
CSV_JOIN = " | "


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("board_bot.features.publishing", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _css() -> bytes:
    return (
        resource_files("board_bot.features.publishing").joinpath("templates/style.css").read_bytes()
    )


def _check(portfolio: Portfolio) -> Licence:
    """The portfolio's licence; ValueError for a value the site cannot show."""
    if portfolio.licence not in LICENCES:
        raise ValueError(f"unknown licence {portfolio.licence!r}; known: {sorted(LICENCES)}")
    _utc(portfolio.published_at)
    seen: set[str] = set()
    for p in portfolio.packages:
        if p.key in seen:
            raise ValueError(f"work package {p.key!r} appears twice")
        seen.add(p.key)
        if p.status not in STATUS.codes:
            raise ValueError(f"{p.key}: unknown status {p.status!r}")
        if p.traffic_light not in LIGHT.codes:
            raise ValueError(f"{p.key}: unknown traffic light {p.traffic_light!r}")
        if p.leitlinie is not None and p.leitlinie not in LEITLINIEN:
            raise ValueError(f"{p.key}: unknown Leitlinie {p.leitlinie!r}")
        if not 0 <= p.progress <= 100:
            raise ValueError(f"{p.key}: progress {p.progress} is not 0-100")
        _utc(p.updated_at)
    return LICENCES[portfolio.licence]


def _utc(moment: datetime) -> str:
    """``2026-12-31T13:05:00Z``."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def is_web_link(url: str | None) -> bool:
    """Whether ``url`` may be a link on the page: http(s) with a host, nothing else."""
    return url is not None and re.fullmatch(r"https?://[^\s/?#]+\S*", url.strip(), re.I) is not None


def _attribution(portfolio: Portfolio) -> str:
    return portfolio.attribution.strip() or portfolio.board


# --- portfolio.json ---------------------------------------------------------------------------


def _package_json(p: PublicPackage) -> dict[str, Any]:
    return {
        "key": p.key,
        "title": p.title,
        "description": p.description,
        "leitlinie": p.leitlinie,
        "leitlinie_name": leitlinie_name(LANG, p.leitlinie) if p.leitlinie is not None else None,
        "handlungsfeld": p.handlungsfeld,
        "department": p.department,
        "status": p.status,
        "status_label": str(STATUS.label(LANG, p.status)),
        "progress": p.progress,
        "traffic_light": p.traffic_light,
        "traffic_light_label": str(LIGHT.label(LANG, p.traffic_light)),
        "start_date": _iso(p.start_date),
        "due_date": _iso(p.due_date),
        "funding_programme": p.funding_programme,
        "milestones": [
            {"title": m.title, "due_on": m.due_on.isoformat(), "done": m.done} for m in p.milestones
        ],
        "papers": [
            {
                "reference": paper.reference,
                "name": paper.name,
                "date": _iso(paper.date),
                "web": paper.web,
                "result": paper.result,
            }
            for paper in p.papers
        ],
        "updated_at": _utc(p.updated_at),
    }


def _counts(portfolio: Portfolio) -> dict[str, int]:
    return {code: sum(p.status == code for p in portfolio.packages) for code in STATUS.codes}


def _citation(portfolio: Portfolio, licence: Licence) -> str:
    """How to name the source when reusing the data (``templates/citation.txt``): plain text,
    not escaped here but wherever it is shown."""
    text = (
        _environment()
        .get_template("citation.txt")
        .render(
            attribution=_attribution(portfolio),
            board=portfolio.board,
            published=format_date(portfolio.published_at.astimezone(ZoneInfo(ZONE)).date()),
            licence=licence,
        )
    )
    return " ".join(text.split())


def portfolio_json(portfolio: Portfolio) -> dict[str, Any]:
    """``portfolio.json`` as a dict (``docs/portfolio.schema.json``)."""
    licence = _check(portfolio)
    return {
        "schema_version": SCHEMA_VERSION,
        "board": portfolio.board,
        "published_at": _utc(portfolio.published_at),
        "licence": {
            "key": licence.key,
            "name": licence.name,
            "url": licence.url,
            "attribution": _attribution(portfolio),
            "attribution_required": licence.attribution_required,
            "citation": _citation(portfolio, licence),
        },
        "counts": _counts(portfolio),
        "leitlinien": [
            {
                "number": n,
                "name": leitlinie_name(LANG, n),
                "title": leitlinie_title(LANG, n),
                "page": leitlinie_page(n),
            }
            for n in LEITLINIEN
        ],
        "packages": [_package_json(p) for p in portfolio.packages],
    }


# --- portfolio.csv ----------------------------------------------------------------------------


def _csv_row(package: dict[str, Any]) -> list[str]:
    milestones = package["milestones"]
    upcoming = sorted((m for m in milestones if not m["done"]), key=lambda m: m["due_on"])
    papers = package["papers"]
    values: dict[str, Any] = {
        **package,
        "milestones_done": sum(m["done"] for m in milestones),
        "milestones_total": len(milestones),
        "next_milestone": upcoming[0]["title"] if upcoming else None,
        "next_milestone_due": upcoming[0]["due_on"] if upcoming else None,
        "papers": CSV_JOIN.join(
            p["reference"] or p["name"] or "" for p in papers if p["reference"] or p["name"]
        ),
        "paper_links": CSV_JOIN.join(p["web"] for p in papers if is_web_link(p["web"])),
    }
    cells = ["" if values[c] is None else str(values[c]) for c in CSV_COLUMNS]
    # A cell a spreadsheet would run as a formula gets an apostrophe (as the export does).
    return [guard_formula(cell) for cell in cells]


def portfolio_csv(data: dict[str, Any]) -> bytes:
    """One row per package: UTF-8 with a BOM, ``;`` between cells (as a German Excel reads
    it), dates in ISO form."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for package in data["packages"]:
        writer.writerow(_csv_row(package))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- the pages --------------------------------------------------------------------------------


def _anchor(key: str, taken: set[str]) -> str:
    """``WP-3`` → ``wp-3``: a package's id in the page, unique."""
    base = re.sub(r"[^a-z0-9]+", "-", key.casefold()).strip("-")
    base = base if base[:1].isalpha() else f"wp-{base}".rstrip("-")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _day(day: date | None) -> dict[str, str] | None:
    """A date for ``<time>``: shown ``31.12.2026``, machine-readable ISO."""
    return None if day is None else {"text": format_date(day), "iso": day.isoformat()}


def _package_view(p: PublicPackage, anchor: str) -> dict[str, Any]:
    return {
        "anchor": anchor,
        "key": p.key,
        "title": p.title,
        "description": [
            part.strip() for part in re.split(r"\n\s*\n", p.description) if part.strip()
        ],
        "leitlinie": p.leitlinie,
        "leitlinie_name": leitlinie_name(LANG, p.leitlinie) if p.leitlinie is not None else None,
        "leitlinie_page": leitlinie_page(p.leitlinie) if p.leitlinie is not None else None,
        "handlungsfeld": p.handlungsfeld,
        "department": p.department,
        "status": p.status,
        "status_label": str(STATUS.label(LANG, p.status)),
        "progress": p.progress,
        "light": p.traffic_light,
        "light_label": str(LIGHT.label(LANG, p.traffic_light)),
        "start": _day(p.start_date),
        "due": _day(p.due_date),
        "funding": p.funding_programme,
        "milestones": [
            {"title": m.title, "due": _day(m.due_on), "done": m.done}
            for m in sorted(p.milestones, key=lambda m: m.due_on)
        ],
        "papers": [
            {
                "reference": paper.reference,
                "name": paper.name,
                "date": _day(paper.date),
                "link": paper.web.strip() if paper.web and is_web_link(paper.web) else None,
                "web": paper.web,
                "result": paper.result,
            }
            for paper in p.papers
        ],
        "updated": {
            "text": format_datetime(LANG, p.updated_at, ZONE),
            "iso": _utc(p.updated_at),
        },
    }


def _pages(portfolio: Portfolio, data: dict[str, Any], licence: Licence) -> dict[str, str]:
    taken: set[str] = set()
    views = [_package_view(p, _anchor(p.key, taken)) for p in portfolio.packages]
    leitlinien = [
        {
            "number": n,
            "name": leitlinie_name(LANG, n),
            "title": leitlinie_title(LANG, n),
            "page": leitlinie_page(n),
            "packages": [v for v in views if v["leitlinie"] == n],
        }
        for n in LEITLINIEN
    ]
    common = {
        "lang": LANG,
        "board": portfolio.board,
        "published": {
            "text": format_datetime(LANG, portfolio.published_at, ZONE),
            "iso": _utc(portfolio.published_at),
        },
        "licence": licence,
        "attribution": _attribution(portfolio),
        "citation": data["licence"]["citation"],
        "leitlinien": leitlinien,
        "files": {"index": INDEX, "json": JSON_FILE, "csv": CSV_FILE, "css": CSS_FILE},
    }
    env = _environment()
    pages = {
        INDEX: env.get_template("index.html.j2").render(
            **common,
            current=INDEX,
            total=len(views),
            counts=[
                {"code": code, "label": str(STATUS.label(LANG, code)), "n": n}
                for code, n in data["counts"].items()
            ],
            unfiled=[v for v in views if v["leitlinie"] is None],
        )
    }
    for ll in leitlinien:
        pages[str(ll["page"])] = env.get_template("leitlinie.html.j2").render(
            **common, current=ll["page"], leitlinie=ll
        )
    return pages


def render(portfolio: Portfolio) -> dict[str, bytes]:
    """The site's files, by file name relative to the site's folder."""
    data = portfolio_json(portfolio)
    licence = LICENCES[portfolio.licence]
    out = {name: text.encode("utf-8") for name, text in _pages(portfolio, data, licence).items()}
    out[JSON_FILE] = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out[CSV_FILE] = portfolio_csv(data)
    out[CSS_FILE] = _css()
    return out


# --- what changed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    key: str
    title: str
    #: the JSON field names that differ (for a changed package)
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diff:
    added: tuple[Change, ...]
    changed: tuple[Change, ...]
    removed: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


#: Fields a difference in which is not a change of its own: the labels follow their codes (a
#: changed status shows as ``status``), and ``updated_at`` moves with non-public fields too.
NOT_COMPARED = frozenset({"updated_at", "status_label", "traffic_light_label", "leitlinie_name"})


def _packages_by_key(data: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    packages = data.get("packages") if isinstance(data, dict) else None
    if not isinstance(packages, list):
        return {}
    return {
        str(p["key"]): p for p in packages if isinstance(p, dict) and isinstance(p.get("key"), str)
    }


def diff(online: dict[str, Any] | None, new: Portfolio) -> Diff:
    """What publishing ``new`` changes against the ``portfolio.json`` online (None: nothing
    is online): packages added, changed (with the JSON fields that differ) and removed, by key,
    in the order of the new portfolio (removed ones in the order they were online)."""
    before = _packages_by_key(online)
    after = _packages_by_key(portfolio_json(new))
    added, changed = [], []
    for key, package in after.items():
        old = before.get(key)
        if old is None:
            added.append(Change(key, package["title"]))
            continue
        fields = tuple(
            name
            for name in [*package, *(f for f in old if f not in package)]
            if name not in NOT_COMPARED and old.get(name) != package.get(name)
        )
        if fields:
            changed.append(Change(key, package["title"], fields))
    removed = [
        Change(key, str(package.get("title", "")))
        for key, package in before.items()
        if key not in after
    ]
    return Diff(tuple(added), tuple(changed), tuple(removed))


# --- publishing -------------------------------------------------------------------------------

#: In every folder ``publish`` makes: how it knows its own folders from anyone else's.
MARKER = ".board-bot-site"
_MARKER_TEXT = b"made by board-bot's portfolio publishing; replaced on every publication\n"


class PublishError(RuntimeError):
    """The site cannot be published to this target (it would touch someone else's files)."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        #: ``file`` (the target is a file), ``foreign`` (files or a link publish did not make),
        #: ``other_owner`` (another board's site)
        self.kind = kind


def _versions_prefix(target: Path) -> str:
    return f".{target.name}.v-"


def _ours(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def _owner(version: Path) -> str:
    """Whose site a version folder is (its marker's ``owner:`` line; "" when it has none)."""
    try:
        lines = (version / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return next((line.removeprefix("owner: ") for line in lines if line.startswith("owner: ")), "")


def _current_version(target: Path, owner: str = "") -> Path | None:
    """The version folder ``target`` points to now; None when nothing is published there.
    PublishError when ``target`` holds something ``publish`` did not make."""
    if target.is_symlink():
        pointee = os.readlink(target)
        version = target.parent / pointee
        mine = "/" not in pointee and pointee.startswith(_versions_prefix(target))
        if not mine or (version.exists() and not _ours(version)):
            raise PublishError(
                f"{target} is a link to {pointee}, which board-bot did not publish; "
                "remove it or choose another target",
                kind="foreign",
            )
        if version.exists() and owner and _owner(version) not in ("", owner):
            raise PublishError(f"{target} holds another board's site", kind="other_owner")
        return version if version.exists() else None
    if not target.exists():
        return None
    if not target.is_dir():
        raise PublishError(f"{target} is a file, not a folder: choose another target", kind="file")
    if any(target.iterdir()):
        raise PublishError(
            f"{target} is a folder with files that board-bot did not publish (no {MARKER}); "
            "publishing would replace them: empty it or choose another target",
            kind="foreign",
        )
    return None


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o644)


def _check_names(files: dict[str, bytes]) -> None:
    for name in files:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or not parts or name == MARKER:
            raise ValueError(f"{name!r} is not a file name inside the site")


def _write_tree(folder: Path, files: dict[str, bytes], owner: str) -> None:
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    _write_file(folder / MARKER, _MARKER_TEXT + (f"owner: {owner}\n".encode() if owner else b""))
    made = {folder}
    for name, data in files.items():
        path = folder / name
        for parent in reversed(path.relative_to(folder).parents[:-1]):
            sub = folder / parent
            if sub not in made:
                sub.mkdir(mode=0o755, exist_ok=True)
                os.chmod(sub, 0o755)
                made.add(sub)
        _write_file(path, data)
    for sub in sorted(made, key=lambda p: len(p.parts), reverse=True):
        fsync(sub)


def publish(files: dict[str, bytes], target: Path, *, owner: str = "") -> None:
    """Put the site's ``files`` online at ``target``, atomically.

    ``target`` is a symbolic link to a version folder beside it (``.<name>.v-<token>``). A new
    publication is written into ``.<name>.new-<token>``, synced to disk, renamed to its version
    name, and then a new link replaces ``target`` with one ``os.replace`` — a rename, atomic on
    POSIX: whoever reads ``target`` (the web server) sees either the old complete site or the
    new complete one, never a half-written or a missing one. Renaming the old folder away and
    the new one in instead would leave a moment with no site at all; swapping two folders in
    one step needs Linux's ``renameat2``, which Python does not offer. (A web server has to
    follow symbolic links, which nginx and Caddy do by default; Apache needs
    ``Options FollowSymLinks``.)

    The versions before are removed once the link points to the new one (a package taken off
    the public page must not stay downloadable; a reader who has a file open keeps reading
    it). If writing fails, the new folder is removed and the site online is untouched; if only
    the clean-up after the switch fails, the new site is online and the rest goes next time.

    Every folder ``publish`` makes holds a marker file naming its ``owner`` (a board). A
    ``target`` that is a file, a non-empty folder, a link to a folder without the marker, or
    another owner's site is refused with :class:`PublishError`: publishing never replaces
    someone else's files. An empty folder is taken over. Publishers of one target take turns
    (a lock file beside it).
    """
    target = Path(target)
    _check_names(files)
    parent = target.parent
    _current_version(target, owner)  # refuses what is not ours before touching anything
    _make_readable_folders(parent)
    with open(parent / f".{target.name}.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        _publish_locked(files, target, owner)


def _make_readable_folders(folder: Path) -> None:
    """``folder`` and its missing parents, readable by the web server (0755), whatever umask
    the bot runs with (its own data is private)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o755)


def _publish_locked(files: dict[str, bytes], target: Path, owner: str) -> None:
    parent = target.parent
    _current_version(target, owner)  # again: another publisher may have been first
    token = secrets.token_hex(6)
    staging = parent / f".{target.name}.new-{token}"
    version = parent / f"{_versions_prefix(target)}{token}"
    link = parent / f".{target.name}.link-{token}"
    try:
        _write_tree(staging, files, owner)
        os.rename(staging, version)
        os.symlink(version.name, link)
        if target.is_dir() and not target.is_symlink():
            target.rmdir()  # empty (checked above): nothing was online
        os.replace(link, target)
    except BaseException:
        for leftover in (staging, version):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
        if link.is_symlink():
            link.unlink()
        raise
    try:
        fsync(parent)
        _remove_old(target, keep={version.name})
    except OSError as exc:  # the new site is online; what is left goes next time
        log.warning("portfolio site at %s: clean-up after publishing failed: %s", target, exc)


def _remove_old(target: Path, keep: set[str]) -> None:
    """Versions before the current one, and what failed publications left (a crash)."""
    prefixes = (_versions_prefix(target), f".{target.name}.new-", f".{target.name}.link-")
    for entry in target.parent.iterdir():
        if entry.name in keep or not entry.name.startswith(prefixes):
            continue
        if entry.is_symlink():
            entry.unlink()
        elif _ours(entry):
            shutil.rmtree(entry)
        elif entry.is_dir() and not any(entry.iterdir()):
            entry.rmdir()  # a crash before its marker was written


def read_published(target: Path) -> dict[str, Any] | None:
    """The ``portfolio.json`` online at ``target``; None when there is none or it cannot be
    read as a portfolio."""
    try:
        data = json.loads((Path(target) / JSON_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("packages"), list):
        return None
    return data
