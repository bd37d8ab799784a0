"""A coordinator merges a duplicate record of the same person into the case that stays."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField

from rescue.auth import policy
from rescue.auth.access import authorised
from rescue.cases import merging
from rescue.cases.models import Case
from rescue.core.forms import Form, max_length, required
from rescue.extensions import db

bp = Blueprint("merging", __name__)


class MergeForm(Form):
    number = StringField(_l("Case number of the other record"), validators=[required(), max_length(20)])


@bp.route("/<int:case_id>/merge", methods=["GET", "POST"])
@authorised("case.merge", Case)
def merge(case: Case):
    keep = case  # the case that stays
    form = MergeForm()
    other = None
    if form.validate_on_submit():
        number = form.number.data.strip().upper()
        other = db.session.scalar(select(Case).where(Case.number == number))
        if other is None or not policy.allows(current_user, "case.merge", other):
            form.number.errors.append(_("No case with this number is yours to merge."))
            other = None
        elif other.id == keep.id:
            form.number.errors.append(_("A case cannot be merged into itself."))
            other = None
        elif request.form.get("confirm") == "yes":
            merging.merge(keep, other, user=current_user, address=request.remote_addr)
            db.session.commit()
            flash(_("The two records are merged."), "success")
            return redirect(url_for("cases.show", case_id=keep.id))
    return render_template("cases/merge.html", keep=keep, other=other, form=form)
