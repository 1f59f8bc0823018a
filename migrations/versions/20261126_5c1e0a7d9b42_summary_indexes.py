"""indexes for the summary: an entity's audit history, milestones by due date

Revision ID: 5c1e0a7d9b42
Revises: 27a9c25308d1
Create Date: 2026-11-26 20:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5c1e0a7d9b42"
down_revision: str | None = "27a9c25308d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_entry_entity", "audit_entry", ["entity", "entity_id", "at"], unique=False
    )
    op.create_index(op.f("ix_milestone_due_on"), "milestone", ["due_on"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_milestone_due_on"), table_name="milestone")
    op.drop_index("ix_audit_entry_entity", table_name="audit_entry")
