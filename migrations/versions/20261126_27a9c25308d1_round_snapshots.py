"""round snapshots, summary room

Revision ID: 27a9c25308d1
Revises: 2ae5c68729a4
Create Date: 2026-11-26 17:55:45.590229
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import board_bot.core.db

revision: str = "27a9c25308d1"
down_revision: str | None = "2ae5c68729a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ adds and drops such columns in place): a batch rebuild of
    # board would trip over the tables that refer to it.
    op.add_column(
        "board",
        sa.Column("summary_room", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    )
    op.add_column(
        "status_round",
        sa.Column("snapshot_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "round_snapshot",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("work_package_id", sa.Integer(), nullable=False),
        sa.Column("leitlinie", sa.Integer(), nullable=True),
        sa.Column("traffic_light", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["status_round.id"], name=op.f("fk_round_snapshot_round_id_status_round")
        ),
        sa.ForeignKeyConstraint(
            ["work_package_id"],
            ["work_package.id"],
            name=op.f("fk_round_snapshot_work_package_id_work_package"),
        ),
        sa.PrimaryKeyConstraint("round_id", "work_package_id", name=op.f("pk_round_snapshot")),
    )
    with op.batch_alter_table("round_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_snapshot_work_package_id"), ["work_package_id"], unique=False
        )


def downgrade() -> None:
    op.drop_column("board", "summary_room")
    with op.batch_alter_table("round_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_snapshot_work_package_id"))

    op.drop_table("round_snapshot")
    op.drop_column("status_round", "snapshot_at")
