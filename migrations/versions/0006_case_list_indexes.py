"""Indexes for the case list at scale

Keyset order within an organisation or an assignee, and name search by substring (SQLite FTS5
trigram index kept in step by triggers; PostgreSQL pg_trgm).

Revision ID: 0006_case_list_indexes
Revises: 0005_operation_tags
"""
from alembic import op

revision = "0006_case_list_indexes"
down_revision = "0005_operation_tags"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case") as batch_op:
        batch_op.create_index("ix_case_organisation_id_id", ["organisation_id", "id"], unique=False)
        batch_op.create_index("ix_case_assigned_to_id_id", ["assigned_to_id", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute('CREATE INDEX ix_case_name_key_trgm ON "case" USING gin (name_key gin_trgm_ops)')
    else:
        op.execute("CREATE VIRTUAL TABLE case_name_search USING fts5(name_key, content='case', "
                   "content_rowid='id', tokenize='trigram')")
        op.execute("INSERT INTO case_name_search(rowid, name_key) SELECT id, name_key FROM \"case\"")
        op.execute("CREATE TRIGGER case_name_search_insert AFTER INSERT ON \"case\" BEGIN "
                   "INSERT INTO case_name_search(rowid, name_key) VALUES (new.id, new.name_key); END")
        op.execute("CREATE TRIGGER case_name_search_delete AFTER DELETE ON \"case\" BEGIN "
                   "INSERT INTO case_name_search(case_name_search, rowid, name_key) "
                   "VALUES ('delete', old.id, old.name_key); END")
        op.execute("CREATE TRIGGER case_name_search_update AFTER UPDATE OF name_key ON \"case\" BEGIN "
                   "INSERT INTO case_name_search(case_name_search, rowid, name_key) "
                   "VALUES ('delete', old.id, old.name_key); "
                   "INSERT INTO case_name_search(rowid, name_key) VALUES (new.id, new.name_key); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_case_name_key_trgm")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS case_name_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS case_name_search")
    with op.batch_alter_table("case") as batch_op:
        batch_op.drop_index("ix_case_assigned_to_id_id")
        batch_op.drop_index("ix_case_organisation_id_id")
