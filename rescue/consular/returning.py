"""The way home: travel documents recorded by the mission, the repatriation plan kept by the sending
organisation, departure, arrival confirmed by the receiving side, and follow-ups after return."""
from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import select

from rescue.audit import trail
from rescue.auth.roles import Role
from rescue.cases import progress, workflow
from rescue.cases.models import Case, TimelineEvent
from rescue.cases.workflow import CaseStatus, ReferralStatus
from rescue.clock import utcnow
from rescue.consular.models import (
    FOLLOW_UP_MONTHS,
    TRAVEL_DOCUMENT_KINDS,
    FollowUp,
    RepatriationPlan,
    TravelDocument,
    TravelDocumentStatus,
)
from rescue.consular.referrals import Refused
from rescue.consular.refusals import ReturnRefusal
from rescue.extensions import db
from rescue.inbox import notices

NATIONALITY_NOT_CONFIRMED = ReturnRefusal.NATIONALITY_NOT_CONFIRMED
ALREADY_ARRIVED = ReturnRefusal.ALREADY_ARRIVED
FOLLOW_UP_OUTCOMES = ("reached", "not_reached")

PLAN_FIELDS = ("fit_to_travel_on", "fit_to_travel_clinician", "fit_to_travel_conditions", "escort_needed",
               "exit_clearance_on", "exit_clearance_reference", "flights", "departure_on", "escort",
               "receiving_agency_id", "receiving_contact")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def confirmed_referral(case: Case, mission_id: int | None):
    return next((r for r in case.referrals if r.mission_id == mission_id and r.status == ReferralStatus.CONFIRMED), None)


def record_travel_document(case: Case, *, kind: str, number: str, issued_on: date | None, expires_on: date | None,
                           route: str, transit_points: str, user, today: date, address: str | None) -> TravelDocument:
    """The mission records the document it issued or returned. The first one moves the case on."""
    if kind not in TRAVEL_DOCUMENT_KINDS:
        raise ValueError("unknown kind of travel document")
    referral = confirmed_referral(case, user.mission_id)
    if referral is None:
        raise Refused((NATIONALITY_NOT_CONFIRMED,))
    number = number.strip().upper()
    if db.session.scalar(select(TravelDocument.id).where(
            TravelDocument.mission_id == user.mission_id, TravelDocument.number == number)) is not None:
        raise Refused((ReturnRefusal.NUMBER_IN_USE,))
    if kind != "passport_returned" and any(
            d.status == TravelDocumentStatus.VALID and d.kind != "passport_returned"
            and (d.expires_on is None or d.expires_on >= today) for d in case.travel_documents):
        raise Refused((ReturnRefusal.HOLDS_VALID_DOCUMENT,))  # one document to travel on at a time
    document = TravelDocument(kind=kind, number=number, issued_on=issued_on, expires_on=expires_on,
                              route=route.strip() or None, transit_points=transit_points.strip() or None,
                              mission_id=user.mission_id, issued_by_id=user.id, status="valid")
    case.travel_documents.append(document)
    case.timeline.append(TimelineEvent(kind="travel_document", actor_id=user.id, text=kind))
    if case.status == CaseStatus.NATIONALITY_CONFIRMED:
        blocked = workflow.check(progress.facts_for(case, today), progress.actor_for(user, case),
                                 "travel_document_issued")
        if blocked:
            raise Refused(blocked)
        progress.record_move(case, "travel_document_issued", user)
    case.updated_at = utcnow()
    trail.record("travel_document.recorded", actor_id=user.id, object_type="case", object_id=case.id,
                 address=address, detail={"kind": kind})
    notices.send("travel_document_recorded", notices.organisation_people(case, referral.referred_by_id), case=case,
                 referral=referral)
    return document


def revoke_travel_document(document: TravelDocument, *, user, address: str | None) -> None:
    if document.mission_id != user.mission_id:
        raise Refused((workflow.NOT_YOUR_STEP,))
    document.status = "revoked"
    trail.record("travel_document.revoked", actor_id=user.id, object_type="case", object_id=document.case_id,
                 address=address, detail={"document": document.id})


