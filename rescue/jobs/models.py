from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.clock import utcnow
from rescue.core.terms import N_, Term
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationships' types only; the mapper resolves them by name
    from rescue.auth.models import User


class JobStatus(Term):
    QUEUED = "queued", N_("Waiting to start")
    RUNNING = "running", N_("Printing")
    DONE = "done", N_("Ready to download")
    FAILED = "failed", N_("Nothing could be printed")
    CANCELLING = "cancelling", N_("Stopping")
    CANCELLED = "cancelled", N_("Cancelled")


JOB_STATUSES = JobStatus.values()
PRINT_KINDS = ("packet", "roll")
OUTPUTS = ("pdf", "zip")


class PrintJob(db.Model):
    """A batch of documents printed in the background. Its progress lives here, so the page that
    shows it survives a reload, and another process (an RQ worker) can do the work."""

    __tablename__ = "print_job"
    __table_args__ = (
        CheckConstraint(JobStatus.sql_in("status"), name="status"),
        Index("ix_print_job_organisation_created", "organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(16))          # packet, roll
    recipient: Mapped[str] = mapped_column(String(16))     # full, shelter, consulate
    language: Mapped[str] = mapped_column(String(16))
    output: Mapped[str] = mapped_column(String(8))         # pdf, zip
    case_ids: Mapped[list] = mapped_column(db.JSON)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failures: Mapped[list] = mapped_column(db.JSON, default=list)  # [{"case": number, "reason": code}]
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    result_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    requested_by: Mapped[User] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)
