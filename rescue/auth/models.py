from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.auth.roles import CONSULAR, NGO_ROLES, ROLES
from rescue.clock import utcnow
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationships' types only; the mapper resolves them by name
    from rescue.organisations.models import Mission, Organisation



class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role"),
        # NGO staff belong to an organisation; consular officers to a mission.
        CheckConstraint(
            f"(role NOT IN {NGO_ROLES!r} OR organisation_id IS NOT NULL)"
            f" AND (role <> '{CONSULAR.value}' OR mission_id IS NOT NULL)",
            name="affiliation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The two-factor key, sealed with the app's encryption key; read and set it as `totp_secret`.
    totp_secret_sealed: Mapped[str | None] = mapped_column(String(255))
    # A key kept in clear before keys were sealed (column "totp_secret"): emptied when it is sealed.
    totp_secret_plain: Mapped[str | None] = mapped_column("totp_secret", String(64))
    totp_last_step: Mapped[int | None]  # the last accepted time step: a code is accepted once
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    mission: Mapped[Mission | None] = relationship()

    @property
    def totp_secret(self) -> str | None:
        from rescue.auth import two_factor

        return two_factor.read_secret(self)

    @totp_secret.setter
    def totp_secret(self, secret: str | None) -> None:
        from rescue.auth import two_factor

        two_factor.store_secret(self, secret)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)

    @property
    def label(self) -> str:
        return self.display_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserSession(db.Model):
    """A signed-in session, known to the server so it can be ended from anywhere."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(64))
    # When the user last proved who they are again (password, and code if enrolled) in this session:
    # exports, erasure and role changes need it to be recent.
    reauthenticated_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app when the phone is lost. Only a hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
