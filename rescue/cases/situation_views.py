"""The person's situation and identity documents, on their own page of the case."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from rescue.audit import trail
from rescue.auth.access import authorised
from rescue.cases import conflicts
from rescue.cases.forms import SituationEditForm, document_form
from rescue.cases.labels import (
    EXPLOITATION_LABELS,
    LEGAL_STATUS_LABELS,
    RECRUITMENT_CHANNEL_LABELS,
    RISK_LABELS,
)
from rescue.cases.models import Case, IdentityDocument, TimelineEvent
from rescue.cases.progress import StaleCase
from rescue.clock import utcnow
from rescue.extensions import db

bp = Blueprint("situation", __name__, url_prefix="/<int:case_id>")

SITUATION_FIELDS = ("next_of_kin", "next_of_kin_shareable", "recruitment_channel", "recruitment_details",
                    "exploitation", "pregnant", "medical_needs", "disability", "needs", "risk_level", "risk_notes",
                    "legal_status", "legal_notes")


def _choices(mapping: dict) -> list:
    return [("", "—")] + [(key, str(value)) for key, value in mapping.items()]


@bp.route("/situation", methods=["GET", "POST"])
@authorised("case.edit", Case)
def edit(case: Case):
    form = SituationEditForm(obj=case)
    form.recruitment_channel.choices = _choices(RECRUITMENT_CHANNEL_LABELS)
    form.exploitation.choices = _choices(EXPLOITATION_LABELS)
    form.risk_level.choices = _choices(RISK_LABELS)
    form.legal_status.choices = _choices(LEGAL_STATUS_LABELS)
    if request.method == "GET":
        form.version.data = case.version
    conflict = None
    if form.validate_on_submit():
        typed = {name: _typed(getattr(form, name).data) for name in SITUATION_FIELDS}
        try:
            if form.version.data != case.version:
                raise StaleCase()
            changed = [name for name in SITUATION_FIELDS if getattr(case, name) != typed[name]]
            for name in changed:
                setattr(case, name, typed[name])
            if changed:
                case.updated_at = utcnow()
                case.timeline.append(TimelineEvent(kind="details_changed", actor_id=current_user.id))
                trail.record("case.changed", actor_id=current_user.id, object_type="case", object_id=case.id,
                             address=request.remote_addr, detail={"fields": changed})
            db.session.commit()
        except (StaleCase, StaleDataError):
            db.session.rollback()
            db.session.refresh(case)
            conflict = conflicts.differences(form, typed, {name: getattr(case, name) for name in SITUATION_FIELDS})
            # Saving again now is a deliberate choice, made with both versions in view.
            form.version.data, form.version.raw_data = case.version, [str(case.version)]
            return render_template("cases/situation.html", case=case, form=form, conflict=conflict), 409
        flash(_("The case is saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="situation"))
    return render_template("cases/situation.html", case=case, form=form, conflict=conflict), \
        400 if form.errors else 200


def _typed(value):
    return (value.strip() or None) if isinstance(value, str) else value


@bp.route("/documents", methods=["POST"])
@authorised("case.edit", Case)
def add_document(case: Case):
    form = document_form()
    if form.validate_on_submit():
        case.identity_documents.append(IdentityDocument(
            kind=form.kind.data, status=form.status.data, number=(form.number.data or "").strip().upper() or None,
            issuing_country=form.issuing_country.data or None, expires_on=form.expires_on.data))
        trail.record("case.changed", actor_id=current_user.id, object_type="case", object_id=case.id,
                     address=request.remote_addr, detail={"fields": ["identity_documents"]})
        db.session.commit()
        flash(_("The document is recorded."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="documents"))


@bp.route("/documents/<int:document_id>/remove", methods=["POST"])
@authorised("case.edit", IdentityDocument, arg="document_id", parent=(Case, "case_id"))
def remove_document(case: Case, identity_document: IdentityDocument):
    db.session.delete(identity_document)
    trail.record("case.changed", actor_id=current_user.id, object_type="case", object_id=case.id,
                 address=request.remote_addr, detail={"fields": ["identity_documents"]})
    db.session.commit()
    flash(_("The document is removed from the case."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="documents"))
