"""outbox attachments

Revision ID: 8bee52feea36
Revises: b7dcd7f3a953
Create Date: 2026-11-26 16:41:31.278404
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8bee52feea36"
down_revision: str | None = "b7dcd7f3a953"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("attachment")
