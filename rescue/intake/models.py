"""An intake in progress, before it becomes a case."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.clock import utcnow
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationship's type only; the mapper resolves it by name
    from rescue.auth.models import User


class IntakeDraft(db.Model):
    """An intake in progress: each step is saved here, so closing the browser loses nothing."""

    __tablename__ = "intake_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    step: Mapped[str] = mapped_column(String(32), default="person")
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON of what has been typed so far
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    created_by: Mapped[User] = relationship()
