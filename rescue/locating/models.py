from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.clock import utcnow
from rescue.core.terms import N_, Term
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationships' types only; the mapper resolves them by name
    from rescue.operations.models import Site


SOURCES = ("relative", "hotline", "self", "ngo", "police", "other")
RELIABILITY = ("confirmed", "likely", "unconfirmed")
class ReportStatus(Term):
    OPEN = "open", N_("Still held")
    RESCUED = "rescued", N_("Rescued")
    CLOSED = "closed", N_("Closed")


REPORT_STATUSES = ReportStatus.values()


class Report(db.Model):
    """Someone says a person is held: who said so, where, how to reach the person safely."""

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint(f"source IN {SOURCES!r}", name="source"),
        CheckConstraint(f"reliability IN {RELIABILITY!r}", name="reliability"),
        CheckConstraint(ReportStatus.sql_in("status"), name="status"),
        Index("ix_report_organisation_status", "organisation_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.OPEN.value)
    source: Mapped[str] = mapped_column(String(16))
    reliability: Mapped[str] = mapped_column(String(16), default="unconfirmed")
    reporter_contact: Mapped[str | None] = mapped_column(Text)
    family_name: Mapped[str | None] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200))
    native_name: Mapped[str | None] = mapped_column(String(300))
    sex: Mapped[str] = mapped_column(String(1), default="U")
    approximate_age: Mapped[int | None] = mapped_column(Integer)
    nationality: Mapped[str | None] = mapped_column(String(3))
    last_known_location: Mapped[str | None] = mapped_column(Text)
    safe_contact: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    site: Mapped[Site | None] = relationship()
