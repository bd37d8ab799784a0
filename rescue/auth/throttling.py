"""Sign-in throttling (failed attempts only, per account and per address) and the one rule for where a
sign-in may send the browser next: shared by the sign-in pages and the re-authentication page."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import current_app, g, request, session

from rescue.audit import trail
from rescue.extensions import db, limiter

PENDING_KEY = "pending_login"  # the session's sign-in waiting for its second step


# Throttling counts failed attempts only, per account and per address.
def _attempt_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _account_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    pending = session.get(PENDING_KEY) or {}
    subject = email or f"user:{pending.get('user_id')}"
    return "account:" + hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]


def _throttled(limit) -> None:
    trail.record("login.throttled", outcome="refused", address=request.remote_addr,
                 detail={"limit": str(limit.limit)})
    db.session.commit()


def _address_limit():
    return current_app.config["RESCUE_LOGIN_LIMIT_ADDRESS"]


def _account_limit():
    return current_app.config["RESCUE_LOGIN_LIMIT_ACCOUNT"]


def throttled(view):
    view = limiter.limit(_address_limit, methods=["POST"], deduct_when=_attempt_failed,
                         scope="login-address", on_breach=_throttled)(view)
    return limiter.limit(_account_limit, key_func=_account_key, methods=["POST"],
                         deduct_when=_attempt_failed, scope="login-account", on_breach=_throttled)(view)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site; never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
