"""Publishing a board's public portfolio: what a preview shows and what approval writes, for the
chat (``!veröffentlichen``) and the demo alike.

A preview names a short approval code, a digest of what it shows; ``!veröffentlichen freigeben
CODE`` publishes only when the page would still be the same, so an admin approves what they saw
(without a code, the page as it is now). A package's ``updated_at`` on the page is when its
public content last changed (not when an internal field did): kept from the page online for a
package that did not change."""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from board_bot.core import audit
from board_bot.core.config import PublishConfig
from board_bot.core.errors import BotError
from board_bot.core.render import Safe
from board_bot.features.publishing import portfolio, site
from board_bot.models import Board

#: The fields of the page (besides its packages) whose change is a change of the page.
FRAME = ("schema_version", "board", "licence")


@dataclass(frozen=True)
class Draft:
    """The portfolio as it would be published now, and what is online (None: nothing)."""

    made: site.Portfolio
    online: dict[str, Any] | None
    changes: site.Diff
    #: where it goes (None: ``[publish] dir`` is not set)
    target: Path | None
    #: the page's licence, attribution or board name differ from what is online
    frame_changed: bool

    @property
    def unchanged(self) -> bool:
        return self.online is not None and not self.changes and not self.frame_changed

    @property
    def code(self) -> str:
        """The approval code: six hex digits of a digest of the page without its times."""
        data = site.portfolio_json(self.made)
        data.pop("published_at", None)
        for package in data["packages"]:
            package.pop("updated_at", None)
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:6]


def draft(session: Session, board: Board, config: PublishConfig, *, now: datetime) -> Draft:
    made = portfolio.snapshot(session, board, config, now=now)
    target = portfolio.folder(config, board) if config.enabled else None
    online = site.read_published(target) if target is not None else None
    changes = site.diff(online, made)
    made = _stable_times(made, online, changes)
    frame = site.portfolio_json(made)
    frame_changed = online is not None and any(online.get(k) != frame[k] for k in FRAME)
    return Draft(made, online, changes, target, frame_changed)


def _stable_times(
    made: site.Portfolio, online: dict[str, Any] | None, changes: site.Diff
) -> site.Portfolio:
    """Each package's time of its last public change: the time online for one unchanged, the
    publication's for one new or changed."""
    before = {
        str(p.get("key")): p.get("updated_at")
        for p in (online or {}).get("packages", [])
        if isinstance(p, dict)
    }
    moved = {c.key for c in (*changes.added, *changes.changed)}
    packages = []
    for package in made.packages:
        when = made.published_at
        if package.key not in moved and isinstance(before.get(package.key), str):
            with contextlib.suppress(ValueError):
                when = datetime.fromisoformat(str(before[package.key]))
        packages.append(replace(package, updated_at=when))
    return replace(made, packages=tuple(packages))


def owner(board: Board) -> str:
    """Whose site a folder holds: a digest of the board's room, so that two boards whose names
    make the same folder name never overwrite each other."""
    return hashlib.sha256(board.room_id.encode()).hexdigest()[:16]


def publish(
    session: Session,
    board: Board,
    config: PublishConfig,
    *,
    actor: str,
    now: datetime,
    code: str = "",
) -> Draft:
    """Write the board's public site to its folder, atomically, with an audit entry; nothing
    when it is online as it is. BotError when publishing is not set up, when there is nothing
    to publish, when ``code`` is given and the page changed since the preview that showed it,
    or when the folder cannot be written (the site online is then unchanged)."""
    if not config.enabled:
        raise BotError("publish.not_configured")
    found = draft(session, board, config, now=now)
    assert found.target is not None
    if not found.made.packages and found.online is None:
        raise BotError("publish.nothing_public")
    if code and code.casefold() != found.code:
        raise BotError("publish.changed_since_preview", code=code[:12])
    if found.unchanged:
        return found
    try:
        site.publish(site.render(found.made), found.target, owner=owner(board))
    except site.PublishError as exc:
        path = Safe(f"`{found.target}`")
        if exc.kind == "other_owner":
            raise BotError("publish.other_board", path=path) from exc
        raise BotError("publish.not_ours", path=path) from exc
    except OSError as exc:
        raise BotError(
            "publish.failed", path=Safe(f"`{found.target}`"), reason=exc.strerror or str(exc)
        ) from exc
    audit.record(
        session, board_id=board.id, actor=actor, action="portfolio.publish", entity="board",
        entity_id=str(board.id), before=None,
        after={
            "packages": [p.key for p in found.made.packages],
            "added": [c.key for c in found.changes.added],
            "changed": [c.key for c in found.changes.changed],
            "removed": [c.key for c in found.changes.removed],
        },
        now=now,
    )  # fmt: skip
    return found


def one_file(files: dict[str, bytes]) -> bytes:
    """The overview page with its style sheet inside: one file that opens as it will look."""
    page = files[site.INDEX].decode()
    css = files[site.CSS_FILE].decode().replace("</", "<\\/")
    link = f'<link rel="stylesheet" href="{site.CSS_FILE}">'
    return page.replace(link, f"<style>\n{css}\n</style>", 1).encode()
