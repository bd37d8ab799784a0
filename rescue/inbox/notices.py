"""Who hears about what. Each service that changes a referral, a plan or an arrival calls `send`
with the people concerned; reminders for overdue referrals and due follow-ups come from `sweep`,
which the inbox runs when it is opened and operators may run on a schedule."""
from __future__ import annotations

import json
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from rescue.audit.models import AuditEntry
from rescue.auth.labels import role_label
from rescue.auth.models import User
from rescue.auth.roles import Role
from rescue.clock import utcnow
from rescue.extensions import db
from rescue.inbox.labels import notice_text
from rescue.inbox.models import NOTICE_KINDS, Notice
from rescue.organisations.models import Mission, Organisation


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
        User.mission_id == mission_id, User.role == Role.CONSULAR, User.active.is_(True))))


def organisation_people(case, *also: int | None) -> list[int]:
    """The organisation's coordinators, the caseworker the case is assigned to, and anyone named."""
    coordinators = db.session.scalars(select(User.id).where(
        User.organisation_id == case.organisation_id, User.role == Role.COORDINATOR, User.active.is_(True)))
    return [*coordinators, case.assigned_to_id, *also]


def organisation_members(organisation_id: int | None) -> list[int]:
    """Everyone active at an organisation (a receiving agency, typically)."""
    if organisation_id is None:
        return []
    return list(db.session.scalars(select(User.id).where(
        User.organisation_id == organisation_id, User.role.in_((Role.COORDINATOR, Role.CASEWORKER)),
        User.active.is_(True))))


# Notices about an account name the audit entry that records the change: the entry names the administrator
# (its actor) and the account (its record), so the notice never needs more.
ACCOUNT_NOTICE_LABELS = {
    "account_role_granted": _l("The administrator %(admin)s gave the account %(account)s the role "
                               "%(role)s (%(place)s)."),
    "account_moved": _l("The administrator %(admin)s moved the account %(account)s to %(place)s."),
    "account_password_reset": _l("The administrator %(admin)s reset the password of the account %(account)s."),
    "account_two_factor_reset": _l("The administrator %(admin)s reset two-factor sign-in for the account "
                                   "%(account)s."),
}


def account_watchers(user_id: int, *, organisation_id: int | None, mission_id: int | None) -> list[int]:
    """Who hears about a change to an account: the account itself and those who answer for the cases it
    reaches, the coordinators of its organisation or, for a consular officer, the other officers of its mission."""
    people = [user_id, *mission_officers(mission_id)]
    if organisation_id is not None:
        people += db.session.scalars(select(User.id).where(
            User.organisation_id == organisation_id, User.role == Role.COORDINATOR, User.active.is_(True)))
    return people


def send_about_account(kind: str, recipients: Iterable[int | None], *, entry: AuditEntry,
                       exclude: int | None = None) -> int:
    if kind not in ACCOUNT_NOTICE_LABELS:
        raise ValueError(f"unknown account notice {kind!r}")
    sent = 0
    for recipient in sorted({r for r in recipients if r is not None and r != exclude}):
        db.session.add(Notice(recipient_id=recipient, kind=kind, audit_entry_id=entry.id))
        sent += 1
    return sent


def texts(rows: Iterable[Notice]) -> dict[int, str]:
    """What each notice says, in the reader's language. Notices about accounts read their audit entries, and
    the emails and places those name, in one query each whatever the number of notices."""
    rows = list(rows)
    entry_ids = {_entry_id(n) for n in rows if n.kind in ACCOUNT_NOTICE_LABELS} - {None}
    entries = {e.id: e for e in db.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(entry_ids)))} \
        if entry_ids else {}
    details = {entry_id: json.loads(entry.detail or "{}") for entry_id, entry in entries.items()}
    user_ids = {e.actor_id for e in entries.values()} | {e.object_id for e in entries.values()}
    emails = dict(db.session.execute(
        select(User.id, User.email).where(User.id.in_(user_ids - {None}))).all()) if entries else {}
    places = _place_names(details.values())
    said = {}
    for notice in rows:
        if notice.kind not in ACCOUNT_NOTICE_LABELS:
            said[notice.id] = notice_text(notice.kind, notice.case_number)
            continue
        entry = entries.get(_entry_id(notice))
        detail = details.get(entry.id, {}) if entry is not None else {}
        said[notice.id] = str(ACCOUNT_NOTICE_LABELS[notice.kind]) % {
            "admin": emails.get(entry.actor_id, "—") if entry is not None else "—",
            "account": emails.get(entry.object_id, "—") if entry is not None else "—",
            "role": role_label(detail.get("role", "")) or "—",
            "place": places.get(("organisation", detail.get("organisation_id")))
            or places.get(("mission", detail.get("mission_id"))) or "—",
        }
    return said


def _entry_id(notice: Notice) -> int | None:
    return notice.audit_entry_id


def _place_names(details: Iterable[dict]) -> dict[tuple[str, int], str]:
    details = list(details)
    organisation_ids = {d.get("organisation_id") for d in details} - {None}
    mission_ids = {d.get("mission_id") for d in details} - {None}
    names = {}
    if organisation_ids:
        names.update({("organisation", i): name for i, name in db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids)))})
    if mission_ids:
        names.update({("mission", i): name for i, name in db.session.execute(
            select(Mission.id, Mission.name).where(Mission.id.in_(mission_ids)))})
    return names


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notice.id)).where(
        Notice.recipient_id == user_id, Notice.read_at.is_(None))) or 0


def mark_read(user_id: int, notice_ids: Iterable[int] | None = None) -> None:
    query = update(Notice).where(Notice.recipient_id == user_id, Notice.read_at.is_(None))
    if notice_ids is not None:
        query = query.where(Notice.id.in_(list(notice_ids)))
    db.session.execute(query.values(read_at=utcnow()))
