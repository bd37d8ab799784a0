"""Erasing a case on request: a coordinator confirms who they are, says why, and types the number."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField

from rescue.auth.access import authorised
from rescue.auth.freshness import requires_recent_sign_in
from rescue.cases import retention, search_index
from rescue.cases.models import Case
from rescue.core.forms import Form, max_length, required
from rescue.extensions import db

bp = Blueprint("erasure", __name__)

REASON_LABELS = {
    "person_request": _l("The person asked for their data to be erased"),
    "recorded_by_mistake": _l("The case was recorded by mistake"),
    "duplicate": _l("It duplicates another case"),
}


class EraseForm(Form):
    reason = SelectField(_l("Why"), validators=[required()], choices=list(REASON_LABELS.items()))
    number = StringField(_l("Type the case number to confirm"), validators=[required(), max_length(20)])


@bp.route("/<int:case_id>/erase", methods=["GET", "POST"])
@authorised("case.erase", Case)
@requires_recent_sign_in(return_to=lambda case: url_for("cases.erasure.erase", case_id=case.id))
def erase(case: Case):
    form = EraseForm()
    if form.validate_on_submit():
        if form.number.data.strip().upper() != case.number:
            form.number.errors.append(_("The number does not match this case."))
        else:
            retention.erase(case, reason=form.reason.data, actor_id=current_user.id, address=request.remote_addr)
            db.session.commit()
            search_index.forget_removed_names()
            flash(_("The case is erased."), "success")
            return redirect(url_for("cases.index"))
    return render_template("cases/erase.html", case=case, form=form)
