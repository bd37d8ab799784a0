from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rescue.clock import utcnow
from rescue.extensions import db

if TYPE_CHECKING:  # for the relationships' types only; the mapper resolves them by name
    from rescue.cases.models import Case


NOTICE_KINDS = (
    "referral_received",        # a mission: a case was referred to it
    "information_requested",    # the organisation: the mission asks for more
    "information_sent",         # the mission: the organisation answered
    "nationality_confirmed",    # the organisation
    "nationality_rejected",     # the organisation
    "referral_withdrawn",       # the mission
    "referral_overdue",         # both sides: no outcome after the overdue period
    "travel_document_recorded", # the organisation
    "plan_confirmed",           # the mission and the receiving agency: ready to travel
    "departed",                 # the mission and the receiving agency
    "arrival_confirmed",        # the organisation
    "follow_up_due",            # the organisation's coordinators
    # Changes to an account that reach case contents: the account and the coordinators of its organisation
    # (the other officers of its mission). No case: the notice names the audit entry that records the
    # change, which names the account and the administrator (rescue/inbox/notices.py).
    "account_role_granted",     # given a role that reads cases
    "account_moved",            # moved to another organisation or mission
    "account_password_reset",   # password reset by an administrator
    "account_two_factor_reset", # two-factor sign-in reset by an administrator
)


class Notice(db.Model):
    """One line in a person's inbox. It names the case by its number only, never by the person's name."""

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_recipient_unread", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    case_number: Mapped[str | None] = mapped_column(String(32))
    audit_entry_id: Mapped[int | None] = mapped_column(ForeignKey("audit_entry.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship()
