"""The case page, assembled: the case read through the reader's field set, the forms of casework, and the
panels that other capabilities register (the way home registers its referrals, travel documents, plan and
follow-ups). A capability never reaches into another's views to show its part of the page."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from rescue.auth import policy
from rescue.auth.models import User
from rescue.auth.roles import Role
from rescue.cases import catalogue, progress, workflow
from rescue.cases.forms import AssignForm, ConsentForm, NoteForm, StatusForm, document_form
from rescue.cases.labels import status_label
from rescue.cases.models import Case
from rescue.cases.summary import LANGUAGE_CODES, case_summary, language_name
from rescue.extensions import db

# name in the template -> builder(case, reader, today, bound forms by name) -> the panel's data and forms
Panel = Callable[[Case, object, date, dict], object]
PANELS: dict[str, Panel] = {}


def register_panel(name: str, build: Panel) -> None:
    PANELS[name] = build


def status_form(case: Case, options=None) -> StatusForm:
    options = options if options is not None else workflow.options(
        progress.facts_for(case, date.today()), progress.actor_for(current_user, case))
    form = StatusForm(version=case.version)
    form.target.choices = [("", "—")] + [(o.target, status_label(o.target)) for o in options if o.allowed]
    return form


def consent_form() -> ConsentForm:
    form = ConsentForm()
    from rescue.organisations.models import (
        Mission,  # the directory of missions, for consent to share
        Organisation,
    )

    form.mission_id.choices = [("", "—")] + [(m.id, m.name) for m in db.session.scalars(
        select(Mission).where(Mission.active.is_(True)).order_by(Mission.name))]
    form.organisation_id.choices = [("", "—")] + [(o.id, o.name) for o in db.session.scalars(
        select(Organisation).where(Organisation.kind == "receiving_agency", Organisation.active.is_(True))
        .order_by(Organisation.name))]
    form.language.choices = [("", "—")] + [(code, language_name(code)) for code in LANGUAGE_CODES]
    return form


def assign_form(case: Case) -> AssignForm:
    form = AssignForm(assignee=case.assigned_to_id)
    people = db.session.scalars(select(User).where(
        User.organisation_id == case.organisation_id, User.role == Role.CASEWORKER, User.active.is_(True))
        .order_by(User.display_name, User.email))
    form.assignee.choices = [("", _("Nobody: back to the intake queue"))] + [(u.id, u.label) for u in people]
    return form


def case_page(case: Case, **bound) -> str:
    """The case page for the current user: plain data read through their field set, the moves and forms
    their role allows, and every panel other capabilities registered. A POST that failed hands its bound form
    by name (status_form, note_form, consent_form, assign_form, or a panel's own); the page shows it with its
    errors and knows nothing of the others'."""
    summary = case_summary(case, catalogue.field_set_for(current_user, case), date.today())
    may_edit = bool(policy.allows(current_user, "case.edit", case))
    options = []
    if may_edit:
        options = workflow.options(progress.facts_for(case, date.today()), progress.actor_for(current_user, case))
    return render_template(
        "cases/show.html", case=summary,
        title=_("Case %(number)s", number=summary["number"]),
        may=lambda action: bool(policy.allows(current_user, action, case)),
        options=options,
        status_form=bound.get("status_form") or (status_form(case, options) if may_edit else None),
        note_form=bound.get("note_form") or NoteForm(),
        consent_form=bound.get("consent_form") or (consent_form() if may_edit else None),
        assign_form=bound.get("assign_form") or (
            assign_form(case) if policy.allows(current_user, "case.assign", case) else None),
        document_form=document_form() if may_edit else None,
        **{name: build(case, current_user, date.today(), bound) for name, build in PANELS.items()},
    )
