"""Who hears about what. Each service that changes a referral, a plan or an arrival calls `send`
with the people concerned; reminders for overdue referrals and due follow-ups come from `sweep`,
which the inbox runs when it is opened and operators may run on a schedule."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func, select, update

from rescue.auth.models import User
from rescue.clock import utcnow
from rescue.consular.models import FollowUp, OPEN_REFERRAL_STATUSES, Referral
from rescue.extensions import db
from rescue.inbox.models import NOTICE_KINDS, Notice


def send(kind: str, recipients: Iterable[int | None], *, case=None, referral=None, exclude: int | None = None) -> int:
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice {kind!r}")
    sent = 0
    for recipient in sorted({r for r in recipients if r is not None and r != exclude}):
        db.session.add(Notice(recipient_id=recipient, kind=kind, case_id=case.id if case is not None else None,
                              referral_id=referral.id if referral is not None else None,
                              case_number=case.number if case is not None else None))
        sent += 1
    return sent


def mission_officers(mission_id: int | None) -> list[int]:
    if mission_id is None:
        return []
    return list(db.session.scalars(select(User.id).where(
        User.mission_id == mission_id, User.role == "consular", User.active.is_(True))))


def organisation_people(case, *also: int | None) -> list[int]:
    """The organisation's coordinators, the caseworker the case is assigned to, and anyone named."""
    coordinators = db.session.scalars(select(User.id).where(
        User.organisation_id == case.organisation_id, User.role == "coordinator", User.active.is_(True)))
    return [*coordinators, case.assigned_to_id, *also]


def organisation_members(organisation_id: int | None) -> list[int]:
    """Everyone active at an organisation (a receiving agency, typically)."""
    if organisation_id is None:
        return []
    return list(db.session.scalars(select(User.id).where(
        User.organisation_id == organisation_id, User.role.in_(("coordinator", "caseworker")),
        User.active.is_(True))))


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notice.id)).where(
        Notice.recipient_id == user_id, Notice.read_at.is_(None))) or 0


def mark_read(user_id: int, notice_ids: Iterable[int] | None = None) -> None:
    query = update(Notice).where(Notice.recipient_id == user_id, Notice.read_at.is_(None))
    if notice_ids is not None:
        query = query.where(Notice.id.in_(list(notice_ids)))
    db.session.execute(query.values(read_at=utcnow()))


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
        from rescue.cases.models import Case
        query = query.join(Case, Case.id == Referral.case_id).where(Case.organisation_id == organisation_id)
    sent = 0
    for referral in db.session.scalars(query.limit(500)):
        case = referral.case
        sent += send("referral_overdue", [*organisation_people(case), *mission_officers(referral.mission_id)],
                     case=case, referral=referral)
        referral.overdue_notified_at = utcnow()
    if mission_id is not None:
        return sent  # follow-ups are the organisation's work
    due = select(FollowUp).where(FollowUp.done_on.is_(None), FollowUp.due_on <= today,
                                 FollowUp.reminded_at.is_(None))
    if organisation_id is not None:
        from rescue.cases.models import Case
        due = due.join(Case, Case.id == FollowUp.case_id).where(Case.organisation_id == organisation_id)
    for follow_up in db.session.scalars(due.limit(500)):
        case = follow_up.case
        sent += send("follow_up_due", organisation_people(case), case=case)
        follow_up.reminded_at = utcnow()
    return sent
