"""Error pages in the user's language."""
from __future__ import annotations

import traceback

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from rescue.extensions import db


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        403: (_("Not allowed"), _("You do not have permission to see this page. If you need it, ask your coordinator.")),
        404: (_("Not found"), _("There is no page at this address. Check the address, or go back.")),
        405: (_("Not allowed"), _("This page cannot be used this way.")),
        413: (_("Too large"), _("The file or form you sent is too large.")),
        429: (_("Too many attempts"), _("Too many attempts. Wait a few minutes, then try again.")),
        500: (_("Something went wrong"), _("Something went wrong on our side. Nothing you typed was saved. Try again in a moment.")),
    }


def render_error(code: int, detail: str | None = None):
    title, message = _messages().get(code, _messages()[500])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("This form has expired or was sent from another site. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in _messages():
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.error("Unhandled error on %s %s (user %s)\n%s", request.method, request.path, _user_id(),
                         describe(error))
        try:
            return render_error(500)
        except Exception:  # noqa: BLE001 - the error page itself failed (the database may be down)
            db.session.rollback()
            return _plain_server_error()


def _plain_server_error():
    try:
        message = _messages()[500][1]
    except Exception:  # noqa: BLE001 - not even the translations could be read
        message = "500"
    return message, 500, {"Content-Type": "text/plain; charset=utf-8"}


def _user_id():
    from flask_login import current_user

    try:
        return current_user.get_id() if current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - loading the user is what failed
        return None


def describe(error: BaseException) -> str:
    """What an operator needs to find a failure, and nothing a person typed or the database holds: where
    each exception of the chain was raised and its kind, with the database's error code and constraint,
    but never an exception's message (a database error quotes the values it refused)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for exception in reversed(chain):
        if parts:
            parts.append("The above exception led to:")
        parts.append("Traceback (most recent call last):")
        frames = traceback.extract_tb(exception.__traceback__)
        parts.extend(line.rstrip("\n") for line in traceback.format_list(frames))
        parts.append(_kind(exception))
    return "\n".join(parts)


def _kind(exception: BaseException) -> str:
    kind = f"{type(exception).__module__}.{type(exception).__qualname__}"
    details = []
    original = getattr(exception, "orig", None) or exception
    code = getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
    if code:
        details.append(f"code {code}")
    diagnostics = getattr(original, "diag", None)
    for label in ("table_name", "column_name", "constraint_name"):
        value = getattr(diagnostics, label, None)
        if value:
            details.append(f"{label.split('_')[0]} {value}")
    return kind + (f" ({', '.join(details)})" if details else "")
