"""Picture dimensions on attachments

Revision ID: 0010_attachment_size
Revises: 0009_reinstall_name_search
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_attachment_size"
down_revision = "0009_reinstall_name_search"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.add_column(sa.Column("width", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("height", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.drop_column("height")
        batch_op.drop_column("width")
