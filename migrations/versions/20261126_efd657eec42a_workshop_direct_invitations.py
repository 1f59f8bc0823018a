"""workshop direct invitations

Revision ID: efd657eec42a
Revises: 90d8694408ea
Create Date: 2026-11-26 21:30:52.271758
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "efd657eec42a"
down_revision: str | None = "90d8694408ea"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workshop_direct_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_workshop_direct_invitation_workshop_id_workshop"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_direct_invitation")),
    )
    with op.batch_alter_table("workshop_direct_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_direct_invitation_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshop_direct_invitation_outbox_id"), ["outbox_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workshop_direct_invitation_workshop_id"), ["workshop_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("workshop_direct_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_direct_invitation_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_direct_invitation_outbox_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_direct_invitation_event_id"))

    op.drop_table("workshop_direct_invitation")
