"""A case and the person it is about: names in several scripts, date of birth with unknown parts,
nationalities, languages; and what hangs off a case: timeline, consents, attachments."""
from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    extract,
    func,
    or_,
)
from sqlalchemy import case as when
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.cases.birth import ADULT_AGE, Birth
from rescue.cases.workflow import CaseStatus, ReferralStatus
from rescue.clock import utcnow
from rescue.core.terms import N_, Term
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationships' types only; the mapper resolves them by name
    from rescue.auth.models import User
    from rescue.consular.models import FollowUp, Referral, RepatriationPlan, TravelDocument
    from rescue.organisations.models import Mission, Organisation


SEXES = ("F", "M", "X", "U")  # female, male, unspecified (ICAO X), unknown


class ConsentPurpose(Term):
    PROCESSING = "processing", N_("Processing of personal data")
    INTERVIEW = "interview", N_("Interview")
    SHARING = "sharing", N_("Sharing with a named recipient")
    VOLUNTARY_RETURN = "voluntary_return", N_("Voluntary return")


class ConsentDecision(Term):
    GIVEN = "given", N_("given")
    REFUSED = "refused", N_("refused")
    WITHDRAWN = "withdrawn", N_("withdrawn")


# Consular and receiving readers get photos and identity documents only (policy.TRAVEL_ATTACHMENT_KINDS).
ATTACHMENT_KINDS = ("photo", "identity_document", "scan", "other")
# A passport-style photo (35 x 45 mm) printed at 300 dots per inch.
TRAVEL_PHOTO_MIN = (413, 531)


