"""Index for the longest-waiting order of the case list

Revision ID: 0008_waiting_order_index
Revises: 0007_case_situation
"""
from alembic import op

revision = "0008_waiting_order_index"
down_revision = "0007_case_situation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case") as batch_op:
        batch_op.create_index("ix_case_organisation_waiting", ["organisation_id", "status_changed_at", "id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("case") as batch_op:
        batch_op.drop_index("ix_case_organisation_waiting")
