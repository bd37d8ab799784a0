"""Recovery codes: ten one-time codes, shown once, that stand in for a lost authenticator app."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, func, select, update

from rescue.auth.models import RecoveryCode, User
from rescue.clock import utcnow
from rescue.core import once
from rescue.extensions import db

COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("ascii", "ignore")).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return any(ch.isalpha() for ch in (code or ""))


def generate(user: User) -> list[str]:
    """New codes for `user`, replacing any left. The caller shows them once and commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def use(user: User, code: str) -> bool:
    """Accept an unused code of this user once."""
    if len(_normalise(code)) != 10:
        return False
    # One atomic write decides: of parallel sign-ins with the same code, one marks it used and wins.
    return once.claim(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()))


def remaining(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def discard(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