class Case(db.Model):
    __tablename__ = "case"
    __table_args__ = (
        CheckConstraint(CaseStatus.sql_in("status"), name="status"),
        CheckConstraint(f"sex IN {SEXES!r}", name="sex"),
        CheckConstraint("birth_month IS NULL OR (birth_month BETWEEN 1 AND 12)", name="birth_month"),
        CheckConstraint("birth_day IS NULL OR (birth_day BETWEEN 1 AND 31)", name="birth_day"),
        CheckConstraint("approximate_age IS NULL OR (approximate_age BETWEEN 0 AND 120)", name="approximate_age"),
        Index("ix_case_organisation_status", "organisation_id", "status", "id"),
        Index("ix_case_assigned_status", "assigned_to_id", "status"),
        Index("ix_case_organisation_id_id", "organisation_id", "id"),
        Index("ix_case_assigned_to_id_id", "assigned_to_id", "id"),
        Index("ix_case_organisation_waiting", "organisation_id", "status_changed_at", "id"),
        Index("ix_case_operation_tag", "operation_tag"),  # the number given on the day, searched as typed
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(32), default="reported")
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operation.id"), index=True)
    operation_tag: Mapped[str | None] = mapped_column(String(32))  # wristband or list number given on the day
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)

    # The person. Names as written in their own script, and in Latin letters as on their documents.
    family_name: Mapped[str | None] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200))
    native_name: Mapped[str | None] = mapped_column(String(300))
    native_script: Mapped[str | None] = mapped_column(String(4))  # ISO 15924, e.g. Khmr, Mymr, Arab
    name_key: Mapped[str | None] = mapped_column(Text)  # derived: normalised Latin forms of every name, for search
    sex: Mapped[str] = mapped_column(String(1), default="U")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    birth_month: Mapped[int | None] = mapped_column(Integer)
    birth_day: Mapped[int | None] = mapped_column(Integer)
    approximate_age: Mapped[int | None] = mapped_column(Integer)
    age_assessed_on: Mapped[date | None]
    place_of_birth: Mapped[str | None] = mapped_column(String(200))
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(String(64))

    next_of_kin: Mapped[str | None] = mapped_column(Text)
    next_of_kin_shareable: Mapped[bool] = mapped_column(default=False)  # the person agreed to share it

    # The situation: how the person was recruited and exploited, what they need, what threatens them.
    recruitment_channel: Mapped[str | None] = mapped_column(String(32))
    recruitment_details: Mapped[str | None] = mapped_column(Text)  # job offer, recruiter, route, debt
    exploitation: Mapped[str | None] = mapped_column(String(32))
    pregnant: Mapped[bool] = mapped_column(default=False)
    medical_needs: Mapped[bool] = mapped_column(default=False)
    disability: Mapped[bool] = mapped_column(default=False)
    needs: Mapped[str | None] = mapped_column(Text)
    risk_level: Mapped[str | None] = mapped_column(String(16))
    risk_notes: Mapped[str | None] = mapped_column(Text)
    legal_status: Mapped[str | None] = mapped_column(String(32))
    legal_notes: Mapped[str | None] = mapped_column(Text)

    found_country: Mapped[str | None] = mapped_column(String(3))
    found_city: Mapped[str | None] = mapped_column(String(120))
    rescued_on: Mapped[date | None]

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    anonymised_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: a second writer on a stale copy gets a conflict, never a silent overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    aliases: Mapped[list[CaseAlias]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAlias.id"
    )
    nationalities: Mapped[list[CaseNationality]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNationality.position"
    )
    languages: Mapped[list[CaseLanguage]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseLanguage.position"
    )
    timeline: Mapped[list[TimelineEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="TimelineEvent.id"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Consent.id"
    )
    referrals: Mapped[list[Referral]] = relationship(cascade="all, delete-orphan", order_by="Referral.id",
                             back_populates="case")
    plan: Mapped[RepatriationPlan | None] = relationship(cascade="all, delete-orphan")
    follow_ups: Mapped[list[FollowUp]] = relationship(cascade="all, delete-orphan", order_by="FollowUp.due_on",
                              back_populates="case")
    travel_documents: Mapped[list[TravelDocument]] = relationship(cascade="all, delete-orphan",
                                                                  order_by="TravelDocument.id")
    identity_documents: Mapped[list[IdentityDocument]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="IdentityDocument.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    organisation: Mapped[Organisation] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])

    @property
    def birth(self) -> Birth:
        return Birth(self.birth_year, self.birth_month, self.birth_day, self.approximate_age, self.age_assessed_on)

    @hybrid_method
    def possibly_minor_on(self, today: date) -> bool:
        """"Possibly a minor": younger than 18 on `today` by the date of birth (unknown parts taken as late as
        they could be, so no one is aged up), or by the age assessed when no year of birth is known. The one
        rule behind the list filter, the headcounts, the dashboard, the badges and the documents."""
        return self.birth.is_minor(today) is True

    @possibly_minor_on.expression
    def possibly_minor_on(cls, today: date) -> ColumnElement[bool]:  # noqa: N805 (the class, for SQL)
        # Born in the year that turns 18 this year: still a minor until the birthday, late parts assumed.
        month = func.coalesce(cls.birth_month, 12)
        last_day = calendar.monthrange(today.year - ADULT_AGE, today.month)[1]
        before_birthday = or_(month > today.month,
                              and_(month == today.month, func.coalesce(cls.birth_day, last_day) > today.day))
        by_birth = or_(cls.birth_year > today.year - ADULT_AGE,
                       and_(cls.birth_year == today.year - ADULT_AGE, before_birthday))
        assessed_year = extract("year", cls.age_assessed_on)
        years_since = when((cls.age_assessed_on.is_(None), 0), (assessed_year > today.year, 0),
                           else_=today.year - assessed_year)
        by_age = and_(cls.birth_year.is_(None), cls.approximate_age.is_not(None),
                      cls.approximate_age + years_since < ADULT_AGE)
        return or_(and_(cls.birth_year.is_not(None), by_birth), by_age)

    @property
    def referred_mission_ids(self) -> set[int]:
        """Missions with a live referral of this case: they may see it. A withdrawn referral (consent to
        share ended) or a rejected one (the mission did not recognise the person) gives no access to the
        case; the SQL twin is rescue/cases/queries.py visible_cases."""
        return {r.mission_id for r in self.referrals if r.status not in (ReferralStatus.WITHDRAWN, ReferralStatus.REJECTED)}

    @property
    def confirming_mission_ids(self) -> set[int]:
        """Missions that confirmed the person's nationality: they issue the travel document and confirm the
        arrival. The SQL twin is rescue/consular/scopes.py _confirming."""
        return {r.mission_id for r in self.referrals if r.status == ReferralStatus.CONFIRMED}

    @property
    def receiving_organisation_id(self) -> int | None:
        """The receiving agency named in the repatriation plan, once the person's consent to share with it
        is in force: it may see the receiving view and confirm the arrival. None otherwise."""
        agency = self.plan.receiving_agency_id if self.plan else None
        if agency is None:
            return None
        consent = Consent.in_force(self.consents, "sharing", organisation_id=agency)
        return agency if consent is not None and consent.decision == "given" else None

    def __repr__(self) -> str:
        return f"<Case {self.id}>"


class CaseAlias(db.Model):
    """Another name the person is known by, in any script."""

    __tablename__ = "case_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    script: Mapped[str | None] = mapped_column(String(4))

    case: Mapped[Case] = relationship(back_populates="aliases")


class CaseNationality(db.Model):
    """ISO 3166-1 alpha-3, or ICAO's XXA (stateless), XXB/XXC (refugee), XXX (unspecified)."""

    __tablename__ = "case_nationality"
    __table_args__ = (UniqueConstraint("case_id", "country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(3), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="nationalities")


class CaseLanguage(db.Model):
    """A language the person speaks (BCP 47 code)."""

    __tablename__ = "case_language"
    __table_args__ = (UniqueConstraint("case_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="languages")


class TimelineEvent(db.Model):
    """Every status change, note, assessment, referral message and document generated. Never edited."""

    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # status_change, note, assessment, referral, document, created
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="timeline")
    # Loaded with the events in one query: a timeline with thirty authors costs one query, not thirty.
    actor: Mapped[User | None] = relationship(lazy="selectin")


class Consent(db.Model):
    """What the person agreed to (or refused, or withdrew), when, in which language, before whom.
    Consent to share names one recipient: a mission, a receiving agency, or another recipient described."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(ConsentPurpose.sql_in("purpose"), name="purpose"),
        CheckConstraint(ConsentDecision.sql_in("decision"), name="decision"),
        CheckConstraint("recipient_mission_id IS NULL OR recipient_organisation_id IS NULL", name="one_recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))
    recipient_mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"))
    recipient_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    recipient_description: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(16))
    interpreter: Mapped[str | None] = mapped_column(String(200))
    witness: Mapped[str | None] = mapped_column(String(200))
    given_on: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    recipient_mission: Mapped[Mission | None] = relationship(lazy="selectin")
    recipient_organisation: Mapped[Organisation | None] = relationship(lazy="selectin")
    case: Mapped[Case] = relationship(back_populates="consents")

    @staticmethod
    def order(consent: Consent) -> tuple:
        """Oldest first; one not yet saved is the newest."""
        return (consent.recorded_at is None, consent.recorded_at or datetime.min, consent.id or 0)

    @staticmethod
    def in_force(consents, purpose: str, *, mission_id: int | None = None,
                 organisation_id: int | None = None) -> Consent | None:
        """The consent in force for a purpose and a recipient: the latest one recorded for them."""
        return max((c for c in consents if c.purpose == purpose and c.recipient_mission_id == mission_id
                    and c.recipient_organisation_id == organisation_id), key=Consent.order, default=None)


class Attachment(db.Model):
    """A photo or a scan. The bytes live encrypted outside static/; this row describes them."""

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint(f"kind IN {ATTACHMENT_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str | None] = mapped_column(String(16))  # which encryption key sealed the bytes
    width: Mapped[int | None] = mapped_column(Integer)  # pixels, for pictures
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="attachments")

    @property
    def usable_for_travel_document(self) -> bool:
        """A photo large enough for a travel document's portrait (TRAVEL_PHOTO_MIN pixels or more)."""
        return bool(self.kind == "photo" and self.width and self.height
                    and self.width >= TRAVEL_PHOTO_MIN[0] and self.height >= TRAVEL_PHOTO_MIN[1])


IDENTITY_DOCUMENT_KINDS = ("passport", "national_id", "birth_certificate", "other")
IDENTITY_DOCUMENT_STATUSES = ("held", "confiscated", "lost")


class IdentityDocument(db.Model):
    """A document the person has, had taken from them, or lost: what consulates verify nationality with."""

    __tablename__ = "identity_document"
    __table_args__ = (
        CheckConstraint(f"kind IN {IDENTITY_DOCUMENT_KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {IDENTITY_DOCUMENT_STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    number: Mapped[str | None] = mapped_column(String(64), index=True)
    issuing_country: Mapped[str | None] = mapped_column(String(3))
    expires_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="identity_documents")