class StalePlan(Exception):
    """The plan was saved by someone else since this copy of it was shown."""


def save_plan(case: Case, values: dict, *, user, address: str | None, version: int | None = None) -> RepatriationPlan:
    """Save the plan from a form that showed `version` of it (None: the form showed no plan yet)."""
    if (case.plan.version if case.plan is not None else None) != version:
        raise StalePlan()
    plan = case.plan or RepatriationPlan()
    case.plan = plan
    changed = [name for name in PLAN_FIELDS if getattr(plan, name) != values.get(name)]
    for name in PLAN_FIELDS:
        value = values.get(name)
        setattr(plan, name, value.strip() or None if isinstance(value, str) else value)
    plan.escort_needed = bool(values.get("escort_needed"))
    plan.updated_at = utcnow()
    plan.updated_by_id = user.id
    case.timeline.append(TimelineEvent(kind="plan_updated", actor_id=user.id))
    case.updated_at = utcnow()
    trail.record("plan.saved", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"fields": changed})
    return plan


def _receiving_side(case: Case) -> list[int]:
    missions = {r.mission_id for r in case.referrals if r.status == ReferralStatus.CONFIRMED}
    people: list[int] = []
    for mission_id in missions:
        people += notices.mission_officers(mission_id)
    if case.receiving_organisation_id is not None:  # named in the plan, and the person agreed to share
        people += notices.organisation_members(case.receiving_organisation_id)
    return people


def after_move(case: Case, *, previous: str, target: str, user) -> None:
    """What a status move on the sending side sets off: the plan confirmed, the departure."""
    if target == CaseStatus.READY_TO_TRAVEL:
        notices.send("plan_confirmed", _receiving_side(case), case=case)
    elif target == CaseStatus.DEPARTED:
        if case.plan is not None:
            case.plan.departed_at = utcnow()
            case.plan.departed_by_id = user.id
        notices.send("departed", _receiving_side(case), case=case)


def confirm_arrival(case: Case, *, arrived_on: date, note: str, user, today: date, address: str | None) -> None:
    """The mission that confirmed the nationality, or the receiving agency named in the plan (with the
    person's consent to share with it), confirms the person arrived; follow-ups are scheduled."""
    if case.plan is not None and case.plan.arrived_at is not None:
        raise Refused((ALREADY_ARRIVED,))
    if user.role == Role.CONSULAR and confirmed_referral(case, user.mission_id) is None:
        raise Refused((NATIONALITY_NOT_CONFIRMED,))
    blocked = workflow.check(progress.facts_for(case, today), progress.actor_for(user, case), "arrived")
    if blocked:
        raise Refused(blocked)
    plan = case.plan or RepatriationPlan()
    case.plan = plan
    plan.arrived_at = utcnow()
    plan.arrived_by_id = user.id
    progress.record_move(case, "arrived", user, text=note.strip() or None)
    for document in case.travel_documents:
        if document.status == TravelDocumentStatus.VALID and document.kind != "passport_returned":
            document.status = "used"
    for months in FOLLOW_UP_MONTHS:
        case.follow_ups.append(FollowUp(months=months, due_on=add_months(arrived_on, months)))
    trail.record("case.arrival_confirmed", actor_id=user.id, object_type="case", object_id=case.id,
                 address=address, detail={"on": arrived_on.isoformat()})
    notices.send("arrival_confirmed", notices.organisation_people(case), case=case)


def record_follow_up(follow_up: FollowUp, *, done_on: date, outcome: str, note: str, user,
                     address: str | None) -> None:
    if outcome not in FOLLOW_UP_OUTCOMES:
        raise ValueError("unknown outcome")
    follow_up.done_on = done_on
    follow_up.done_by_id = user.id
    follow_up.outcome = outcome
    follow_up.note = note.strip() or None
    follow_up.case.timeline.append(TimelineEvent(kind="follow_up_done", actor_id=user.id,
                                                 text=note.strip() or None))
    trail.record("follow_up.recorded", actor_id=user.id, object_type="case", object_id=follow_up.case_id,
                 address=address, detail={"months": follow_up.months, "outcome": outcome})
