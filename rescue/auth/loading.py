"""Who is signed in on this request: a live user and a live server-side session, or nobody."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from rescue.auth import sessions
from rescue.auth.models import User
from rescue.extensions import db
from rescue.i18n import N_

LOGIN_MESSAGE = N_("Please sign in to continue.")

# Pages a user who must change their password may still reach.
_PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "static", "core.healthz"}


def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    if sessions.current_record(user.id) is None:
        return None
    return user


def require_password_change():
    if (
        request.endpoint not in _PASSWORD_CHANGE_ALLOWED
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return redirect(url_for("auth.change_password"))
    return None
