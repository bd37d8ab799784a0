"""A repatriation plan carries its version, so that a stale copy cannot overwrite a colleague's save

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("repatriation_plan", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("repatriation_plan") as batch_op:
        batch_op.drop_column("version")
