"""Nominal rolls: issue one for a mission, see the rolls issued, print one again as it was."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.consular import rolls
from rescue.consular.forms import RollForm
from rescue.consular.models import NominalRoll, NominalRollEntry
from rescue.extensions import db
from rescue.i18n.choices import country_label, locale_choices
from rescue.i18n.collation import reader_sort_key
from rescue.organisations.models import Mission

bp = Blueprint("rolls", __name__, url_prefix="/rolls")


def _scope(query):
    if policy.rolls_of_mission(current_user):
        return query.where(NominalRoll.mission_id == current_user.mission_id)
    return query.where(NominalRoll.organisation_id == current_user.organisation_id)


def roll_form(form: RollForm | None = None) -> RollForm:
    form = form or RollForm()
    if policy.rolls_of_mission(current_user):
        missions = [db.session.get(Mission, current_user.mission_id)]
    else:
        missions = sorted(db.session.scalars(select(Mission).where(Mission.active.is_(True))),
                          key=lambda m: reader_sort_key(m.name))
    form.mission_id.choices = [(m.id, f"{m.name} · {country_label(m.represents)}") for m in missions if m]
    return form


@bp.route("")
@guarded("roll.list")
def index(form: RollForm | None = None):
    issued = db.session.execute(_scope(
        select(NominalRoll, func.count(NominalRollEntry.id))
        .outerjoin(NominalRollEntry, NominalRollEntry.roll_id == NominalRoll.id)
        .group_by(NominalRoll.id).options(selectinload(NominalRoll.mission), selectinload(NominalRoll.issued_by))
        .order_by(NominalRoll.issued_at.desc()).limit(200))).all()
    return render_template("consular/rolls.html", issued=issued, form=roll_form(form),
                           may_issue=bool(policy.allows(current_user, "roll.issue")))


@bp.route("", methods=["POST"])
@guarded("roll.issue")
def issue():
    form = roll_form()
    if form.validate_on_submit():
        mission = db.session.get(Mission, form.mission_id.data) or abort(404)
        if not policy.may_issue_roll_for(current_user, mission.id):
            abort(404)
        organisation_id = None if policy.rolls_of_mission(current_user) else current_user.organisation_id
        roll = rolls.issue(mission, organisation_id=organisation_id, user=current_user,
                           address=request.remote_addr)
        db.session.commit()
        flash(_("The nominal roll is issued with %(num)s people.", num=len(roll.entries)), "success")
        return redirect(url_for("consular.rolls.show", roll_id=roll.id))
    return index(form), 400


@bp.route("/<int:roll_id>")
@authorised("roll.view", NominalRoll, arg="roll_id")
def show(nominal_roll: NominalRoll):
    roll = nominal_roll
    from rescue.audit import trail
    trail.record("roll.viewed", actor_id=current_user.id, object_type="nominal_roll", object_id=roll.id,
                 address=request.remote_addr)
    db.session.commit()
    return render_template("consular/roll.html", roll=roll, lines=rolls.lines_for(roll), languages=locale_choices())
