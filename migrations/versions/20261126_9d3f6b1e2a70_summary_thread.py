"""board.summary_thread: a thread in the board room that gets a copy of each summary

Revision ID: 9d3f6b1e2a70
Revises: 5c1e0a7d9b42
Create Date: 2026-11-26 20:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "9d3f6b1e2a70"
down_revision: str | None = "5c1e0a7d9b42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch operation: SQLite's batch rebuild of the board table would
    # trip over the tables that refer to it.
    op.add_column(
        "board",
        sa.Column("summary_thread", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("board", "summary_thread")
