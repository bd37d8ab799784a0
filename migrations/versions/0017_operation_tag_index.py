"""The number given on the day of a rescue is searched: an index on it

Revision ID: 0017
Revises: 0016
"""
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_case_operation_tag", "case", ["operation_tag"])


def downgrade():
    op.drop_index("ix_case_operation_tag", table_name="case")
