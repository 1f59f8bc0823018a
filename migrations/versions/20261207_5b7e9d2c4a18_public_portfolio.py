"""public_portfolio: a work package marked for the public portfolio page, and its public
description

Revision ID: 5b7e9d2c4a18
Revises: 8c4a1f7e2d53
Create Date: 2026-12-07 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b7e9d2c4a18"
down_revision: str | None = "8c4a1f7e2d53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("work_package", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("public_description", sa.Text(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("work_package", schema=None) as batch_op:
        batch_op.drop_column("public_description")
        batch_op.drop_column("public")
