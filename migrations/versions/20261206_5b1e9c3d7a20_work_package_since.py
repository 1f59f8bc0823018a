"""work_package.status_since and light_since: when the status and the traffic light were set

"Blocked since" and "yellow since" were read back from the audit log (the JSON searched as text)
and from the kept rounds; now the package keeps them. Existing packages get them from the audit
log: the last entry that set the field, else the package's creation.

Revision ID: 5b1e9c3d7a20
Revises: e8a2c5f17b33
Create Date: 2026-12-06 23:40:00.000000
"""

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from board_bot.core.db import UTCDateTime

revision: str = "5b1e9c3d7a20"
down_revision: str | None = "e8a2c5f17b33"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = {"status": "status_since", "traffic_light": "light_since"}
# The tables as this revision knows them (not the models, which know later ones).
AUDIT = sa.table(
    "audit_entry",
    sa.column("id", sa.Integer),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("after", sa.JSON),
    sa.column("at", UTCDateTime()),
)
PACKAGE = sa.table(
    "work_package",
    sa.column("id", sa.Integer),
    sa.column("created_at", UTCDateTime()),
    *(sa.column(column, UTCDateTime()) for column in FIELDS.values()),
)


def upgrade() -> None:
    # Plain ADD COLUMNs, not a batch operation: SQLite's batch rebuild of the table would trip
    # over the tables that refer to it.
    for column in FIELDS.values():
        op.add_column("work_package", sa.Column(column, UTCDateTime(timezone=True), nullable=True))
    conn = op.get_bind()
    since: dict[int, dict[str, datetime]] = {}
    entries = conn.execute(
        sa.select(AUDIT.c.entity_id, AUDIT.c.after, AUDIT.c.at)
        .where(AUDIT.c.entity == "work_package")
        .order_by(AUDIT.c.at, AUDIT.c.id)
    )
    for entity_id, after, at in entries:
        values = json.loads(after) if isinstance(after, str) else after
        if isinstance(values, dict) and entity_id.isdigit():
            for name, column in FIELDS.items():
                if name in values:
                    since.setdefault(int(entity_id), {})[column] = at
    update = (
        sa.update(PACKAGE)
        .where(PACKAGE.c.id == sa.bindparam("wp_id"))
        .values({column: sa.bindparam(column) for column in FIELDS.values()})
    )
    rows = [
        {"wp_id": wp_id, **{c: since.get(wp_id, {}).get(c, created) for c in FIELDS.values()}}
        for wp_id, created in conn.execute(sa.select(PACKAGE.c.id, PACKAGE.c.created_at))
    ]
    if rows:
        conn.execute(update, rows)


def downgrade() -> None:
    for column in FIELDS.values():
        op.drop_column("work_package", column)  # SQLite 3.35+ drops a column in place
