"""Referring a case to a mission and the mission's answers: nationality confirmed (with its evidence),
more information requested (a thread of messages), or rejected with a reason. Each step writes the
timeline, the audit trail and the inbox of the other side; the view commits."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from rescue.audit import trail
from rescue.auth.roles import Role
from rescue.cases import progress, workflow
from rescue.cases.models import Case, CaseNationality, TimelineEvent
from rescue.cases.workflow import CaseStatus, ReferralStatus
from rescue.clock import utcnow
from rescue.consular import rolls
from rescue.consular.models import EVIDENCE_KINDS, Referral, ReferralMessage
from rescue.consular.refusals import ReturnRefusal
from rescue.extensions import db
from rescue.i18n.collation import reader_sort_key as sort_key
from rescue.inbox import notices
from rescue.organisations.models import Mission

# Reasons a referral step is refused, beside the workflow's own; the pages say them in the reader's language.
CASEWORKERS_MAY_NOT_REFER = ReturnRefusal.CASEWORKERS_MAY_NOT_REFER
MISSION_INACTIVE = ReturnRefusal.MISSION_INACTIVE
REFERRAL_CLOSED = ReturnRefusal.REFERRAL_CLOSED
NEEDS_EVIDENCE = ReturnRefusal.NEEDS_EVIDENCE
NEEDS_MESSAGE = ReturnRefusal.NEEDS_MESSAGE


class Refused(Exception):
    def __init__(self, reasons: tuple[str, ...]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons


def may_refer(user) -> bool:
    """Coordinators refer; caseworkers too when their organisation allows it."""
    if user.role == Role.COORDINATOR:
        return True
    organisation = getattr(user, "organisation", None)
    return user.role == Role.CASEWORKER and bool(organisation and organisation.caseworkers_may_refer)


def refer_blocks(case: Case, mission: Mission, *, user, today: date, photo_reason: str = "") -> tuple[str, ...]:
    """Why this case cannot be referred to this mission now (empty when it can)."""
    if not may_refer(user):
        return (CASEWORKERS_MAY_NOT_REFER,)
    if not mission.active:
        return (MISSION_INACTIVE,)
    facts = progress.facts_for(case, today)
    if photo_reason.strip():
        facts = replace(facts, has_photo_or_reason=True)
    return workflow.check(facts, progress.actor_for(user, case), "consular_referral", mission_id=mission.id)


def refer(case: Case, *, mission: Mission, note: str, photo_reason: str, user, today: date,
          address: str | None) -> Referral:
    blocked = refer_blocks(case, mission, user=user, today=today, photo_reason=photo_reason)
    if blocked:
        raise Refused(blocked)
    referral = Referral(mission_id=mission.id, referred_by_id=user.id, status="pending",
                        photo_reason=photo_reason.strip() or None)
    case.referrals.append(referral)
    if note.strip():
        referral.messages.append(ReferralMessage(author_id=user.id, body=note.strip()))
    progress.record_move(case, "consular_referral", user, text=mission.name)
    trail.record("referral.created", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"mission": mission.id})
    db.session.flush()
    notices.send("referral_received", notices.mission_officers(mission.id), case=case, referral=referral)
    return referral


def decide(referral: Referral, *, outcome: str, evidence: str | None, text: str, user, today: date,
           address: str | None) -> None:
    """The mission's answer: confirmed, information_requested or rejected."""
    if not referral.is_open:
        raise Refused((REFERRAL_CLOSED,))
    case = referral.case
    text = text.strip()
    if outcome == ReferralStatus.CONFIRMED:
        if evidence not in EVIDENCE_KINDS:
            raise Refused((NEEDS_EVIDENCE,))
        _check(case, user, "nationality_confirmed", today)
        referral.evidence = evidence
        progress.record_move(case, "nationality_confirmed", user, text=text or None)
    elif outcome == ReferralStatus.REJECTED:
        if not text:
            raise Refused((ReturnRefusal.NEEDS_REJECTION_REASON,))
        _check(case, user, "nationality_rejected", today)
        referral.reason = text
        progress.record_move(case, "nationality_rejected", user, text=text, reason=text)
    elif outcome == ReferralStatus.INFORMATION_REQUESTED:
        if not text:
            raise Refused((NEEDS_MESSAGE,))
    else:
        raise ValueError("unknown outcome")
    referral.status = outcome
    referral.outcome_at = utcnow()
    referral.outcome_by_id = user.id
    if text and outcome != ReferralStatus.REJECTED:
        referral.messages.append(ReferralMessage(author_id=user.id, body=text))
    trail.record(f"referral.{outcome}", actor_id=user.id, object_type="case", object_id=case.id,
                 address=address, detail={"referral": referral.id, "evidence": referral.evidence})
    kind = {"confirmed": "nationality_confirmed", "rejected": "nationality_rejected",
            "information_requested": "information_requested"}[outcome]
    notices.send(kind, notices.organisation_people(case, referral.referred_by_id), case=case, referral=referral)


