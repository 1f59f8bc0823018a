"""workshop minutes and decisions

Revision ID: 90d8694408ea
Revises: aa1400814d77
Create Date: 2026-11-26 20:42:34.774330
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import board_bot.core.db

revision: str = "90d8694408ea"
down_revision: str | None = "aa1400814d77"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_decision_board_id_board")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshop.id"], name=op.f("fk_decision_workshop_id_workshop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint("board_id", "number", name=op.f("uq_decision_board_id")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_board_id"), ["board_id"], unique=False)

    op.create_table(
        "workshop_agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_workshop_agenda_item_workshop_id_workshop"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_agenda_item")),
    )
    with op.batch_alter_table("workshop_agenda_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_agenda_item_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "workshop_minute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("assignee", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("work_package_id", sa.Integer(), nullable=True),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_workshop_minute_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
            name=op.f("fk_workshop_minute_milestone_id_milestone"),
        ),
        sa.ForeignKeyConstraint(
            ["work_package_id"],
            ["work_package.id"],
            name=op.f("fk_workshop_minute_work_package_id_work_package"),
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshop.id"], name=op.f("fk_workshop_minute_workshop_id_workshop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_minute")),
    )
    with op.batch_alter_table("workshop_minute", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_minute_workshop_id"), ["workshop_id"], unique=False
        )

    # Plain ADD COLUMN, not a batch operation: SQLite's rebuild of the workshop table would trip
    # over the tables that refer to it.
    op.add_column(
        "workshop",
        sa.Column("minutes_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    )
    op.add_column("workshop", sa.Column("minutes", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("workshop", "minutes")
    op.drop_column("workshop", "minutes_by")

    with op.batch_alter_table("workshop_minute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_minute_workshop_id"))

    op.drop_table("workshop_minute")
    with op.batch_alter_table("workshop_agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_agenda_item_workshop_id"))

    op.drop_table("workshop_agenda_item")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_board_id"))

    op.drop_table("decision")
