from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.cases.workflow import ReferralStatus, TravelDocumentStatus
from rescue.clock import utcnow
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationships' types only; the mapper resolves them by name
    from rescue.auth.models import User
    from rescue.cases.models import Case
    from rescue.organisations.models import Mission, Organisation


REFERRAL_STATUSES = ReferralStatus.values()
OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.INFORMATION_REQUESTED)
# A referral that gives its mission no more access to the case: consent to share was withdrawn, or the
# mission did not recognise the person (it keeps its decision, on the referral's own page).
ENDED_REFERRAL_STATUSES = (ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN)
EVIDENCE_KINDS = ("passport_copy", "civil_registry", "interview")
TRAVEL_DOCUMENT_KINDS = ("passport_returned", "emergency_travel_document", "laissez_passer")
TRAVEL_DOCUMENT_STATUSES = TravelDocumentStatus.values()


class Referral(db.Model):
    """A case sent to a mission for nationality verification and a travel document."""

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint(ReferralStatus.sql_in("status"), name="status"),
        Index("ix_referral_mission_status", "mission_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id"))
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    referred_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(32), default=ReferralStatus.PENDING.value)
    outcome_at: Mapped[datetime | None]
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    evidence: Mapped[str | None] = mapped_column(String(64))  # passport_copy, civil_registry, interview
    reason: Mapped[str | None] = mapped_column(Text)
    photo_reason: Mapped[str | None] = mapped_column(Text)  # why no photo could be sent
    overdue_notified_at: Mapped[datetime | None]

    mission: Mapped[Mission] = relationship()
    case: Mapped[Case] = relationship(back_populates="referrals")
    referred_by: Mapped[User | None] = relationship(foreign_keys=[referred_by_id])
    messages: Mapped[list[ReferralMessage]] = relationship(
        back_populates="referral", order_by="ReferralMessage.id", cascade="all, delete-orphan"
    )

    # What the policy reads: a referral is reached through its case, and a mission sees only its own,
    # its decision included once rejected, but nothing once withdrawn (consent to share ended).
    @property
    def organisation_id(self) -> int:
        return self.case.organisation_id

    @property
    def assigned_to_id(self) -> int | None:
        return self.case.assigned_to_id

    @property
    def referred_mission_ids(self) -> set[int]:
        return set() if self.status == ReferralStatus.WITHDRAWN else {self.mission_id}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES


class ReferralMessage(db.Model):
    __tablename__ = "referral_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(Text)

    referral: Mapped[Referral] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(lazy="selectin")


class TravelDocument(db.Model):
    """A passport returned, an emergency travel document or a laissez-passer."""

    __tablename__ = "travel_document"
    __table_args__ = (
        CheckConstraint(f"kind IN {TRAVEL_DOCUMENT_KINDS!r}", name="kind"),
        CheckConstraint(TravelDocumentStatus.sql_in("status"), name="status"),
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
    # For a document the mission issued here: what it shows of the holder, as issued (names as printed,
    # date of birth, sex, nationality), so a reprint and the verification page match the paper.
    holder: Mapped[dict | None] = mapped_column(db.JSON)
    status: Mapped[str] = mapped_column(String(16), default=TravelDocumentStatus.VALID.value)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mission: Mapped[Mission | None] = relationship()
    issued_by: Mapped[User | None] = relationship()


class RepatriationPlan(db.Model):
    """How a person goes home: fitness to travel, exit clearance, booking, escort and who receives them,
    then the confirmations of departure and arrival."""

    __tablename__ = "repatriation_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), unique=True)
    fit_to_travel_on: Mapped[date | None]
    fit_to_travel_clinician: Mapped[str | None] = mapped_column(String(200))
    fit_to_travel_conditions: Mapped[str | None] = mapped_column(Text)
    escort_needed: Mapped[bool] = mapped_column(default=False)
    exit_clearance_on: Mapped[date | None]
    exit_clearance_reference: Mapped[str | None] = mapped_column(String(100))
    flights: Mapped[str | None] = mapped_column(Text)
    departure_on: Mapped[date | None]
    escort: Mapped[str | None] = mapped_column(String(200))
    receiving_agency_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    receiving_contact: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    departed_at: Mapped[datetime | None]
    departed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    arrived_at: Mapped[datetime | None]
    arrived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Each save checks it: a plan edited from a stale copy is a conflict, never a silent overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    receiving_agency: Mapped[Organisation | None] = relationship()
    departed_by: Mapped[User | None] = relationship(foreign_keys=[departed_by_id])
    arrived_by: Mapped[User | None] = relationship(foreign_keys=[arrived_by_id])

    @property
    def has_fit_to_travel(self) -> bool:
        return self.fit_to_travel_on is not None

    @property
    def has_exit_clearance(self) -> bool:
        return self.exit_clearance_on is not None

    @property
    def has_booking(self) -> bool:
        return bool((self.flights or "").strip()) and self.departure_on is not None


FOLLOW_UP_MONTHS = (3, 6, 12)


class FollowUp(db.Model):
    """A check on the person after return, due 3, 6 and 12 months after arrival."""

    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_due", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    months: Mapped[int]
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    outcome: Mapped[str | None] = mapped_column(String(32))  # reached, not_reached
    note: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="follow_ups")


class NominalRoll(db.Model):
    """A list of a mission's nationals, issued once and kept as it was issued, so it prints again the same."""

    __tablename__ = "nominal_roll"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    mission: Mapped[Mission] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    issued_by: Mapped[User | None] = relationship()
    entries: Mapped[list[NominalRollEntry]] = relationship(
        back_populates="roll", order_by="NominalRollEntry.position", cascade="all, delete-orphan")


class NominalRollEntry(db.Model):
    """One person on a roll: the minimal fields as they were when the roll was issued. Erasing the
    case removes its line."""

    __tablename__ = "nominal_roll_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_id: Mapped[int] = mapped_column(ForeignKey("nominal_roll.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    data: Mapped[dict] = mapped_column(db.JSON)

    roll: Mapped[NominalRoll] = relationship(back_populates="entries")
