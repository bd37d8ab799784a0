"""Fixtures: one fresh database per test run (SQLite file, or a new PostgreSQL database when
TEST_DATABASE_URL is set), migrated to head, emptied after every test."""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile

import pytest

os.environ["RESCUE_CONFIG"] = "test"

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

pytest_plugins = ["tests.fixtures.factories"]


def pytest_sessionstart(session):
    """Pages render in fourteen languages: without compiled catalogs every page test would fail for a
    reason that has nothing to do with it. Say so once, and stop."""
    from pathlib import Path

    translations = Path(__file__).resolve().parent.parent / "translations"
    missing = [po.parent for po in translations.glob("*/LC_MESSAGES/messages.po")
               if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if missing:
        pytest.exit("The message catalogs are not compiled (or older than their .po files): run `make test`, or "
                    "`flask --app wsgi translate compile` before pytest.", returncode=4)


def pytest_terminal_summary(terminalreporter):
    """Name, loudly, the suites that did not run and why, so a green run cannot hide them."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.write_sep("!", "SUITES SKIPPED: these tests did NOT run", red=True, bold=True)
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"  {count:4d} skipped: {reason}", red=True)


def _postgres_url(url: str):
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


class TestDatabase:
    """Creates databases for a run and drops them afterwards."""

    def __init__(self):
        self.server_url = os.environ.get("TEST_DATABASE_URL")
        self.tmpdir = tempfile.mkdtemp(prefix="rescue-test-")
        self.created: list[str] = []

    @property
    def dialect(self) -> str:
        return "postgresql" if self.server_url else "sqlite"

    def new(self, label: str = "main") -> str:
        if not self.server_url:
            return f"sqlite:///{os.path.join(self.tmpdir, label + '.sqlite3')}"
        server = _postgres_url(self.server_url)
        name = f"rescue_test_{os.getpid()}_{secrets.token_hex(4)}_{label}"
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.server_url and self.created:
            engine = create_engine(_postgres_url(self.server_url), isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                for name in self.created:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


@pytest.fixture(scope="session")
def databases():
    manager = TestDatabase()
    yield manager
    manager.drop_all()


@pytest.fixture(scope="session")
def app(databases):
    from flask_migrate import upgrade

    from rescue import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": databases.new("main"), "SERVER_NAME": None,
                      "RESCUE_UPLOAD_DIR": os.path.join(databases.tmpdir, "uploads"),
                      "RESCUE_DOCUMENT_CACHE_DIR": os.path.join(databases.tmpdir, "document-cache"),
                      "RESCUE_PRINT_DIR": os.path.join(databases.tmpdir, "prints")})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        from rescue.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Every test starts from an empty database and fresh rate-limit counters.

    No application context stays pushed while a test runs: each request gets its own, as in
    production. Tests that read the database open one with `with app.app_context():`."""
    from rescue.extensions import db, limiter

    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                        + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def make_client(app):
    """Another browser, with its own cookies."""
    return app.test_client
