"""The page that corrects a case's details about the person."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired

from rescue.auth.access import authorised
from rescue.cases import conflicts, editing, progress
from rescue.cases.models import Case
from rescue.cases.person_forms import BirthStep, FoundStep, PersonStep, form_choices
from rescue.extensions import db

bp = Blueprint("editing", __name__)


class CaseDetailsForm(PersonStep, BirthStep, FoundStep):
    """The intake's questions on one page, without the status (which the workflow owns)."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.status


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@authorised("case.edit", Case)
def edit(case: Case):
    if request.method == "POST":
        form = CaseDetailsForm()
    else:
        values = editing.current_values(case)
        pairs = [("version", case.version)]
        for name, value in values.items():
            if isinstance(value, list):
                pairs += [(name, v) for v in value]
            elif value not in (None, "", False):
                pairs.append((name, "y" if value is True else _as_typed(value)))
        form = CaseDetailsForm(formdata=MultiDict(pairs))
    form_choices(form)
    status = 200
    conflict = None
    if request.method == "POST":
        if form.validate_on_submit():
            data = {field.name: field.data for field in form if field.name not in ("csrf_token", "version")}
            try:
                changed = editing.apply(case, data, version=form.version.data, user=current_user,
                                        address=request.remote_addr)
                db.session.commit()
            except (progress.StaleCase, StaleDataError):
                db.session.rollback()
                db.session.refresh(case)
                conflict = conflicts.differences(form, data, editing.current_values(case))
                # Saving again now is a deliberate choice, made with both versions in view.
                form.version.data, form.version.raw_data = case.version, [str(case.version)]
                status = 409
            else:
                flash(_("The case is saved.") if changed else _("Nothing was changed."), "success")
                return redirect(url_for("cases.show", case_id=case.id))
        else:
            status = 400
    return render_template("cases/edit.html", case=case, form=form, conflict=conflict), status


def _as_typed(value) -> str:
    """A stored value as the form's field would have received it from a browser."""
    return value.isoformat() if isinstance(value, date) else str(value)
