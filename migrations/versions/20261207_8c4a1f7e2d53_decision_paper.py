"""decision_paper: the council paper (Vorlage) a decision is linked to, read through OParl,
the council's result on it, and the look-ups waiting for the council information system

Revision ID: 8c4a1f7e2d53
Revises: 3f8e2d6c1b94
Create Date: 2026-12-07 03:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import board_bot.core.db

revision: str = "8c4a1f7e2d53"
down_revision: str | None = "3f8e2d6c1b94"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paper_id", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "paper_reference", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("paper_name", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True)
        )
        batch_op.add_column(sa.Column("paper_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("paper_web", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "council_organization",
                sqlmodel.sql.sqltypes.AutoString(length=1000),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("council_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("council_outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "council_noted_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_table(
        "council_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("wanted", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("room_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("reply_to", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("thread_root", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_council_request_board_id_board")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_council_request_decision_id_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_request")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_council_request_decision_id")),
    )
    with op.batch_alter_table("council_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_request_board_id"), ["board_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_council_request_next_attempt_at"), ["next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("council_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_request_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_council_request_board_id"))
    op.drop_table("council_request")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_column("council_noted_at")
        batch_op.drop_column("council_outcome")
        batch_op.drop_column("council_date")
        batch_op.drop_column("council_organization")
        batch_op.drop_column("paper_web")
        batch_op.drop_column("paper_date")
        batch_op.drop_column("paper_name")
        batch_op.drop_column("paper_reference")
        batch_op.drop_column("paper_id")
