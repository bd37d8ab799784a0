"""Which cases a user may reach, as SQL: the same scopes as the policy, applied in the database."""
from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from rescue.auth import policy
from rescue.cases.models import Case
from rescue.consular.models import Referral


def visible_cases(user, action: str = "case.list") -> Select:
    scope = policy.scope_for(user.role, action)
    query = select(Case)
    if scope == policy.ORGANISATION:
        return query.where(Case.organisation_id == user.organisation_id)
    if scope == policy.OWN:
        return query.where(
            Case.organisation_id == user.organisation_id,
            or_(Case.assigned_to_id == user.id, Case.assigned_to_id.is_(None)),
        )
    if scope == policy.MISSION:
        referred = select(Referral.case_id).where(
            Referral.mission_id == user.mission_id, Referral.status != "withdrawn"
        )
        return query.where(Case.id.in_(referred))
    return query.where(false())
