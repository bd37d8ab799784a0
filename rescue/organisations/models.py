from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from rescue.clock import utcnow
from rescue.extensions import db

ORGANISATION_KINDS = ("ngo", "shelter", "police", "receiving_agency")


class Organisation(db.Model):
    """An NGO, a shelter, a police unit or a receiving agency."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="ngo")
    country: Mapped[str | None] = mapped_column(String(3))
    caseworkers_may_refer: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"
