"""Time-based one-time codes (TOTP, RFC 6238). A code is accepted once."""
from __future__ import annotations

import time

import pyotp
import segno
from flask import current_app

from rescue.auth.models import User

STEP = 30


def new_secret() -> str:
    return pyotp.random_base32()


def required_for(role: str) -> bool:
    return role in current_app.config["RESCUE_TWO_FACTOR_ROLES"]


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
    if user.totp_last_step is not None and step <= user.totp_last_step:
        return False
    user.totp_last_step = step
    return True
