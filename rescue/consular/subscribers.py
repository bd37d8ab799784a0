"""What the way home does when a case moves or a consent is recorded (rescue/cases/events.py), and its
panel on the case page (rescue/cases/page.py)."""
from __future__ import annotations

from sqlalchemy import Select, select, update

from rescue.cases import events, listing, page
from rescue.cases.models import Case, Consent
from rescue.consular import referrals, returning, scopes  # noqa: F401  (scopes register their SQL)
from rescue.consular.models import Referral, TravelDocument
from rescue.consular.panel import return_panel
from rescue.extensions import db


@events.case_moved.connect
def after_move(case: Case, *, from_status: str, to_status: str, user) -> None:
    returning.after_move(case, previous=from_status, target=to_status, user=user)


@events.consent_recorded.connect
def after_consent(case: Case, *, consent: Consent, user, address: str | None) -> None:
    """Consent to share withdrawn or refused for a mission: the mission loses the case at once."""
    if consent.purpose == "sharing" and consent.recipient_mission_id is not None and consent.decision != "given":
        referrals.withdraw_for_mission(case, consent.recipient_mission_id, user=user, address=address)


@events.case_merging.connect
def move_to_kept_case(case: Case, *, into: Case) -> None:
    """Referrals and travel documents of a merged case move over whole, with their own dates and authors."""
    for model in (Referral, TravelDocument):
        db.session.execute(update(model).where(model.case_id == case.id).values(case_id=into.id))


def _the_way_home(case: Case, user, today, bound: dict) -> dict:
    return return_panel(case, user, today, refer_form=bound.get("refer_form"),
                        travel_document_form=bound.get("travel_document_form"), plan_form=bound.get("plan_form"),
                        plan_conflict=bound.get("plan_conflict"))


page.register_panel("back", _the_way_home)


def _travel_documents_numbered(code: str, user) -> Select:
    """Cases holding a travel document with this number. A consular reader finds only its own mission's
    documents: another mission's numbers are not theirs to look up."""
    query = select(TravelDocument.case_id).where(TravelDocument.number == code)
    mission_id = getattr(user, "mission_id", None)
    if mission_id is not None:
        query = query.where(TravelDocument.mission_id == mission_id)
    return query


listing.register_number_lookup(_travel_documents_numbered)
