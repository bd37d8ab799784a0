"""The return part of a case page: referrals, travel documents, the repatriation plan and follow-ups,
as plain data for one reader. A mission sees its own referral and documents only, and the plan
without the clinician's conditions (health)."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _

from rescue.auth import policy
from rescue.cases import catalogue
from rescue.cases.workflow import CaseStatus, ReferralStatus
from rescue.clock import utcnow
from rescue.consular import referrals as referring
from rescue.consular.forms import FollowUpForm, StatelessForm, TravelDocumentForm
from rescue.consular.forms import plan_form as make_plan_form
from rescue.consular.forms import refer_form as make_refer_form
from rescue.consular.models import TravelDocumentStatus
from rescue.i18n.choices import country_label


def return_panel(case, user, today: date, *, refer_form=None, travel_document_form=None, plan_form=None,
                 plan_conflict=None) -> dict:

    field_set = catalogue.field_set_for(user, case)
    consular = field_set == catalogue.CONSULAR
    shown = [r for r in case.referrals if not consular or r.mission_id == user.mission_id]
    overdue = current_app.config["RESCUE_REFERRAL_OVERDUE_DAYS"]
    panel = {
        "referrals": [{"id": r.id, "mission": r.mission.name, "status": r.status, "referred_at": r.referred_at,
                       "days": (utcnow() - r.referred_at).days, "evidence": r.evidence,
                       "reason": catalogue.Seen(r, "referral", field_set).reason or "",
                       "overdue": r.is_open and (utcnow() - r.referred_at).days > overdue} for r in shown],
        "travel_documents": [
            {"id": d.id, "kind": d.kind, "number": seen.number or "", "issued_on": d.issued_on,
             "expires_on": d.expires_on, "route": seen.route or "", "transit_points": seen.transit_points or "",
             "status": d.status, "mission": d.mission.name if d.mission else "",
             "revocable": consular and d.mission_id == user.mission_id and d.status == TravelDocumentStatus.VALID}
            for d in case.travel_documents if not consular or d.mission_id == user.mission_id
            for seen in (catalogue.Seen(d, "travel_document", field_set),)],
        "plan": None,
        "follow_ups": [{"id": f.id, "months": f.months, "due_on": f.due_on, "done_on": f.done_on,
                        "outcome": f.outcome, "note": catalogue.Seen(f, "follow_up", field_set).note or "",
                        "overdue": f.done_on is None and f.due_on < today} for f in case.follow_ups],
        "directory_args": {"represents": case.nationalities[0].country if case.nationalities else "",
                           "host": (case.organisation.country if case.organisation else None) or ""},
        "nationality_names": [country_label(n.country) for n in case.nationalities],
    }
    if case.plan is not None:
        plan = catalogue.Seen(case.plan, "repatriation_plan", field_set)
        panel["plan"] = {
            "fit_to_travel_on": plan.fit_to_travel_on, "fit_to_travel_clinician": plan.fit_to_travel_clinician or "",
            "fit_to_travel_conditions": plan.fit_to_travel_conditions or "",
            "escort_needed": plan.escort_needed, "exit_clearance_on": plan.exit_clearance_on,
            "exit_clearance_reference": plan.exit_clearance_reference or "", "flights": plan.flights or "",
            "departure_on": plan.departure_on, "escort": plan.escort or "",
            "receiving_agency": case.plan.receiving_agency.name if case.plan.receiving_agency else "",
            "receiving_contact": plan.receiving_contact or "",
            "departed_at": plan.departed_at, "arrived_at": plan.arrived_at,
        }
    may_refer = (bool(policy.allows(user, "referral.create", case)) and referring.may_refer(user)
                 and case.status in (CaseStatus.RETURN_DECIDED, CaseStatus.NATIONALITY_REJECTED))
    # A submitted form comes back with its errors even when the move is not open (that is the error).
    panel["refer_form"] = refer_form if refer_form is not None else (make_refer_form(case) if may_refer else None)
    panel["refer_hint"] = (_("Refer the case once the return is decided.")
                           if policy.allows(user, "referral.create", case) and referring.may_refer(user)
                           and case.status in (CaseStatus.RESCUED, CaseStatus.IN_CARE) else "")
    panel["stateless_form"] = StatelessForm() if may_refer and case.status == CaseStatus.NATIONALITY_REJECTED else None
    may_record = bool(policy.allows(user, "travel_document.record", case)) and any(
        r.mission_id == user.mission_id and r.status == ReferralStatus.CONFIRMED for r in case.referrals)
    panel["travel_document_form"] = travel_document_form if travel_document_form is not None else (
        TravelDocumentForm() if may_record else None)
    panel["plan_conflict"] = plan_conflict
    panel["plan_form"] = plan_form if plan_form is not None else (
        make_plan_form(case) if policy.allows(user, "plan.edit", case) else None)
    panel["may_confirm_arrival"] = bool(policy.allows(user, "arrival.confirm", case)) and case.status == CaseStatus.DEPARTED
    may_follow = bool(policy.allows(user, "follow_up.record", case))
    panel["follow_up_forms"] = {f.id: FollowUpForm(prefix=f"follow-up-{f.id}") for f in case.follow_ups
                                if may_follow and f.done_on is None}
    return panel
