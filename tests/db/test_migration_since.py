"""The migration that gives work packages ``status_since`` and ``light_since`` fills them for
existing packages from the audit log (the last entry that set the field, else the package's
creation); on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from board_bot.core import migrate
from board_bot.core.db import unit_of_work
from board_bot.features.work_packages import service as wps
from board_bot.models import WorkPackage
from tests.db.org_support import ALICE, NOW
from tests.db.wp_support import add_wp, setup_city

PREVIOUS = "e8a2c5f17b33"  # work_package.budget, before the since columns


def since(engine: Engine) -> dict[int, tuple[object, object]]:
    with Session(engine) as session:
        return {
            wp.number: (wp.status_since, wp.light_since) for wp in session.exec(select(WorkPackage))
        }


def test_the_since_columns_come_from_the_audit_log(bare_engine: Engine) -> None:
    migrate.upgrade(bare_engine)
    city = setup_city(bare_engine)
    with unit_of_work(bare_engine) as session:
        one, two, _three = (add_wp(session, city, title) for title in ("Eins", "Zwei", "Drei"))
        wps.update(session, one, actor=ALICE, now=NOW + timedelta(days=1), status="blocked")
        wps.update(session, one, actor=ALICE, now=NOW + timedelta(days=2), progress=10)
        wps.update(session, two, actor=ALICE, now=NOW + timedelta(days=3),
                   traffic_light="red", traffic_reason="Geld fehlt")  # fmt: skip
        wps.update(session, two, actor=ALICE, now=NOW + timedelta(days=4), traffic_reason="Geld")
    kept = since(bare_engine)
    assert kept == {
        1: (NOW + timedelta(days=1), NOW),  # blocked on day 1; the light never changed
        2: (NOW, NOW + timedelta(days=3)),  # red on day 3; a new reason is not a new light
        3: (NOW, NOW),
    }

    migrate.downgrade(bare_engine, PREVIOUS)
    columns = {c["name"] for c in sa.inspect(bare_engine).get_columns("work_package")}
    assert not columns & {"status_since", "light_since"}
    migrate.upgrade(bare_engine)
    assert since(bare_engine) == kept
    migrate.check(bare_engine)
