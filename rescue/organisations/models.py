from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
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
