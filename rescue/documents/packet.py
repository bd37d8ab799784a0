"""What each printed document holds, as plain data for ONE recipient, never ORM objects. Codes and raw
values only: the templates put labels, country names and dates in the language chosen at print time.

Redactions of the case packet:
  full       the organisation's own file: everything, the narrative and notes included
  shelter    what carers need: identity, languages, needs, vulnerabilities, risk level, consents and the
             plan; not the recruitment story, the legal situation or the notes on the timeline
  consulate  the consular field set, for one mission that the person agreed may receive it"""
from __future__ import annotations

import logging
from datetime import date

from rescue.attachments import store
from rescue.cases import catalogue
from rescue.cases.birth import Birth
from rescue.cases.models import Consent
from rescue.cases.progress import latest_consents
from rescue.documents.kinds import PrintRefusal

log = logging.getLogger(__name__)

RECIPIENTS = ("full", "shelter", "consulate")
# Each recipient of a packet reads the case through its field set of the catalogue.
FIELD_SETS = {"full": catalogue.FULL, "shelter": catalogue.SHELTER, "consulate": catalogue.CONSULAR}
# Timeline events whose text is a code, not words anyone wrote.
CODED_EVENTS = ("consent", "document_printed", "travel_document", "created")
NO_SHARING_CONSENT = PrintRefusal.NEEDS_SHARING_CONSENT


