"""departments people absences

Revision ID: d27764fe0f91
Revises: a66fdb785d2f
Create Date: 2026-11-26 14:59:06.548381
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import board_bot.core.db

revision: str = "d27764fe0f91"
down_revision: str | None = "a66fdb785d2f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], name=op.f("fk_absence_board_id_board")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence")),
    )
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absence_board_id"), ["board_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_absence_user_id"), ["user_id"], unique=False)

    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("code_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("room_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("archived_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_department_board_id_board")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
    )
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_department_board_id"), ["board_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_department_code_key"), ["code_key"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_membership_board_id_board")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_membership_department_id_department"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_board_id"), ["board_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_membership_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_membership_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("board", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "bundesland",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                server_default="SH",
                nullable=False,
            )
        )

    # Boards set up before roles existed: their creator becomes their first admin (the admins of
    # the config keep their rights anyway), so that "the last admin" means the same everywhere.
    op.execute(
        "INSERT INTO membership (board_id, department_id, user_id, role, created_at) "
        "SELECT id, NULL, created_by, 'admin', created_at FROM board"
    )


def downgrade() -> None:
    # The tables that refer to board go first: on SQLite, dropping the column rebuilds board.
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_user_id"))
        batch_op.drop_index(batch_op.f("ix_membership_department_id"))
        batch_op.drop_index(batch_op.f("ix_membership_board_id"))

    op.drop_table("membership")
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_department_code_key"))
        batch_op.drop_index(batch_op.f("ix_department_board_id"))

    op.drop_table("department")
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absence_user_id"))
        batch_op.drop_index(batch_op.f("ix_absence_board_id"))

    op.drop_table("absence")
    with op.batch_alter_table("board", schema=None) as batch_op:
        batch_op.drop_column("bundesland")
