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