def reply(referral: Referral, *, body: str, user, address: str | None) -> None:
    """The organisation answers the mission (or adds to the thread); an open request becomes pending again."""
    if referral.status not in (ReferralStatus.PENDING, ReferralStatus.INFORMATION_REQUESTED):
        raise Refused((REFERRAL_CLOSED,))
    if not body.strip():
        raise Refused((NEEDS_MESSAGE,))
    referral.messages.append(ReferralMessage(author_id=user.id, body=body.strip()))
    referral.status = ReferralStatus.PENDING
    referral.case.timeline.append(TimelineEvent(kind="referral_message", actor_id=user.id, text=body.strip()))
    trail.record("referral.replied", actor_id=user.id, object_type="case", object_id=referral.case_id,
                 address=address, detail={"referral": referral.id})
    notices.send("information_sent", notices.mission_officers(referral.mission_id), case=referral.case,
                 referral=referral)


def withdraw_for_mission(case: Case, mission_id: int, *, user, address: str | None) -> int:
    """Consent to share with a mission was withdrawn or refused: the mission loses the case at once. Its
    referrals end (whatever their outcome), and with them the case page, documents, attachments and
    messages; the person's lines on the rolls it was given keep only the case number and say so."""
    withdrawn = 0
    for referral in case.referrals:
        if referral.mission_id == mission_id and referral.status != ReferralStatus.WITHDRAWN:
            referral.status = ReferralStatus.WITHDRAWN
            referral.outcome_at = utcnow()
            referral.outcome_by_id = user.id
            withdrawn += 1
            notices.send("referral_withdrawn", notices.mission_officers(mission_id), case=case, referral=referral)
            trail.record("referral.withdrawn", actor_id=user.id, object_type="case", object_id=case.id,
                         address=address, detail={"referral": referral.id})
    if withdrawn:
        case.timeline.append(TimelineEvent(kind="referral_withdrawn", actor_id=user.id))
    changed_rolls = rolls.withdraw_lines(case, mission_id)
    if changed_rolls:
        case.timeline.append(TimelineEvent(kind="roll_lines_withdrawn", actor_id=user.id))
        trail.record("roll.lines_withdrawn", actor_id=user.id, object_type="case", object_id=case.id,
                     address=address, detail={"mission": mission_id, "rolls": changed_rolls})
    return withdrawn


def follow_stateless_path(case: Case, *, reason: str, user, today: date, address: str | None) -> None:
    """No mission recognises the person: record them as stateless (ICAO XXA) and put the case on hold
    while a durable solution is sought."""
    if not may_refer(user):  # the same rule as a referral: it is the referral's other outcome
        raise Refused((CASEWORKERS_MAY_NOT_REFER,))
    if case.status != CaseStatus.NATIONALITY_REJECTED:
        raise Refused((workflow.NOT_FROM_HERE,))
    if not reason.strip():
        raise Refused((workflow.NEEDS_REASON,))
    if not any(n.country == "XXA" for n in case.nationalities):
        case.nationalities.append(CaseNationality(country="XXA"))
    case.timeline.append(TimelineEvent(kind="stateless_path", actor_id=user.id, text=reason.strip()))
    progress.move(case, target=CaseStatus.ON_HOLD, reason=reason, user=user, version=case.version, today=today,
                  address=address)


def _check(case: Case, user, target: str, today: date) -> None:
    blocked = workflow.check(progress.facts_for(case, today), progress.actor_for(user, case), target)
    if blocked:
        raise Refused(blocked)


def suggested_missions(case: Case) -> list[Mission]:
    """Missions of the person's countries first (in the host country of the organisation, then elsewhere),
    then every other active mission."""
    nationalities = [n.country for n in case.nationalities]
    host = (case.organisation.country if case.organisation else None) or case.found_country
    missions = list(db.session.scalars(select(Mission).where(Mission.active.is_(True))))

    def rank(mission: Mission):
        theirs = mission.represents in nationalities
        return (not theirs, not (theirs and mission.host_country == host), sort_key(mission.name))
    return sorted(missions, key=rank)
