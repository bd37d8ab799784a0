"""Intake, step by step. Each step is saved as it is left, so a caseworker in the field can close the
browser and pick up where they were; the last step shows likely duplicates before a case is opened."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.cases.models import Case
from rescue.cases.person_forms import form_choices
from rescue.core import numbers
from rescue.extensions import db
from rescue.intake import drafts
from rescue.intake.models import IntakeDraft

bp = Blueprint("intake", __name__, url_prefix="/intake")


@bp.route("")
@guarded("case.create")
def index():
    query = select(IntakeDraft).where(IntakeDraft.organisation_id == current_user.organisation_id)
    if not policy.sees_organisation_drafts(current_user):
        query = query.where(IntakeDraft.created_by_id == current_user.id)
    rows = db.session.scalars(query.order_by(IntakeDraft.updated_at.desc())).all()
    return render_template("intake/index.html", drafts=[(d, drafts.typed(d)) for d in rows])


@bp.route("/new", methods=["POST"])
@guarded("case.create")
def start():
    draft = IntakeDraft(organisation_id=current_user.organisation_id, created_by_id=current_user.id)
    db.session.add(draft)
    db.session.commit()
    return redirect(url_for("intake.step", draft_id=draft.id, step="person"))


@bp.route("/<int:draft_id>/<any(person, birth, found, situation, documents):step>", methods=["GET", "POST"])
@authorised("case.create", IntakeDraft, arg="draft_id")
def step(intake_draft: IntakeDraft, step: str):
    draft = intake_draft
    if request.method == "POST":
        form = drafts.FORMS[step]()
        form_choices(form)
        drafts.remember(draft, step, request.form)
        draft.step = step
        db.session.commit()  # what was typed is kept, valid or not
        if request.headers.get("X-Autosave") == "1":
            return "", 204  # saved while typing: nothing to show
        going_back = request.form.get("go") == "back"
        if going_back or form.validate_on_submit():
            index = drafts.STEPS.index(step)
            target = drafts.STEPS[max(index - 1, 0)] if going_back else drafts.STEPS[index + 1]
            draft.step = target
            db.session.commit()
            if target == "review":
                return redirect(url_for("intake.review", draft_id=draft.id))
            return redirect(url_for("intake.step", draft_id=draft.id, step=target))
    else:
        # A saved step shows what was typed, without errors until it is sent again.
        form = drafts.bound_form(draft, step, choices=form_choices) if drafts.typed(draft).get(step) \
            else drafts.FORMS[step](formdata=None)
        form_choices(form)
    return render_template("intake/step.html", draft=draft, step=step, form=form, steps=drafts.STEPS)


@bp.route("/<int:draft_id>/review", methods=["GET", "POST"])
@authorised("case.create", IntakeDraft, arg="draft_id")
def review(intake_draft: IntakeDraft):
    draft = intake_draft
    broken = drafts.first_invalid_step(draft, form_choices)
    if broken:
        flash(_("Some answers need correcting before the case can be opened."), "error")
        return redirect(url_for("intake.step", draft_id=draft.id, step=broken))
    data = drafts.values(draft, form_choices)
    if request.method == "POST":
        linked = request.form.get("same_as")
        if linked:
            case = db.session.get(Case, numbers.positive_int(linked) or 0)
            if case is None or case.id not in {c.id for c, _m in drafts.possible_duplicates(data, current_user)}:
                abort(404)
            try:
                drafts.link_to(draft, data, case, user=current_user, address=request.remote_addr)
            except drafts.AlreadyTaken:
                return _already_saved()
            db.session.commit()
            flash(_("The names from this intake are added to the existing case."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
        try:
            case = drafts.create_case(draft, data, user=current_user, address=request.remote_addr)
        except drafts.AlreadyTaken:
            return _already_saved()
        db.session.commit()
        flash(_("Case %(number)s is opened.", number=case.number), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    matches = drafts.possible_duplicates(data, current_user)
    return render_template("intake/review.html", draft=draft, data=data, matches=matches, steps=drafts.STEPS,
                           step="review")


def _already_saved():
    db.session.rollback()
    flash(_("This intake was saved a moment ago: find the person in the case list."), "info")
    return redirect(url_for("cases.index"))


@bp.route("/<int:draft_id>/discard", methods=["POST"])
@authorised("case.create", IntakeDraft, arg="draft_id")
def discard(intake_draft: IntakeDraft):
    db.session.delete(intake_draft)
    db.session.commit()
    flash(_("The draft is discarded."), "info")
    return redirect(url_for("intake.index"))
