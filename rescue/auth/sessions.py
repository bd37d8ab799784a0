"""Server-side session records: every sign-in is a row the server can end (logout, password change,
deactivation, idle timeout, absolute lifetime). The browser's cookie carries only a random token."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request, session
from sqlalchemy import select, update

from rescue.auth.models import User, UserSession
from rescue.clock import utcnow
from rescue.extensions import db

SESSION_KEY = "sid"
TOUCH_EVERY = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start(user: User) -> UserSession:
    """A fresh session for `user`: whatever the browser carried before is dropped (no fixation)."""
    keep_lang = session.get("lang")
    session.clear()
    if keep_lang:
        session["lang"] = keep_lang
    token = secrets.token_urlsafe(32)
    record = UserSession(user_id=user.id, token_hash=_digest(token), address=request.remote_addr)
    db.session.add(record)
    session[SESSION_KEY] = token
    session.permanent = True
    return record


def current_record(user_id: int) -> UserSession | None:
    """The live session record behind this request, or None when it has ended or expired."""
    token = session.get(SESSION_KEY)
    if not token or not isinstance(token, str):
        return None
    record = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if record is None or record.user_id != user_id or record.ended_at is not None:
        return None
    now = utcnow()
    cfg = current_app.config
    if now - record.last_seen_at > timedelta(minutes=cfg["RESCUE_SESSION_IDLE_MINUTES"]):
        _end(record, "idle")
        return None
    if now - record.created_at > timedelta(hours=cfg["RESCUE_SESSION_MAX_HOURS"]):
        _end(record, "expired")
        return None
    if now - record.last_seen_at > TOUCH_EVERY:
        record.last_seen_at = now
        db.session.commit()
    return record


def _end(record: UserSession, reason: str) -> None:
    record.ended_at = utcnow()
    record.end_reason = reason
    db.session.commit()


def end_all(user_id: int, reason: str) -> int:
    """End every session of a user, on every device. The caller commits."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount or 0


def end_for_members(*, reason: str, organisation_id: int | None = None, mission_id: int | None = None) -> int:
    """End every session of every account of an organisation or a mission, on every device, at once
    (the organisation or the mission was deactivated). The caller commits."""
    members = select(User.id)
    if organisation_id is not None:
        members = members.where(User.organisation_id == organisation_id)
    elif mission_id is not None:
        members = members.where(User.mission_id == mission_id)
    else:
        return 0
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id.in_(members), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def end_current(reason: str) -> None:
    """End the session record behind this request, if it is still live, so it cannot come back later."""
    token = session.get(SESSION_KEY)
    if not token or not isinstance(token, str):
        return
    record = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if record is not None and record.ended_at is None:
        _end(record, reason)


def active_sessions(user_id: int) -> list[UserSession]:
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )
