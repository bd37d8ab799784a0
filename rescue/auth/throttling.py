"""Sign-in throttling (per account and per address, counted before anything is checked) and the one rule for
where a sign-in may send the browser next: shared by the sign-in pages and the re-authentication page."""
from __future__ import annotations

import hashlib
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, request, session
from flask_login import current_user
from limits import RateLimitItem, parse

from rescue.audit import trail
from rescue.extensions import db, limiter

PENDING_KEY = "pending_login"  # the session's sign-in waiting for its second step


# Every sign-in step (password, code, enrolment, confirming identity again) is throttled per account and per
# address. An attempt is counted atomically BEFORE the password or code is checked, so a burst of parallel
# guesses gets no more checks than the limit; an attempt that succeeds (or was not one: an empty form) is given
# back afterwards, so people signing in are never held up by their own successes. The account is the one being
# signed into: the email typed on the first step, then the server-side pending sign-in or the signed-in user,
# never a field an attacker can add to the form.
def _account_subject() -> str:
    if request.endpoint == "auth.login":
        subject = "email:" + (request.form.get("email") or "").strip().lower()
    elif request.endpoint == "auth.security.reauthenticate" and current_user.is_authenticated:
        subject = f"user:{current_user.id}"
    else:
        subject = f"user:{(session.get(PENDING_KEY) or {}).get('user_id')}"
    return "account:" + hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]


def _address_subject() -> str:
    return "address:" + hashlib.sha256((request.remote_addr or "").encode("utf-8")).hexdigest()[:32]


def _counters() -> list[tuple[str, RateLimitItem]]:
    return [(_account_subject(), parse(current_app.config["RESCUE_LOGIN_LIMIT_ACCOUNT"])),
            (_address_subject(), parse(current_app.config["RESCUE_LOGIN_LIMIT_ADDRESS"]))]


def _key(subject: str, limit: RateLimitItem) -> str:
    return f"rescue/sign-in/{subject}/{limit.get_expiry()}"


def _refuse() -> None:
    trail.record("login.throttled", outcome="refused", address=request.remote_addr)
    db.session.commit()
    abort(429)


def throttled(view):
    @wraps(view)
    def counted(*args, **kwargs):
        storage = limiter.storage if current_app.config.get("RATELIMIT_ENABLED", True) else None
        if request.method != "POST" or storage is None:
            return view(*args, **kwargs)
        counted_in: list[tuple[str, RateLimitItem]] = []
        for subject, limit in _counters():
            count = storage.incr(_key(subject, limit), limit.get_expiry())
            counted_in.append((subject, limit))
            if count > limit.amount:
                _refuse()
        response = view(*args, **kwargs)
        if not g.get("login_failed"):
            for subject, limit in counted_in:
                storage.incr(_key(subject, limit), limit.get_expiry(), amount=-1)
        return response

    return counted


def safe_next(target: str | None) -> str | None:
    """Only a path on this site; never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
