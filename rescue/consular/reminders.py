"""Reminders: a referral left without an outcome, a follow-up that falls due. Sent once each, by the
scheduled routine (rescue/scheduler.py, or `flask rescue send-reminders` from cron)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from rescue.cases.models import Case
from rescue.clock import utcnow
from rescue.consular.models import OPEN_REFERRAL_STATUSES, FollowUp, Referral
from rescue.extensions import db
from rescue.inbox import notices


def sweep(*, overdue_days: int, today: date, organisation_id: int | None = None,
          mission_id: int | None = None) -> int:
    """Remind once about each referral without an outcome after `overdue_days`, and each follow-up that
    falls due. Narrowed to one organisation or one mission when the inbox of someone there is opened."""
    cutoff = utcnow() - timedelta(days=overdue_days)
    query = select(Referral).where(Referral.status.in_(OPEN_REFERRAL_STATUSES), Referral.referred_at < cutoff,
                                   Referral.overdue_notified_at.is_(None))
    if mission_id is not None:
        query = query.where(Referral.mission_id == mission_id)
    if organisation_id is not None:
        query = query.join(Case, Case.id == Referral.case_id).where(Case.organisation_id == organisation_id)
    sent = 0
    for referral in db.session.scalars(query.limit(500)):
        case = referral.case
        recipients = [*notices.organisation_people(case), *notices.mission_officers(referral.mission_id)]
        sent += notices.send("referral_overdue", recipients, case=case, referral=referral)
        referral.overdue_notified_at = utcnow()
    if mission_id is not None:
        return sent  # follow-ups are the organisation's work
    due = select(FollowUp).where(FollowUp.done_on.is_(None), FollowUp.due_on <= today,
                                 FollowUp.reminded_at.is_(None))
    if organisation_id is not None:
        due = due.join(Case, Case.id == FollowUp.case_id).where(Case.organisation_id == organisation_id)
    for follow_up in db.session.scalars(due.limit(500)):
        case = follow_up.case
        sent += notices.send("follow_up_due", notices.organisation_people(case), case=case)
        follow_up.reminded_at = utcnow()
    return sent
