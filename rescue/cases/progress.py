"""Moving a case along its workflow, adding notes and recording consent: the services behind the
case page. Each writes the timeline and the audit trail; the view commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from rescue.audit import trail
from rescue.auth.roles import Role
from rescue.cases import events, workflow
from rescue.cases.birth import Birth
from rescue.cases.models import Case, Consent, TimelineEvent
from rescue.cases.workflow import TravelDocumentStatus
from rescue.clock import utcnow
from rescue.extensions import db

NOTE_KINDS = ("note", "assessment", "best_interests")


class StaleCase(Exception):
    """The case changed since the user loaded it (status moves and corrections alike)."""


class MoveRefused(Exception):
    def __init__(self, reasons: tuple[str, ...]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons


def latest_consents(case: Case) -> dict[tuple[str, int | None], Consent]:
    """The consent in force for each purpose and recipient mission: the latest one recorded. Consents to
    share with an organisation (a receiving agency) are read through Case.receiving_organisation_id."""
    latest: dict[tuple[str, int | None], Consent] = {}
    for consent in sorted(case.consents, key=Consent.order):
        if consent.recipient_organisation_id is None:
            latest[(consent.purpose, consent.recipient_mission_id)] = consent
    return latest


def _latest_decisions(case: Case) -> dict[tuple[str, int | None], str]:
    return {key: consent.decision for key, consent in latest_consents(case).items()}


def facts_for(case: Case, today: date) -> workflow.CaseFacts:
    decisions = _latest_decisions(case)
    resume_to = None
    if case.status in workflow.SIDE_STATES:
        # the status changes that led here, newest first, starting with the one into the current status
        changes = [(e.from_status, e.to_status) for e in reversed(case.timeline) if e.kind == "status_change"]
        entered = next((i for i, (_, to) in enumerate(changes) if to == case.status), None)
        resume_to = workflow.resume_point(changes[entered:]) if entered is not None else None
    birth = Birth(case.birth_year, case.birth_month, case.birth_day, case.approximate_age, case.age_assessed_on)
    return workflow.CaseFacts(
        status=case.status,
        resume_to=resume_to,
        voluntary_return_consent=decisions.get(("voluntary_return", None)) == "given",
        sharing_consent_missions=frozenset(
            mission for (purpose, mission), decision in decisions.items()
            if purpose == "sharing" and mission is not None and decision == "given"),
        is_minor=birth.is_minor(today),
        best_interests_note=any(e.kind == "best_interests" for e in case.timeline),
        has_names=bool(case.family_name or case.given_names or case.native_name),
        has_birth_or_age=case.birth_year is not None or case.approximate_age is not None,
        has_photo_or_reason=any(a.kind == "photo" for a in case.attachments),
        valid_travel_document=any(d.status == TravelDocumentStatus.VALID and (d.expires_on is None or d.expires_on >= today)
                                  for d in case.travel_documents),
        fit_to_travel=bool(case.plan and case.plan.has_fit_to_travel),
        exit_clearance=bool(case.plan and case.plan.has_exit_clearance),
        booking=bool(case.plan and case.plan.has_booking),
        receiving_agency_consent=not (case.plan and case.plan.receiving_agency_id) or (
            case.receiving_organisation_id is not None),
    )


def actor_for(user, case: Case | None = None) -> workflow.Actor:
    """The workflow's view of the user. A receiving agency counts as such only for the cases whose
    repatriation plan names it."""
    organisation = getattr(user, "organisation", None)
    receiving = bool(organisation and organisation.kind == "receiving_agency" and case is not None
                     and case.receiving_organisation_id == organisation.id)
    return workflow.Actor(role=user.role, is_receiving_agency=receiving)


def move(case: Case, *, target: str, reason: str, user, version: int, today: date, address: str | None) -> None:
    if case.version != version:
        raise StaleCase()
    blocked = workflow.check(facts_for(case, today), actor_for(user, case), target)
    if not blocked and workflow.needs_reason(target) and not reason.strip():
        blocked = (workflow.NEEDS_REASON,)
    if blocked:
        raise MoveRefused(blocked)
    previous = case.status
    record_move(case, target, user, text=reason.strip() or None,
                reason=reason.strip() or None if workflow.needs_reason(target) else None)
    trail.record("case.status_changed", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"from": previous, "to": target})
    events.case_moved.send(case, from_status=previous, to_status=target, user=user)


def record_move(case: Case, target: str, user, *, text: str | None = None, reason: str | None = None) -> None:
    """Put the case in `target` and say so on the timeline; callers have checked the workflow."""
    previous = case.status
    case.status = target
    case.status_reason = reason
    case.status_changed_at = utcnow()
    case.timeline.append(TimelineEvent(kind="status_change", actor_id=user.id, from_status=previous,
                                       to_status=target, text=text))


def touch(case: Case) -> None:
    """Say the case was worked on now, without changing what it says: adding a note or a consent is no
    change to the case's own fields, so it bumps no version and never conflicts with a colleague doing the
    same at the same moment."""
    now = utcnow()
    db.session.execute(update(Case).where(Case.id == case.id).values(updated_at=now)
                       .execution_options(synchronize_session=False))
    set_committed_value(case, "updated_at", now)


def add_note(case: Case, *, kind: str, text: str, user, address: str | None) -> None:
    if kind not in NOTE_KINDS:
        raise ValueError("unknown kind of note")
    case.timeline.append(TimelineEvent(kind=kind, actor_id=user.id, text=text.strip()))
    touch(case)
    trail.record("case.note_added", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"kind": kind})


def record_consent(case: Case, *, purpose: str, decision: str, mission_id: int | None, recipient: str | None,
                   language: str | None, interpreter: str | None, witness: str | None, given_on: date | None,
                   user, address: str | None, organisation_id: int | None = None) -> Consent:
    """Record a consent. Consent to share names one recipient: a mission, a receiving agency
    (`organisation_id`) or another recipient described. Withdrawn or refused for a mission, the mission
    loses the case at once: its referrals, documents, messages and its lines on the rolls it was given.
    A receiving agency's access follows the consent in force (Case.receiving_organisation_id)."""
    if mission_id is not None and organisation_id is not None:
        raise ValueError("a consent names one recipient")
    consent = Consent(purpose=purpose, decision=decision, recipient_mission_id=mission_id,
                      recipient_organisation_id=organisation_id,
                      recipient_description=recipient or None, language=language or None,
                      interpreter=interpreter or None, witness=witness or None, given_on=given_on,
                      recorded_at=utcnow(), recorded_by_id=user.id)
    case.consents.append(consent)
    case.timeline.append(TimelineEvent(kind="consent", actor_id=user.id,
                                       text=f"{purpose}:{decision}"))
    touch(case)
    trail.record("case.consent_recorded", actor_id=user.id, object_type="case", object_id=case.id,
                 address=address, detail={"purpose": purpose, "decision": decision, "mission": mission_id,
                                          "organisation": organisation_id})
    events.consent_recorded.send(case, consent=consent, user=user, address=address)
    return consent


def assign(case: Case, *, assignee, user, address: str | None) -> None:
    """Give the case to a caseworker of its organisation (or back to the intake queue, with None)."""
    if assignee is not None and (assignee.organisation_id != case.organisation_id or assignee.role != Role.CASEWORKER
                                 or not assignee.active):
        raise ValueError("not a caseworker of this organisation")
    previous = case.assigned_to_id
    case.assigned_to_id = assignee.id if assignee else None
    case.updated_at = utcnow()
    case.timeline.append(TimelineEvent(kind="assignment", actor_id=user.id,
                                       text=assignee.label if assignee else None))
    trail.record("case.assigned", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"from": previous, "to": case.assigned_to_id})
