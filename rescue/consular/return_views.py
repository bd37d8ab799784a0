"""Travel documents, the repatriation plan, arrival and follow-ups."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.cases import catalogue, conflicts
from rescue.cases.models import Case
from rescue.cases.page import case_page
from rescue.cases.queries import visible_cases
from rescue.cases.summary import case_summary
from rescue.consular import returning
from rescue.consular.forms import ArrivalForm, FollowUpForm, PlanForm, TravelDocumentForm, plan_form
from rescue.consular.labels import explain_refusal, refusal
from rescue.consular.models import FollowUp, TravelDocument
from rescue.extensions import db

bp = Blueprint("returning", __name__)


@bp.route("/cases/<int:case_id>/travel-documents", methods=["POST"])
@authorised("travel_document.record", Case)
def record_travel_document(case: Case):
    form = TravelDocumentForm()
    if form.validate_on_submit():
        try:
            returning.record_travel_document(
                case, kind=form.kind.data, number=form.number.data, issued_on=form.issued_on.data,
                expires_on=form.expires_on.data, route=form.route.data or "",
                transit_points=form.transit_points.data or "", user=current_user, today=date.today(),
                address=request.remote_addr)
        except returning.Refused as refused:
            db.session.rollback()
            explain_refusal(form.kind, refused.reasons)
        else:
            db.session.commit()
            flash(_("The travel document is recorded."), "success")
            return redirect(url_for("cases.show", case_id=case.id, _anchor="return"))
    db.session.refresh(case)
    return case_page(case, travel_document_form=form), 400


@bp.route("/cases/<int:case_id>/travel-documents/<int:travel_document_id>/revoke", methods=["POST"])
@authorised("travel_document.record", TravelDocument, parent=(Case, "case_id"))
def revoke_travel_document(case: Case, travel_document: TravelDocument):
    try:
        returning.revoke_travel_document(travel_document, user=current_user, address=request.remote_addr)
    except returning.Refused as refused:
        db.session.rollback()
        for code in refused.reasons:
            flash(refusal(code), "error")
    else:
        db.session.commit()
        flash(_("The travel document is revoked."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="return"))


@bp.route("/cases/<int:case_id>/plan", methods=["POST"])
@authorised("plan.edit", Case)
def save_plan(case: Case):
    form = plan_form(case, PlanForm())
    if form.validate_on_submit():
        values = {name: form[name].data for name in returning.PLAN_FIELDS}
        try:
            returning.save_plan(case, values, user=current_user, address=request.remote_addr,
                                version=form.version.data)
            db.session.commit()
        except (returning.StalePlan, StaleDataError):
            db.session.rollback()
            db.session.refresh(case)
            saved = {name: getattr(case.plan, name) if case.plan else None for name in returning.PLAN_FIELDS}
            conflict = conflicts.differences(form, values, saved)
            # Saving again now is a deliberate choice, made with both versions in view.
            current = case.plan.version if case.plan else None
            form.version.data, form.version.raw_data = current, [str(current) if current else ""]
            return case_page(case, plan_form=form, plan_conflict=conflict), 409
        flash(_("The repatriation plan is saved."), "success")
        if case.plan.receiving_agency_id and case.receiving_organisation_id is None:
            flash(_("%(agency)s cannot see the return or confirm the arrival until the person's consent to share "
                    "their data with it is recorded.", agency=case.plan.receiving_agency.name), "warning")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="return"))
    return case_page(case, plan_form=form), 400


def arrival_page(case: Case, form: ArrivalForm, status: int = 200):
    summary = case_summary(case, catalogue.field_set_for(current_user, case), date.today())
    # A mission sees the travel documents it issued, never another mission's.
    mission_only = policy.field_set(current_user.role) == policy.CONSULAR_FIELDS
    documents = [d for d in case.travel_documents if d.status in ("valid", "used")
                 and (not mission_only or d.mission_id == current_user.mission_id)]
    return render_template("consular/arrival.html", case=summary, plan=case.plan, documents=documents,
                           form=form), status


@bp.route("/cases/<int:case_id>/arrival", methods=["GET", "POST"])
@authorised("arrival.confirm", Case)
def arrival(case: Case):
    form = ArrivalForm()
    if request.method == "GET":
        form.arrived_on.data = date.today()
        return arrival_page(case, form)
    if form.validate_on_submit():
        if form.arrived_on.data > date.today() or form.arrived_on.data < date.today() - timedelta(days=366):
            form.arrived_on.errors = list(form.arrived_on.errors) + [
                _("Give the date the person arrived: not in the future, and within the last year.")]
        else:
            try:
                returning.confirm_arrival(case, arrived_on=form.arrived_on.data, note=form.note.data or "",
                                          user=current_user, today=date.today(), address=request.remote_addr)
            except returning.Refused as refused:
                db.session.rollback()
                explain_refusal(form.arrived_on, refused.reasons)
            else:
                db.session.commit()
                flash(_("The arrival is confirmed. Follow-ups are scheduled at 3, 6 and 12 months."), "success")
                return redirect(url_for("inbox.index"))
    db.session.refresh(case)
    return arrival_page(case, form, 409 if form.errors else 400)


@bp.route("/cases/<int:case_id>/follow-ups/<int:follow_up_id>", methods=["POST"])
@authorised("follow_up.record", FollowUp, parent=(Case, "case_id"))
def record_follow_up(case: Case, follow_up: FollowUp):
    form = FollowUpForm(prefix=f"follow-up-{follow_up.id}")
    if form.validate_on_submit():
        returning.record_follow_up(follow_up, done_on=form.done_on.data, outcome=form.outcome.data,
                                   note=form.note.data or "", user=current_user, address=request.remote_addr)
        db.session.commit()
        flash(_("The follow-up is recorded."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="follow-ups"))


@bp.route("/follow-ups")
@guarded("follow_up.list")
def follow_ups():
    today = date.today()
    horizon = today + timedelta(days=31)
    cases = visible_cases(current_user, "follow_up.list").with_only_columns(Case.id)
    rows = db.session.scalars(select(FollowUp).where(
        FollowUp.case_id.in_(cases), FollowUp.done_on.is_(None), FollowUp.due_on <= horizon)
        .options(selectinload(FollowUp.case)).order_by(FollowUp.due_on, FollowUp.id).limit(1000)).all()
    return render_template("consular/follow_ups.html", rows=rows, today=today)
