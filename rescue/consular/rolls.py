"""Nominal rolls: the numbered list of a mission's nationals referred to it and waiting, with the
minimal fields of docs/domain.md and nothing of their story. A roll is kept as issued, line by line, so it
prints again exactly as it was; erasing a case removes its line, and consent to share withdrawn (or
refused) leaves only the case number on the lines of that mission's rolls."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from rescue.audit import trail
from rescue.cases import catalogue, progress
from rescue.cases.birth import Birth
from rescue.cases.models import Case
from rescue.cases.summary import describe_birth
from rescue.consular.models import NominalRoll, NominalRollEntry, Referral
from rescue.extensions import db
from rescue.i18n.choices import country_label
from rescue.organisations.models import Mission

WAITING_REFERRALS = ("pending", "information_requested", "confirmed")
WAITING_CASES = ("consular_referral", "nationality_confirmed", "travel_document_issued", "ready_to_travel")
MAX_ENTRIES = 5000


def waiting(mission_id: int, organisation_id: int | None) -> Select:
    """Cases referred to the mission and not yet gone; one organisation's when it is named."""
    query = (select(Case).join(Referral, Referral.case_id == Case.id)
             .where(Referral.mission_id == mission_id, Referral.status.in_(WAITING_REFERRALS),
                    Case.status.in_(WAITING_CASES))
             .options(selectinload(Case.nationalities), selectinload(Case.identity_documents),
                      selectinload(Case.consents), selectinload(Case.referrals))
             .order_by(Referral.referred_at, Case.id))
    if organisation_id is not None:
        query = query.where(Case.organisation_id == organisation_id)
    return query


def entry_for(case: Case, mission_id: int) -> dict:
    """The minimal fields, as codes and raw values: labels are put in the reader's language when printed."""
    latest = progress.latest_consents(case).get(("sharing", mission_id))
    seen = catalogue.Seen(case, "case", catalogue.CONSULAR)  # a roll goes to a mission: the consular field set
    documents = [catalogue.Seen(d, "identity_document", catalogue.CONSULAR) for d in case.identity_documents]
    return {
        "number": case.number,
        "family_name": seen.family_name or "",
        "given_names": seen.given_names or "",
        "native_name": seen.native_name or "",
        "sex": seen.sex or "U",
        "birth": [seen.birth_year, seen.birth_month, seen.birth_day, seen.approximate_age],
        "place_of_birth": seen.place_of_birth or "",
        "nationalities": [n.country for n in case.nationalities],
        "documents": [[d.kind, d.status, d.number or "", d.issuing_country or ""] for d in documents],
        "rescued_on": seen.rescued_on.isoformat() if seen.rescued_on else None,
        "sharing_consent": latest.decision == "given" if latest else False,
        "sharing_consent_on": (latest.given_on or latest.recorded_at.date()).isoformat() if latest else None,
    }


def issue(mission: Mission, *, organisation_id: int | None, user, address: str | None,
          only_case_ids: list[int] | None = None) -> NominalRoll:
    """Issue a roll of the people waiting (of `only_case_ids` among them, when given). Only people who
    agreed to share their data with this mission are listed."""
    roll = NominalRoll(mission_id=mission.id, organisation_id=organisation_id, issued_by_id=user.id)
    query = waiting(mission.id, organisation_id)
    if only_case_ids is not None:
        query = query.where(Case.id.in_(only_case_ids))
    position = 0
    for case in db.session.scalars(query.limit(MAX_ENTRIES)).unique():
        entry = entry_for(case, mission.id)
        if not entry["sharing_consent"]:
            continue
        position += 1
        roll.entries.append(NominalRollEntry(case_id=case.id, position=position, data=entry))
    db.session.add(roll)
    db.session.flush()
    trail.record("roll.issued", actor_id=user.id, object_type="nominal_roll", object_id=roll.id, address=address,
                 detail={"mission": mission.id, "cases": [e.case_id for e in roll.entries]})
    return roll


def withdraw_lines(case: Case, mission_id: int) -> list[int]:
    """Consent to share with the mission ended: the person's lines on its rolls keep the case number and
    say so, and nothing else (no name, birth or documents). Returns the rolls changed."""
    rolls = []
    entries = db.session.scalars(
        select(NominalRollEntry).join(NominalRoll, NominalRoll.id == NominalRollEntry.roll_id)
        .where(NominalRollEntry.case_id == case.id, NominalRoll.mission_id == mission_id)
        .order_by(NominalRollEntry.id))
    for entry in entries:
        if entry.data.get("withdrawn") or entry.data.get("anonymised"):
            continue
        entry.data = {"number": entry.data.get("number") or case.number, "withdrawn": True}
        rolls.append(entry.roll_id)
    return rolls


def lines_for(roll: NominalRoll) -> list[dict]:
    """The roll's lines for the reader: labels in their language, values as issued. A line whose person
    withdrew (or refused) consent to share with the mission, or whose case was anonymised, carries the
    case number only."""
    lines = []
    for entry in roll.entries:
        data = dict(entry.data)
        data["position"] = entry.position
        if not (data.get("anonymised") or data.get("withdrawn")):
            year, month, day, age = (data.get("birth") or [None] * 4)
            data["birth_text"] = describe_birth(Birth(year, month, day, age, None))
            data["nationality_names"] = [country_label(code) for code in data.get("nationalities", [])]
        lines.append(data)
    return lines
