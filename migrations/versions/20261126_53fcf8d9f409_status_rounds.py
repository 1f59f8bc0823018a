"""status rounds

Revision ID: 53fcf8d9f409
Revises: 8bee52feea36
Create Date: 2026-11-26 16:56:36.486206
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import board_bot.core.db

revision: str = "53fcf8d9f409"
down_revision: str | None = "8bee52feea36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "direct_room",
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("room_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_direct_room")),
        sa.UniqueConstraint("room_id", name=op.f("uq_direct_room_room_id")),
    )
    op.create_table(
        "status_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("prompt_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reminders_at", sa.JSON(), nullable=False),
        sa.Column("deadline_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("closed_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_status_round_board_id_board")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_round")),
        sa.UniqueConstraint("board_id", "period", name=op.f("uq_status_round_board_id")),
    )
    with op.batch_alter_table("status_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_round_board_id"), ["board_id"], unique=False)

    op.create_table(
        "status_schedule",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("prompt", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("deadline", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("updated_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_status_schedule_board_id_board")
        ),
        sa.PrimaryKeyConstraint("board_id", name=op.f("pk_status_schedule")),
    )
    op.create_table(
        "status_prompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("covering_for", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("room_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("last_reminded_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_status_prompt_department_id_department"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["status_round.id"], name=op.f("fk_status_prompt_round_id_status_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_prompt")),
        sa.UniqueConstraint("round_id", "department_id", name=op.f("uq_status_prompt_round_id")),
    )
    with op.batch_alter_table("status_prompt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_prompt_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_status_prompt_round_id"), ["round_id"], unique=False)

    op.create_table(
        "status_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("room_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["status_prompt.id"],
            name=op.f("fk_status_answer_prompt_id_status_prompt"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_answer")),
        sa.UniqueConstraint("event_id", name=op.f("uq_status_answer_event_id")),
    )
    with op.batch_alter_table("status_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_answer_prompt_id"), ["prompt_id"], unique=False)

    op.create_table(
        "status_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("department_code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("work_package_number", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["status_answer.id"], name=op.f("fk_status_flag_answer_id_status_answer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_flag")),
    )
    with op.batch_alter_table("status_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_flag_answer_id"), ["answer_id"], unique=False)

    op.create_table(
        "status_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("work_package_id", sa.Integer(), nullable=False),
        sa.Column("traffic_light", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("unchanged", sa.Boolean(), nullable=False),
        sa.Column("created_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["status_answer.id"], name=op.f("fk_status_item_answer_id_status_answer")
        ),
        sa.ForeignKeyConstraint(
            ["work_package_id"],
            ["work_package.id"],
            name=op.f("fk_status_item_work_package_id_work_package"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_item")),
    )
    with op.batch_alter_table("status_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_item_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_status_item_work_package_id"), ["work_package_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_item_work_package_id"))
        batch_op.drop_index(batch_op.f("ix_status_item_answer_id"))

    op.drop_table("status_item")
    with op.batch_alter_table("status_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_flag_answer_id"))

    op.drop_table("status_flag")
    with op.batch_alter_table("status_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_answer_prompt_id"))

    op.drop_table("status_answer")
    with op.batch_alter_table("status_prompt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_prompt_round_id"))
        batch_op.drop_index(batch_op.f("ix_status_prompt_department_id"))

    op.drop_table("status_prompt")
    op.drop_table("status_schedule")
    with op.batch_alter_table("status_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_round_board_id"))

    op.drop_table("status_round")
    op.drop_table("direct_room")