class NotForThisRecipient(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def may_share_with(case, mission_id: int | None) -> bool:
    consent = latest_consents(case).get(("sharing", mission_id))
    return mission_id is not None and consent is not None and consent.decision == "given"


def photo_of(case):
    return next((a for a in reversed(case.attachments) if a.kind == "photo"), None)


def photo_memory(case) -> dict[str, tuple[bytes, str]]:
    photo = photo_of(case)
    if photo is None:
        return {}
    try:
        return {"photo": (store.read(photo), photo.content_type)}
    except (OSError, ValueError) as error:
        # Printed without the photo; the log names the records, never the person.
        log.warning("photo of case %s (attachment %s) could not be read: %s", case.id, photo.id, type(error).__name__)
        return {}


def identity(case, today: date, field_set: str = catalogue.FULL) -> dict:
    birth = Birth(case.birth_year, case.birth_month, case.birth_day, case.approximate_age, case.age_assessed_on)
    photo = photo_of(case)
    seen = catalogue.Seen(case, "case", field_set)
    documents = [catalogue.Seen(d, "identity_document", field_set) for d in case.identity_documents]
    return {
        "number": case.number, "family_name": seen.family_name or "", "given_names": seen.given_names or "",
        "native_name": seen.native_name or "",
        "aliases": [a.name for a in case.aliases] if catalogue.may_read(field_set, "case_alias", "name") else [],
        "sex": seen.sex or "U",
        "birth": [seen.birth_year, seen.birth_month, seen.birth_day, seen.approximate_age],
        "minor": birth.is_minor(today) is True, "place_of_birth": seen.place_of_birth or "",
        "nationalities": [n.country for n in case.nationalities],
        "languages": [lang.language for lang in case.languages], "interpreter_needed": case.interpreter_needed,
        "identity_documents": [{"kind": d.kind, "status": d.status, "number": d.number or "",
                                "issuing_country": d.issuing_country or "", "expires_on": d.expires_on}
                               for d in documents],
        "has_photo": photo is not None,
        "travel_photo": bool(photo and photo.usable_for_travel_document),
        "status": case.status,
    }


def plan_data(case, *, with_health: bool = False, field_set: str | None = None) -> dict | None:
    if case.plan is None:
        return None
    plan = catalogue.Seen(case.plan, "repatriation_plan",
                          field_set or (catalogue.FULL if with_health else catalogue.CONSULAR))
    return {"fit_to_travel_on": plan.fit_to_travel_on, "clinician": plan.fit_to_travel_clinician or "",
            "conditions": plan.fit_to_travel_conditions or "",
            "escort_needed": plan.escort_needed, "exit_clearance_on": plan.exit_clearance_on,
            "exit_clearance_reference": plan.exit_clearance_reference or "", "flights": plan.flights or "",
            "departure_on": plan.departure_on, "escort": plan.escort or "",
            "receiving_agency": case.plan.receiving_agency.name if case.plan.receiving_agency else "",
            "receiving_contact": plan.receiving_contact or "", "departed_at": plan.departed_at,
            "arrived_at": plan.arrived_at}


def travel_documents(case, mission_id: int | None = None) -> list[dict]:
    return [{"kind": d.kind, "number": d.number, "status": d.status, "issued_on": d.issued_on,
             "expires_on": d.expires_on, "route": d.route or "", "transit_points": d.transit_points or "",
             "mission": d.mission.name if d.mission else ""}
            for d in case.travel_documents if mission_id is None or d.mission_id == mission_id]


def packet(case, recipient: str, today: date, *, mission=None) -> dict:
    """The packet's data for one recipient: every value of the person read through the field catalogue
    with the recipient's field set."""
    if recipient not in RECIPIENTS:
        raise ValueError("unknown recipient")
    if recipient == "consulate" and not may_share_with(case, mission.id if mission else None):
        raise NotForThisRecipient(NO_SHARING_CONSENT)
    field_set = FIELD_SETS[recipient]
    seen = catalogue.Seen(case, "case", field_set)
    data = {"recipient": recipient, "person": identity(case, today, field_set), "printed_on": today,
            "organisation": case.organisation.name if case.organisation else "",
            "mission": mission.name if mission is not None and recipient == "consulate" else "",
            "next_of_kin": seen.next_of_kin or "",
            "plan": plan_data(case, field_set=field_set)}
    if recipient == "consulate":
        data.update(
            referrals=[{"mission": r.mission.name, "status": r.status, "referred_at": r.referred_at,
                        "evidence": r.evidence} for r in case.referrals if r.mission_id == mission.id],
            travel_documents=travel_documents(case, mission.id))
        return data
    consents = dict(latest_consents(case))
    for consent in sorted(case.consents, key=Consent.order):  # and the latest to each receiving agency
        if consent.recipient_organisation_id is not None:
            consents[("organisation", consent.purpose, consent.recipient_organisation_id)] = consent
    data.update(
        rescued_on=seen.rescued_on, found_country=seen.found_country or "", found_city=seen.found_city or "",
        needs=seen.needs or "",
        vulnerabilities=[name for name in ("pregnant", "medical_needs", "disability") if getattr(seen, name)],
        risk_level=seen.risk_level,
        consents=[{"purpose": c.purpose, "decision": c.decision, "given_on": c.given_on,
                   "recipient": c.recipient_mission.name if c.recipient_mission
                   else c.recipient_organisation.name if c.recipient_organisation
                   else catalogue.Seen(c, "consent", field_set).recipient_description or "",
                   "language": c.language or ""}
                  for c in consents.values()],
        travel_documents=travel_documents(case),
        timeline=[{"at": e.at, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status}
                  for e in case.timeline if e.kind == "status_change"],
    )
    if recipient == "full":
        data.update(
            phone=seen.phone or "",
            situation={"recruitment_channel": seen.recruitment_channel,
                       "recruitment_details": seen.recruitment_details or "", "exploitation": seen.exploitation,
                       "risk_notes": seen.risk_notes or "", "legal_status": seen.legal_status,
                       "legal_notes": seen.legal_notes or ""},
            timeline=[{"at": e.at, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
                       "text": "" if e.kind in CODED_EVENTS else catalogue.Seen(e, "timeline_event", field_set).text
                       or "", "actor": e.actor.label if e.actor else ""}
                      for e in case.timeline if e.kind != "document_printed"],  # printing is in the audit trail
            referrals=[{"mission": r.mission.name, "status": r.status, "referred_at": r.referred_at,
                        "evidence": r.evidence, "reason": r.reason or "",
                        "messages": [{"at": m.sent_at, "body": m.body,
                                      "author": m.author.label if m.author else ""} for m in r.messages]}
                       for r in case.referrals],
            follow_ups=[{"months": f.months, "due_on": f.due_on, "done_on": f.done_on, "outcome": f.outcome,
                         "note": catalogue.Seen(f, "follow_up", field_set).note or ""} for f in case.follow_ups],
        )
    return data
