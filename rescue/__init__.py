"""rescue: case management for locating, rescuing, caring for and repatriating trafficked workers."""
from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Mapping

from flask import Flask, redirect, request, url_for
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import CONFIGS, Config, config_from_environment
from rescue import paths
from rescue.extensions import babel, csrf, db, limiter, login_manager, migrate

WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development", "please-change-me"}
MIN_SECRET_LENGTH = 32


def create_app(config: type[Config] | str | Mapping | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(paths.TEMPLATES_DIR),
        static_folder=str(paths.STATIC_DIR),
        instance_path=os.environ.get("RESCUE_INSTANCE_DIR") or str(paths.PROJECT_DIR / "instance"),
        instance_relative_config=False,
    )
    configure_settings(app, config)
    configure_guards(app)
    configure_proxies(app)
    configure_logging(app)
    configure_database(app)
    configure_extensions(app)
    configure_i18n(app)
    configure_auth(app)
    configure_blueprints(app)
    configure_events()
    configure_templates(app)
    configure_security_headers(app)
    configure_errors(app)
    configure_cli(app)
    configure_scheduler(app)
    return app


def configure_settings(app: Flask, config) -> None:
    """A Config class, a name (development, test, production), or a mapping of overrides on top of
    the class RESCUE_CONFIG picks."""
    if config is None or isinstance(config, Mapping):
        app.config.from_object(config_from_environment()())
        if config:
            app.config.update(config)
    elif isinstance(config, str):
        app.config.from_object(CONFIGS[config]())
    else:
        app.config.from_object(config() if isinstance(config, type) else config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(paths.TRANSLATIONS_DIR)
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["RESCUE_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    if app.config.get("RESCUE_REQUIRE_STRONG_SECRET"):
        secret = app.config.get("SECRET_KEY") or ""
        if len(secret) < MIN_SECRET_LENGTH or secret.lower() in WEAK_SECRETS or len(set(secret)) < 10:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
    if app.config.get("RESCUE_REQUIRE_STRONG_SECRET"):
        from rescue.core.sealing import parse_key

        try:
            parse_key(app.config.get("RESCUE_ENCRYPTION_KEY") or "")
        except ValueError as error:
            raise RuntimeError(f"RESCUE_ENCRYPTION_KEY: {error}") from None
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(app.instance_path, exist_ok=True)


def configure_guards(app: Flask) -> None:
    """Before the database and the routes: SQL parameters and result rows never reach a log, and an
    id in an address beyond the database's range (or not a plain number) is a page not found."""
    from rescue.core import logs, numbers

    logs.register(app)
    numbers.register(app)


def configure_proxies(app: Flask) -> None:
    proxies = app.config.get("RESCUE_TRUSTED_PROXIES") or 0
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


class _DropQueryStrings(logging.Filter):
    """Request lines may carry search terms (names); logs keep the path only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(_strip_query(a) if isinstance(a, str) else a for a in record.args)
        return True


def _strip_query(text: str) -> str:
    if "?" not in text:
        return text
    head, _, tail = text.partition("?")
    rest = tail.split(" ", 1)
    return head + (" " + rest[1] if len(rest) > 1 else "")


def configure_logging(app: Flask) -> None:
    logging.getLogger("werkzeug").addFilter(_DropQueryStrings())


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # erased rows leave no bytes behind in free pages
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """On SQLite, a served request's transaction takes the write lock when it begins (BEGIN IMMEDIATE). A
    transaction that read first and writes later (a save, or the audit entry of a page view) would otherwise be
    refused by SQLite whenever another request wrote in between, and answer with an error page; this way it
    waits its turn (busy_timeout). Work outside requests (batch prints, which lay documents out between their
    writes, the scheduler, the command line) keeps the driver's own way: reads outside a transaction, and a
    transaction begun by the first write. PostgreSQL needs none of this."""
    if connection.dialect.name != "sqlite":
        return
    from flask import g, has_app_context

    if has_app_context() and g.get("serving_request", False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def protect_local_files(app: Flask) -> None:
    """The instance folder (keys, the SQLite database) is its owner's alone (0700), and so is a SQLite
    database: created 0600 before SQLAlchemy first opens it (SQLite gives its -wal, -shm and -journal
    files the database file's mode), an existing one tightened."""
    from sqlalchemy.engine import make_url

    def tighten(path: str, mode: int) -> None:
        try:
            if os.path.exists(path) and os.stat(path).st_mode & 0o777 != mode:
                os.chmod(path, mode)
        except OSError as error:
            logging.getLogger(__name__).warning("could not restrict %s to %o: %s", path, mode, error.strerror)

    tighten(app.instance_path, 0o700)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:" or path.startswith("file:") \
            or url.query.get("mode") == "memory" or url.query.get("uri"):
        return
    if os.path.abspath(os.path.dirname(path)) == os.path.abspath(app.instance_path):
        os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # an empty file is an empty database
    except FileExistsError:
        pass
    except OSError:
        return  # a folder that does not exist: SQLite will say so when the app connects
    for suffix in ("", "-wal", "-shm", "-journal"):
        tighten(path + suffix, 0o600)


def configure_database(app: Flask) -> None:
    from rescue import models  # noqa: F401  (every model registered before the metadata is used)

    protect_local_files(app)
    db.init_app(app)
    from rescue.cases.search_index import include_name

    migrate.init_app(app, db, directory=str(paths.MIGRATIONS_DIR), render_as_batch=True, compare_type=True,
                     include_name=include_name)

    @app.before_request
    def mark_a_served_request() -> None:
        # First of every request's hooks, so that its first transaction already knows (_sqlite_begin).
        from flask import g

        g.serving_request = True


def configure_extensions(app: Flask) -> None:
    csrf.init_app(app)
    limiter.init_app(app)


def configure_i18n(app: Flask) -> None:
    from rescue.i18n.locale import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    @app.before_request
    def remember_a_visitors_language():
        """`?lang=` shows the page asked for in that language. A visitor who is not signed in keeps it for the
        visit (their own browser's session, nothing else); a signed-in user's saved language changes only
        through the language form (a POST, rescue/auth/views.py language)."""
        from flask import session
        from flask_login import current_user

        code = request.args.get("lang")
        if code and code in app.config["RESCUE_LOCALES"] and not current_user.is_authenticated:
            session["lang"] = code


def configure_auth(app: Flask) -> None:
    from flask_babel import gettext

    from rescue.auth import loading

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = loading.LOGIN_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    login_manager.session_protection = None  # server-side session records do this job
    login_manager.user_loader(loading.load_user)
    app.before_request(loading.require_password_change)


def configure_events() -> None:
    """Capabilities subscribe to what happens to a case (rescue/cases/events.py), and contribute their parts
of other capabilities' pages (rescue/cases/page.py, rescue/core/page_parts.py), when imported."""
    import rescue.attachments.subscribers  # noqa: F401
    import rescue.consular.subscribers  # noqa: F401
    import rescue.documents.subscribers  # noqa: F401
    import rescue.jobs.subscribers  # noqa: F401
    import rescue.locating.subscribers  # noqa: F401
    import rescue.operations.subscribers  # noqa: F401


def configure_blueprints(app: Flask) -> None:
    """One blueprint per capability; endpoint names say their package (cases.casework.assign)."""
    from rescue.admin.blueprint import bp as admin_bp
    from rescue.attachments.views import bp as attachments_bp
    from rescue.auth.blueprint import bp as auth_bp
    from rescue.cases.blueprint import bp as cases_bp
    from rescue.consular.blueprint import bp as consular_bp
    from rescue.dashboard.views import bp as dashboard_bp
    from rescue.documents.views import bp as documents_bp
    from rescue.health import bp as health_bp
    from rescue.inbox.views import bp as inbox_bp
    from rescue.intake.views import bp as intake_bp
    from rescue.jobs.views import bp as jobs_bp
    from rescue.locating.views import bp as locating_bp
    from rescue.operations.views import bp as operations_bp

    for blueprint in (health_bp, auth_bp, cases_bp, attachments_bp, intake_bp, locating_bp, operations_bp,
                      consular_bp, inbox_bp, documents_bp, jobs_bp, dashboard_bp, admin_bp):
        app.register_blueprint(blueprint)


def configure_templates(app: Flask) -> None:
    """Every page's context, and each capability's own template filters."""
    from rescue import navigation
    from rescue.attachments import filters as attachment_filters
    from rescue.audit import filters as audit_filters
    from rescue.auth import filters as account_filters
    from rescue.cases import filters as case_filters
    from rescue.consular import filters as consular_filters
    from rescue.documents import filters as document_filters
    from rescue.i18n import filters as language_filters
    from rescue.jobs import filters as printing_filters
    from rescue.locating import filters as report_filters
    from rescue.organisations import filters as organisation_filters

    navigation.register(app)
    for capability in (language_filters, account_filters, organisation_filters, audit_filters, case_filters,
                       attachment_filters, report_filters, consular_filters, document_filters, printing_filters):
        capability.register(app)


def configure_security_headers(app: Flask) -> None:
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        if app.config.get("RESCUE_HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response


def configure_errors(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException, MethodNotAllowed

    from rescue.core.errors import register, render_error

    register(app)

    from sqlalchemy.orm.exc import StaleDataError

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(error: StaleDataError):
        """Two people changed the same record at the same moment and this one came second: nothing of it was
        saved, and the person is told so in words (a 409), never shown an error page."""
        from flask_babel import gettext

        from rescue.extensions import db

        db.session.rollback()
        return render_error(409, gettext("Someone else changed this case while you were reading it."))

    @app.errorhandler(MethodNotAllowed)
    def back_to_the_record(error: MethodNotAllowed):
        """A page that came back from a form with errors has the form's address (/cases/7/status). Reloading it
        later, or opening it from the history, asks for it with GET: go to the case or referral it is about,
        instead of a "not allowed" page."""
        if request.method == "GET":
            try:
                _endpoint, args = app.url_map.bind_to_environ(request.environ).match(method="POST")
            except HTTPException:
                args = {}
            if "case_id" in args:
                return redirect(url_for("cases.show", case_id=args["case_id"]))
            if "referral_id" in args:
                return redirect(url_for("consular.referral", referral_id=args["referral_id"]))
        return render_error(405)


def configure_cli(app: Flask) -> None:
    from rescue.cli import rescue_cli, translate_cli

    app.cli.add_command(rescue_cli)
    app.cli.add_command(translate_cli)


def configure_scheduler(app: Flask) -> None:
    """Housekeeping on a timer in the serving process when RESCUE_SCHEDULER is on (development)."""
    from rescue import scheduler

    scheduler.configure(app)
