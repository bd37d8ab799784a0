"""Keep the SQLite name index in step after the case table was rebuilt

Revision ID: 0009_reinstall_name_search
Revises: 0008_waiting_order_index
"""
from alembic import op

from rescue.cases.search_index import reinstall_sqlite_search

revision = "0009_reinstall_name_search"
down_revision = "0008_waiting_order_index"
branch_labels = None
depends_on = None


def upgrade():
    reinstall_sqlite_search(op)


def downgrade():
    pass  # the triggers belong to 0006; nothing to undo
