"""Operation tags on cases

Revision ID: 0005_operation_tags
Revises: 0004_reports
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_operation_tags"
down_revision = "0004_reports"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case") as batch_op:
        batch_op.add_column(sa.Column("operation_tag", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("case") as batch_op:
        batch_op.drop_column("operation_tag")
