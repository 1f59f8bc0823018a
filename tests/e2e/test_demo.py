"""The README's first command, minus the install: the demo answers a newcomer's `!hilfe`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from board_bot.models import Absence, Department, Membership

pytestmark = [pytest.mark.e2e]


def test_demo_console_answers_help(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run = subprocess.run(
        [sys.executable, "-m", "board_bot", "demo", "--data-dir", str(data)],
        input="!hilfe\n!board show\n!workshops\n!protokoll zeigen 1\n!beschlüsse\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    out = run.stdout
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Homeserver:  http://127.0.0.1:" in out
    assert "Passwort: demo-fb61" in out
    assert "Hilfe zum Smart City Board Bot" in out, out[-3000:]
    assert "Smart City Board Norderstedt (Demo)" in out
    assert "!personen" in out and "!abwesenheiten" in out
    assert "Anstehende Workshops" in out and "Terminabstimmung läuft" in out
    assert "Protokoll Workshop 1" in out and "neues Arbeitspaket WP-9" in out
    assert "B-1" in out and "vom Hauptamt betrieben" in out
    sample = sample_data(data)
    assert sample["departments"] == {
        "FB 13": "Hauptamt",
        "FB 20": "Finanzen",
        "FB 40": "Schule und Bildung",
        "FB 61": "Stadtplanung",
        "FB 68": "Verkehr",
    }
    assert ("FB 61", "lead", "@fb61-leitung:localhost") in sample["roles"]
    assert ("FB 68", "deputy", "@fb68-vertretung:localhost") in sample["roles"]
    assert ("", "observer", "@ob:localhost") in sample["roles"]
    assert ("", "admin", "@cdo:localhost") in sample["roles"]
    assert sorted(sample["absent"]) == ["@fb20-leitung:localhost", "@fb68-leitung:localhost"]
    # The public packages are published to data/public, and the demo says where.
    site = data.resolve() / "public" / "smart-city-board-norderstedt-demo"
    assert f"Öffentliche Portfolio-Seite (5 Arbeitspakete): {site}/index.html" in out, out[:3000]
    published = json.loads((site / "portfolio.json").read_text(encoding="utf-8"))
    assert [p["key"] for p in published["packages"]] == ["WP-1", "WP-2", "WP-3", "WP-4", "WP-6"]
    assert (site / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    # A second run continues with the same homeserver, users and board.
    again = subprocess.run(
        [sys.executable, "-m", "board_bot", "demo", "--data-dir", str(data)],
        input="!board show\n!bericht export\n!veröffentlichen vorschau\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Eingerichtet am" in again.stdout, again.stdout[-3000:]
    assert "bereits der Board-Raum" not in again.stdout
    # The files the bot posts are saved, and the console says where.
    files = data.resolve() / "files"
    assert f"speichert die Konsole unter\n{files} und nennt den Pfad" in again.stdout
    saved = {path.suffix: path for path in files.iterdir() if path.name.startswith("lagebericht")}
    assert set(saved) == {".pdf", ".html", ".md"}, again.stdout[-3000:]
    for path in saved.values():
        assert f"📎 {path.name} → {path}" in again.stdout
    assert saved[".pdf"].read_bytes().startswith(b"%PDF-")
    assert sample_data(data) == sample  # nothing duplicated
    # Published again only when something changed: nothing did.
    assert f"Öffentliche Portfolio-Seite (5 Arbeitspakete): {site}/index.html" in again.stdout
    assert "Keine Änderungen gegenüber der veröffentlichten Fassung" in again.stdout


def sample_data(data: Path) -> dict[str, object]:
    """What the demo's SQLite database holds: departments, roles held now (counted, so that a
    duplicate shows), and who is away."""
    engine = sa.create_engine(f"sqlite:///{data / 'bot' / 'board.db'}")
    try:
        with Session(engine) as session:
            depts = list(session.exec(select(Department)))
            codes = {d.id: d.code for d in depts}
            memberships = session.exec(select(Membership).where(col(Membership.ended_at).is_(None)))
            roles = sorted((codes.get(m.department_id, ""), m.role, m.user_id) for m in memberships)
            absent = [a.user_id for a in session.exec(select(Absence))]
    finally:
        engine.dispose()
    return {
        "departments": {d.code: d.name for d in depts},
        "roles": roles,
        "absent": absent,
    }
