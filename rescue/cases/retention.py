"""Retention and erasure. Closed cases are anonymised after a set period; a case erased on request
disappears entirely, and only a tombstone in the audit trail says that it existed."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from rescue.attachments import store
from rescue.audit import trail
from rescue.cases.models import Case, CaseAlias
from rescue.clock import utcnow
from rescue.consular.models import NominalRollEntry, ReferralMessage
from rescue.extensions import db

ERASURE_REASONS = ("person_request", "recorded_by_mistake", "duplicate")


def anonymise(case: Case, *, actor_id: int | None = None) -> None:
    """Remove everything that identifies the person; keep what statistics need (status, dates,
    nationality, sex, year of birth, organisation, operation)."""
    for name in ("family_name", "given_names", "native_name", "native_script", "name_key", "birth_month",
                 "birth_day", "place_of_birth", "phone", "found_city", "status_reason"):
        setattr(case, name, None)
    db.session.execute(delete(CaseAlias).where(CaseAlias.case_id == case.id))
    for event in case.timeline:
        event.text = None
    for consent in case.consents:
        consent.interpreter = consent.witness = consent.recipient_description = None
    for referral in case.referrals:
        referral.reason = None
        db.session.execute(delete(ReferralMessage).where(ReferralMessage.referral_id == referral.id))
    for entry in db.session.scalars(select(NominalRollEntry).where(NominalRollEntry.case_id == case.id)):
        entry.data = {"number": entry.data.get("number", ""), "anonymised": True}
    for follow_up in case.follow_ups:
        follow_up.note = None
    if case.plan is not None:
        for name in ("fit_to_travel_clinician", "fit_to_travel_conditions", "exit_clearance_reference", "flights",
                     "escort", "receiving_contact"):
            setattr(case.plan, name, None)
    for document in case.travel_documents:
        document.number, document.mrz, document.route, document.transit_points = "—", None, None, None
    for attachment in list(case.attachments):
        store.discard_file(attachment)
        db.session.delete(attachment)
    case.anonymised_at = utcnow()
    trail.record("case.anonymised", actor_id=actor_id, object_type="case", object_id=case.id)


def anonymise_closed(older_than_days: int) -> int:
    cutoff = utcnow() - timedelta(days=older_than_days)
    cases = db.session.scalars(select(Case).where(
        Case.status == "closed", Case.status_changed_at < cutoff, Case.anonymised_at.is_(None))).all()
    for case in cases:
        anonymise(case)
        db.session.commit()
    return len(cases)


def erase(case: Case, *, reason: str, actor_id: int | None, address: str | None) -> None:
    """Delete the case and everything hanging off it; the caller commits. The tombstone names the
    case's id and the reason, nothing about the person."""
    if reason not in ERASURE_REASONS:
        raise ValueError("unknown reason")
    files = list(case.attachments)
    case_id = case.id
    db.session.delete(case)
    db.session.flush()
    trail.record("case.erased", actor_id=actor_id, object_type="case", object_id=case_id, address=address,
                 detail={"reason": reason})
    for attachment in files:
        store.discard_file(attachment)
