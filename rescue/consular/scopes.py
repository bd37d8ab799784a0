"""The case scopes that referrals and the return plan define, as SQL: the twins of the policy's Python rules
(rescue/auth/policy.py: mission, confirming, receiving), registered with the case queries
(rescue/cases/queries.py) so every list, search, export and batch applies them in the database."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from rescue.auth import policy
from rescue.cases import queries
from rescue.cases.models import Case, Consent
from rescue.cases.workflow import ReferralStatus
from rescue.consular.models import ENDED_REFERRAL_STATUSES, Referral, RepatriationPlan


def _mission(user) -> ColumnElement[bool]:
    if user.mission_id is None:
        return false()
    return Case.id.in_(select(Referral.case_id).where(
        Referral.mission_id == user.mission_id, Referral.status.not_in(ENDED_REFERRAL_STATUSES)))


def _confirming(user) -> ColumnElement[bool]:
    if user.mission_id is None:
        return false()
    return Case.id.in_(select(Referral.case_id).where(
        Referral.mission_id == user.mission_id, Referral.status == ReferralStatus.CONFIRMED))


def _receiving(user) -> ColumnElement[bool]:
    if user.organisation_id is None:
        return false()
    planned = select(RepatriationPlan.case_id).where(RepatriationPlan.receiving_agency_id == user.organisation_id)
    return and_(Case.id.in_(planned), Case.id.in_(_sharing_given_to(user.organisation_id)))


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


queries.register_scope(policy.MISSION, _mission)
queries.register_scope(policy.CONFIRMING, _confirming)
queries.register_scope(policy.RECEIVING, _receiving)
