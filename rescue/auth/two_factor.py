"""Time-based one-time codes (TOTP, RFC 6238). A code is accepted once."""
from __future__ import annotations

import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from rescue.auth.models import User
from rescue.core import once
from rescue.core.sealing import keyring, open_text, seal_text, text_sealed_with
from rescue.extensions import db
from rescue.organisations.models import Organisation

STEP = 30


def new_secret() -> str:
    return pyotp.random_base32()


def required_for(user: User) -> bool:
    """Whether this account must sign in with a second factor: by its role, and for everyone at a
    receiving agency (they confirm arrivals and read the people's journey)."""
    if user.role in current_app.config["RESCUE_TWO_FACTOR_ROLES"]:
        return True
    if user.organisation_id is None:
        return False
    organisation = db.session.get(Organisation, user.organisation_id)
    return organisation is not None and organisation.kind == "receiving_agency"


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=current_app.config["RESCUE_TOTP_ISSUER"])


def qr_svg_data_uri(uri: str) -> str:
    """The enrolment QR code, drawn by the app (no third-party service sees the secret)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), or None if it matches none."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = at if at is not None else time.time()
    current = int(now // STEP)
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP), code):
            return step
    return None


def accept(user: User, code: str, *, secret: str | None = None) -> bool:
    """Check a code for `user` and remember its step, so the same code cannot be used twice."""
    step = matching_step(secret or user.totp_secret or "", code)
    if step is None:
        return False
    # One atomic write decides: of parallel sign-ins with the same code, one moves the step on and wins.
    won = once.claim(update(User).where(
        User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step)).values(totp_last_step=step))
    if won:
        set_committed_value(user, "totp_last_step", step)
    return won


# The two-factor key is sealed at rest with the app's encryption key (RESCUE_ENCRYPTION_KEY; the keys of
# RESCUE_ENCRYPTION_OLD_KEYS still open older ones). `User.totp_secret` reads and sets it through these.
SECRET_PURPOSE = b"rescue two-factor secret"


def store_secret(user: User, secret: str | None) -> None:
    """Keep `secret` sealed on `user` (None removes it); the caller commits."""
    user.totp_secret_sealed = seal_text(keyring(), secret, SECRET_PURPOSE) if secret else None
    user.totp_secret_plain = None


def read_secret(user: User) -> str | None:
    """The user's two-factor key. A key still kept in clear (written before keys were sealed) is sealed
    the first time it is read; the request's commit saves it (`rescue rotate-encryption-key` seals all)."""
    if user.totp_secret_sealed:
        return open_text(keyring(), user.totp_secret_sealed, SECRET_PURPOSE)
    secret = user.totp_secret_plain
    if secret:
        store_secret(user, secret)
    return secret or None


def reseal_secrets(*, only_plain: bool = False) -> int:
    """Seal every two-factor key kept in clear, or (unless `only_plain`) sealed with an older key, with the
    current key, and commit. Old keys must still be configured while this runs; it can be run again safely."""
    current = keyring().current_id
    resealed = 0
    for user in db.session.scalars(select(User).where(or_(
            User.totp_secret_plain.is_not(None), User.totp_secret_sealed.is_not(None))).order_by(User.id)):
        if user.totp_secret_sealed and user.totp_secret_plain is None \
                and (only_plain or text_sealed_with(user.totp_secret_sealed) == current):
            continue
        store_secret(user, read_secret(user))
        resealed += 1
    db.session.commit()
    return resealed
