"""Who is signed in on this request: a live user and a live server-side session, or nobody."""
from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from rescue.auth import sessions
from rescue.auth.models import User
from rescue.extensions import db
from rescue.i18n import N_
from rescue.organisations.models import Mission, Organisation

LOGIN_MESSAGE = N_("Please sign in to continue.")

# Pages a user who must change their password may still reach.
_PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "static", "health.healthz"}


def sign_in_refusal(user: User) -> str | None:
    """Why this account may not be signed in at all now, or None. The person is only ever told that the
    email or the password is not right; the audit trail keeps the reason."""
    if not user.active:
        return "account_deactivated"
    if user.organisation_id is not None:
        organisation = db.session.get(Organisation, user.organisation_id)
        if organisation is not None and not organisation.active:
            return "organisation_deactivated"
    if user.mission_id is not None:
        mission = db.session.get(Mission, user.mission_id)
        if mission is not None and not mission.active:
            return "mission_deactivated"
    return None


def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None:
        return None
    refusal = sign_in_refusal(user)
    if refusal is not None:
        # Deactivation ends sessions at once; this also ends one that slipped through, so reactivating
        # the organisation or the mission later does not bring it back.
        sessions.end_current(refusal)
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
