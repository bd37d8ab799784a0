"""Which cases a user may reach, as SQL: the same scopes as the policy, applied in the database.
Each scope here answers as its Python rule does (rescue/auth/policy.py with Case.referred_mission_ids and
Case.receiving_organisation_id); tests/test_policy.py checks the two agree."""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from rescue.auth import policy
from rescue.cases.models import Case, Consent
from rescue.consular.models import ENDED_REFERRAL_STATUSES, Referral, RepatriationPlan


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
    if scope == policy.MISSION and user.mission_id is not None:
        live = select(Referral.case_id).where(
            Referral.mission_id == user.mission_id, Referral.status.not_in(ENDED_REFERRAL_STATUSES)
        )
        return query.where(Case.id.in_(live))
    if scope == policy.CONFIRMING and user.mission_id is not None:
        confirmed = select(Referral.case_id).where(
            Referral.mission_id == user.mission_id, Referral.status == "confirmed"
        )
        return query.where(Case.id.in_(confirmed))
    if scope == policy.RECEIVING and user.organisation_id is not None:
        planned = select(RepatriationPlan.case_id).where(RepatriationPlan.receiving_agency_id == user.organisation_id)
        return query.where(Case.id.in_(planned), Case.id.in_(_sharing_given_to(user.organisation_id)))
    return query.where(false())


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
