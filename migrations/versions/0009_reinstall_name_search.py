"""Keep the SQLite name index in step after the case table was rebuilt

Revision ID: 0009_reinstall_name_search
Revises: 0008_waiting_order_index
"""
from alembic import op

revision = "0009_reinstall_name_search"
down_revision = "0008_waiting_order_index"
branch_labels = None
depends_on = None

# The triggers as 0006 made them: a migration carries its own SQL and never imports the application.
TRIGGERS = {
    "case_name_search_insert": "CREATE TRIGGER case_name_search_insert AFTER INSERT ON \"case\" BEGIN "
                               "INSERT INTO case_name_search(rowid, name_key) VALUES (new.id, new.name_key); END",
    "case_name_search_delete": "CREATE TRIGGER case_name_search_delete AFTER DELETE ON \"case\" BEGIN "
                               "INSERT INTO case_name_search(case_name_search, rowid, name_key) "
                               "VALUES ('delete', old.id, old.name_key); END",
    "case_name_search_update": "CREATE TRIGGER case_name_search_update AFTER UPDATE OF name_key ON \"case\" BEGIN "
                               "INSERT INTO case_name_search(case_name_search, rowid, name_key) "
                               "VALUES ('delete', old.id, old.name_key); "
                               "INSERT INTO case_name_search(rowid, name_key) VALUES (new.id, new.name_key); END",
}


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, statement in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(statement)
    op.execute("INSERT INTO case_name_search(case_name_search) VALUES ('rebuild')")


def downgrade():
    pass  # the triggers belong to 0006; nothing to undo
