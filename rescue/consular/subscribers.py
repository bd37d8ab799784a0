"""What the way home does when a case moves or a consent is recorded (rescue/cases/events.py), and its
panel on the case page (rescue/cases/page.py)."""
from __future__ import annotations

from rescue.cases import events, page
from rescue.cases.models import Case, Consent
from rescue.consular import referrals, returning
from rescue.consular.panel import return_panel


@events.case_moved.connect
def after_move(case: Case, *, from_status: str, to_status: str, user) -> None:
    returning.after_move(case, previous=from_status, target=to_status, user=user)


@events.consent_recorded.connect
def after_consent(case: Case, *, consent: Consent, user, address: str | None) -> None:
    """Consent to share withdrawn or refused for a mission: the mission loses the case at once."""
    if consent.purpose == "sharing" and consent.recipient_mission_id is not None and consent.decision != "given":
        referrals.withdraw_for_mission(case, consent.recipient_mission_id, user=user, address=address)


def _the_way_home(case: Case, user, today, bound: dict) -> dict:
    return return_panel(case, user, today, refer_form=bound.get("refer_form"),
                        travel_document_form=bound.get("travel_document_form"), plan_form=bound.get("plan_form"))


page.register_panel("back", _the_way_home)
