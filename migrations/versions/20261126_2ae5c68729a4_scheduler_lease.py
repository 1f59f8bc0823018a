"""scheduler lease

Revision ID: 2ae5c68729a4
Revises: 53fcf8d9f409
Create Date: 2026-11-26 17:39:26.751086
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import board_bot.core.db

revision: str = "2ae5c68729a4"
down_revision: str | None = "53fcf8d9f409"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_lease",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("expires_at", board_bot.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )


def downgrade() -> None:
    op.drop_table("scheduler_lease")
