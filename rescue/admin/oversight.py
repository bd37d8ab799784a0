"""Changes an administrator makes that open a way to case contents: giving an account a role that reads
cases, moving it to another organisation or mission, resetting its password or its second factor. Each is
told to the account and to those who answer for the cases it reaches (the coordinators of its organisation,
or the other officers of its mission), and marked sensitive in the audit trail, so no administrator can do
it unseen. The caller commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from rescue.audit import trail
from rescue.audit.models import AuditEntry
from rescue.auth.models import User
from rescue.auth.roles import CASEWORKER, CONSULAR, COORDINATOR
from rescue.extensions import db
from rescue.inbox import notices

CASE_READING_ROLES = (CASEWORKER, COORDINATOR, CONSULAR)


@dataclass(frozen=True)
class Rights:
    """What an account may reach: its role and where it belongs."""

    role: str
    organisation_id: int | None
    mission_id: int | None


def rights_of(user: User) -> Rights:
    return Rights(user.role, user.organisation_id, user.mission_id)


def account_created(user: User, *, actor_id: int) -> None:
    if user.role in CASE_READING_ROLES:
        _rights_given(user, None, actor_id=actor_id)


def rights_changed(user: User, before: Rights, *, actor_id: int) -> None:
    after = rights_of(user)
    if after != before and after.role in CASE_READING_ROLES:
        _rights_given(user, before, actor_id=actor_id)


def password_reset(user: User, *, actor_id: int) -> None:
    """After `accounts.reset_password`, which wrote the (sensitive) audit entry."""
    _tell("account_password_reset", user, _entry_just_written("user.password_reset", user.id), actor_id=actor_id)


def two_factor_reset(user: User, *, actor_id: int) -> None:
    """After `accounts.reset_two_factor`, which wrote the (sensitive) audit entry."""
    _tell("account_two_factor_reset", user, _entry_just_written("user.two_factor_reset", user.id),
          actor_id=actor_id)


def _rights_given(user: User, before: Rights | None, *, actor_id: int) -> None:
    granted = before is None or before.role != user.role
    detail = {"sensitive": True, "role": user.role, "organisation_id": user.organisation_id,
              "mission_id": user.mission_id}
    if before is not None:
        detail.update(previous_role=before.role, previous_organisation_id=before.organisation_id,
                      previous_mission_id=before.mission_id)
    entry = trail.record("user.role_granted" if granted else "user.moved", actor_id=actor_id,
                         object_type="user", object_id=user.id, detail=detail)
    _tell("account_role_granted" if granted else "account_moved", user, entry, actor_id=actor_id, before=before)


def _tell(kind: str, user: User, entry: AuditEntry, *, actor_id: int, before: Rights | None = None) -> None:
    recipients = notices.account_watchers(user.id, organisation_id=user.organisation_id, mission_id=user.mission_id)
    if before is not None:  # those it leaves hear of it too
        recipients += notices.account_watchers(user.id, organisation_id=before.organisation_id,
                                               mission_id=before.mission_id)
    notices.send_about_account(kind, recipients, entry=entry, exclude=actor_id)


def _entry_just_written(action: str, user_id: int) -> AuditEntry:
    # Written in this transaction, which holds the audit chain until it commits: the newest is ours.
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action, AuditEntry.object_type == "user",
                                 AuditEntry.object_id == user_id)
        .order_by(AuditEntry.id.desc()).limit(1)
    ).one()
