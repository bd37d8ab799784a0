"""Which cases a user may reach, as SQL: the same scopes as the policy, applied in the database.
Each scope here answers as its Python rule does (rescue/auth/policy.py with Case.referred_mission_ids and
Case.receiving_organisation_id); tests/test_policy.py checks the two agree."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from rescue.auth import policy
from rescue.cases.models import Case, Consent
from rescue.consular.models import ENDED_REFERRAL_STATUSES, Referral, RepatriationPlan


def _own(user) -> ColumnElement[bool]:
    return and_(Case.organisation_id == user.organisation_id,
                or_(Case.assigned_to_id == user.id, Case.assigned_to_id.is_(None)))


def _organisation(user) -> ColumnElement[bool]:
    return Case.organisation_id == user.organisation_id


def _mission(user) -> ColumnElement[bool]:
    if user.mission_id is None:
        return false()
    return Case.id.in_(select(Referral.case_id).where(
        Referral.mission_id == user.mission_id, Referral.status.not_in(ENDED_REFERRAL_STATUSES)))


def _confirming(user) -> ColumnElement[bool]:
    if user.mission_id is None:
        return false()
    return Case.id.in_(select(Referral.case_id).where(
        Referral.mission_id == user.mission_id, Referral.status == "confirmed"))


def _receiving(user) -> ColumnElement[bool]:
    if user.organisation_id is None:
        return false()
    planned = select(RepatriationPlan.case_id).where(RepatriationPlan.receiving_agency_id == user.organisation_id)
    return and_(Case.id.in_(planned), Case.id.in_(_sharing_given_to(user.organisation_id)))


# Each case scope of the policy, as SQL: the twin of its Python rule in rescue/auth/policy.py, side by side in
# name. tests/test_policy.py checks that every case scope has a twin and that both answer alike on a population
# of cases built through the services.
SQL_SCOPES: dict[str, Callable[..., ColumnElement[bool]]] = {
    policy.OWN: _own,
    policy.ORGANISATION: _organisation,
    policy.MISSION: _mission,
    policy.CONFIRMING: _confirming,
    policy.RECEIVING: _receiving,
}


def visible_cases(user, action: str = "case.list") -> Select:
    """The cases `user` may take `action` on, as a query: the scope the policy gives the user's role for the
    action, applied in the database."""
    scope = policy.scope_for(user.role, action)
    where = SQL_SCOPES.get(scope or "")
    return select(Case).where(where(user) if where is not None else false())


def _sharing_given_to(organisation_id: int) -> Select:
    """Cases whose consent in force to share with the organisation (the latest recorded) is given."""
    later = aliased(Consent)
    superseded = exists().where(
        later.case_id == Consent.case_id, later.purpose == "sharing",
        later.recipient_organisation_id == organisation_id, later.recipient_mission_id.is_(None),
        or_(later.recorded_at > Consent.recorded_at,
            and_(later.recorded_at == Consent.recorded_at, later.id > Consent.id)))
    return select(Consent.case_id).where(
        Consent.purpose == "sharing", Consent.recipient_organisation_id == organisation_id,
        Consent.recipient_mission_id.is_(None), Consent.decision == "given", ~superseded)
