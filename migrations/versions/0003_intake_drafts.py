"""Intake drafts

Revision ID: 0003_intake_drafts
Revises: 0002_security
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_intake_drafts"
down_revision = "0002_security"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "intake_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_intake_draft_created_by_id_user")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_intake_draft_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_draft")),
    )
    with op.batch_alter_table("intake_draft") as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_draft_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_draft_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("intake_draft") as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_draft_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_intake_draft_created_by_id"))
    op.drop_table("intake_draft")
