"""Re-authentication: exports, erasure and changes of rights need a sign-in (or a fresh proof of it)
within the last few minutes, so an unattended session cannot do them."""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from rescue.auth import sessions
from rescue.clock import utcnow


def is_fresh() -> bool:
    if not current_user.is_authenticated:
        return False
    record = sessions.current_record(current_user.id)
    if record is None:
        return False
    proven = max(record.created_at, record.reauthenticated_at or record.created_at)
    window = timedelta(minutes=current_app.config["RESCUE_REAUTH_MINUTES"])
    return utcnow() - proven <= window


def mark_fresh() -> None:
    record = sessions.current_record(current_user.id)
    if record is not None:
        record.reauthenticated_at = utcnow()


def requires_recent_sign_in(return_to=None):
    """Send the user to confirm who they are first. After a POST, they come back to `return_to`
    (a callable giving the page the form was on), never to the POST itself."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not is_fresh():
                flash(_("For your safety, confirm it is you before you go on."), "info")
                target = request.full_path.rstrip("?") if request.method == "GET" else (
                    return_to(**kwargs) if return_to else url_for("auth.home"))
                return redirect(url_for("auth.security.reauthenticate", next=target))
            return view(*args, **kwargs)

        return wrapper

    return decorate
