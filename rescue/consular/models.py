from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.clock import utcnow
from rescue.extensions import db

REFERRAL_STATUSES = ("pending", "information_requested", "confirmed", "rejected", "withdrawn")
TRAVEL_DOCUMENT_KINDS = ("passport_returned", "emergency_travel_document", "laissez_passer")
TRAVEL_DOCUMENT_STATUSES = ("valid", "used", "revoked", "expired")


class Mission(db.Model):
    """An embassy or consulate: the country it represents, in a host country and city."""

    __tablename__ = "mission"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    represents: Mapped[str] = mapped_column(String(3), index=True)
    host_country: Mapped[str] = mapped_column(String(3), index=True)
    city: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(Text)
    phones: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    hours: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[str | None] = mapped_column(String(200))  # space-separated language codes
    contact_persons: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Mission {self.id}>"


class Referral(db.Model):
    """A case sent to a mission for nationality verification and a travel document."""

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint(f"status IN {REFERRAL_STATUSES!r}", name="status"),
        Index("ix_referral_mission_status", "mission_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id"))
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    referred_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(32), default="pending")
    outcome_at: Mapped[datetime | None]
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    evidence: Mapped[str | None] = mapped_column(String(64))  # passport_copy, civil_registry, interview
    reason: Mapped[str | None] = mapped_column(Text)

    mission: Mapped[Mission] = relationship()
    messages: Mapped[list[ReferralMessage]] = relationship(
        back_populates="referral", order_by="ReferralMessage.id", cascade="all, delete-orphan"
    )


class ReferralMessage(db.Model):
    __tablename__ = "referral_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(Text)

    referral: Mapped[Referral] = relationship(back_populates="messages")


class TravelDocument(db.Model):
    """A passport returned, an emergency travel document or a laissez-passer."""

    __tablename__ = "travel_document"
    __table_args__ = (
        CheckConstraint(f"kind IN {TRAVEL_DOCUMENT_KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {TRAVEL_DOCUMENT_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"))
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(32), index=True)
    issued_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    route: Mapped[str | None] = mapped_column(Text)
    transit_points: Mapped[str | None] = mapped_column(Text)
    mrz: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="valid")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mission: Mapped[Mission | None] = relationship()
