"""What caseworkers and coordinators do on a case page: move it along, add notes, record consent."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from rescue.auth.access import authorised
from rescue.auth.models import User
from rescue.cases import progress, workflow
from rescue.cases.forms import NoteForm
from rescue.cases.labels import blocked_reason, status_label
from rescue.cases.models import Case
from rescue.cases.page import assign_form, case_page, consent_form, status_form
from rescue.extensions import db

bp = Blueprint("casework", __name__, url_prefix="/<int:case_id>")


@bp.route("/status", methods=["POST"])
@authorised("case.edit", Case)
def change_status(case: Case):
    form = status_form(case)
    # Every status is accepted here; the workflow, not the list, decides and explains.
    form.target.choices = [(state, status_label(state)) for state in workflow.ALL_STATES]
    if form.validate_on_submit():
        try:
            progress.move(case, target=form.target.data, reason=form.reason.data or "", user=current_user,
                          version=form.version.data, today=date.today(), address=request.remote_addr)
            db.session.commit()
        except (progress.StaleCase, StaleDataError):
            db.session.rollback()
            form.target.errors.append(_("Someone else changed this case while you were reading it. "
                                        "Check the latest version below, then try again."))
        except progress.MoveRefused as refusal:
            db.session.rollback()
            form.target.errors.extend(blocked_reason(code) for code in refusal.reasons)
        else:
            flash(_("The status is now: %(status)s.", status=status_label(case.status)), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    db.session.refresh(case)
    return case_page(case, status_form=form), 409 if form.target.errors else 400


@bp.route("/notes", methods=["POST"])
@authorised("case.edit", Case)
def add_note(case: Case):
    form = NoteForm()
    if form.validate_on_submit():
        progress.add_note(case, kind=form.kind.data, text=form.text.data, user=current_user,
                          address=request.remote_addr)
        db.session.commit()
        flash(_("The note is added to the timeline."), "success")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="timeline"))
    return case_page(case, note_form=form), 400


@bp.route("/consents", methods=["POST"])
@authorised("case.edit", Case)
def record_consent(case: Case):
    form = consent_form()
    if form.validate_on_submit():
        sharing = form.purpose.data == "sharing"
        if sharing and not (form.mission_id.data or form.organisation_id.data or form.recipient.data):
            form.mission_id.errors.append(_("Consent to share names a recipient: choose a mission or name another recipient."))
        elif sharing and form.mission_id.data and form.organisation_id.data:
            form.organisation_id.errors.append(_("One consent names one recipient: record the mission and the receiving agency separately."))
        else:
            progress.record_consent(
                case, purpose=form.purpose.data, decision=form.decision.data,
                mission_id=form.mission_id.data if sharing else None,
                organisation_id=form.organisation_id.data if sharing else None,
                recipient=form.recipient.data if form.purpose.data == "sharing" else None,
                language=form.language.data, interpreter=form.interpreter.data, witness=form.witness.data,
                given_on=form.given_on.data, user=current_user, address=request.remote_addr)
            db.session.commit()
            flash(_("The consent is recorded."), "success")
            return redirect(url_for("cases.show", case_id=case.id, _anchor="consents"))
    return case_page(case, consent_form=form), 400


@bp.route("/assign", methods=["POST"])
@authorised("case.assign", Case)
def assign(case: Case):
    form = assign_form(case)
    if form.validate_on_submit():
        assignee = db.session.get(User, form.assignee.data) if form.assignee.data else None
        progress.assign(case, assignee=assignee, user=current_user, address=request.remote_addr)
        db.session.commit()
        flash(_("The case is now assigned to %(name)s.", name=assignee.label) if assignee else
              _("The case is back in the intake queue."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    return case_page(case, assign_form=form), 400
