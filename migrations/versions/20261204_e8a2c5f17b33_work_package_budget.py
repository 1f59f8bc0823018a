"""work_package.budget: the planned cost of a package in whole euros

Revision ID: e8a2c5f17b33
Revises: c41d7e2b9a05
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8a2c5f17b33"
down_revision: str | None = "c41d7e2b9a05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch operation: SQLite's batch rebuild of the table would trip
    # over the tables that refer to it.
    op.add_column("work_package", sa.Column("budget", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("work_package", "budget")  # SQLite 3.35+ drops a column in place
