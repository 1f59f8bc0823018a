"""pseudonym: the numbers of the pseudonyms handed out by ``board-bot privacy erase``

Revision ID: 3f8e2d6c1b94
Revises: 5b1e9c3d7a20
Create Date: 2026-12-07 02:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from board_bot.core.db import UTCDateTime

revision: str = "3f8e2d6c1b94"
down_revision: str | None = "5b1e9c3d7a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pseudonym",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_pseudonym")),
    )


def downgrade() -> None:
    op.drop_table("pseudonym")
