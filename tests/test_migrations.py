"""Migrations build the schema from nothing to head, match the models exactly, and come down cleanly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from rescue import create_app
from rescue.cases.search_index import include_name
from rescue.extensions import db


@pytest.fixture()
def empty_app(databases):
    url = databases.new("migrations")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_upgrade_to_head_matches_the_models_and_downgrade_empties(empty_app):
    with empty_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"case", "user", "organisation", "mission", "referral", "consent", "timeline_event",
                "travel_document", "operation", "site", "attachment", "audit_entry", "user_session"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "include_name": include_name})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()  # and back up again
        assert "case" in inspect(db.engine).get_table_names()


def _revisions_in_order(app) -> list[str]:
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate  # noqa: F401  (the extension knows where migrations live)

    config = app.extensions["migrate"].migrate.get_config()
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def test_name_search_survives_every_upgrade_step(empty_app):
    """Batch migrations that rebuild "case" on SQLite drop its triggers: after every step from the one that
    made the name index, the index and what keeps it in step must still be there."""
    with empty_app.app_context():
        revisions = _revisions_in_order(empty_app)
        first = revisions.index("0006_case_list_indexes")
        for number, revision in enumerate(revisions):
            upgrade(revision=revision)
            if number < first:
                continue
            with db.engine.connect() as connection:
                if connection.dialect.name == "sqlite":
                    triggers = {row[0] for row in connection.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
                    assert {"case_name_search_insert", "case_name_search_delete",
                            "case_name_search_update"} <= triggers, f"after {revision}: {sorted(triggers)}"
                else:
                    indexes = {row[0] for row in connection.exec_driver_sql(
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'case'")}
                    assert "ix_case_name_key_trgm" in indexes, f"after {revision}"


def test_migrations_never_import_the_application():
    from pathlib import Path

    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    importing = [path.name for path in versions.glob("*.py")
                 if "from rescue" in path.read_text() or "import rescue" in path.read_text()]
    assert importing == []
