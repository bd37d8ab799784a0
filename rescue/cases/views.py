"""The case list and the case page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from rescue.attachments.forms import AttachmentForm
from rescue.audit import trail
from rescue.auth import policy
from rescue.auth.access import guarded, require
from rescue.cases import names
from rescue.cases import progress, workflow
from rescue.cases.forms import ConsentForm, NoteForm, StatusForm
from rescue.cases.labels import STATUS_LABELS, status_label
from rescue.cases.models import Case
from rescue.cases.queries import visible_cases
from rescue.cases.summary import LANGUAGE_CODES, case_summary, language_name
from rescue.consular.models import Mission
from rescue.core.forms import clean_text
from rescue.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/cases")

PAGE_SIZE = 50


def get_case_or_404(case_id: int) -> Case:
    return db.session.get(Case, case_id) or abort(404)


@bp.route("")
@guarded("case.list")
def index():
    query = visible_cases(current_user).options(
        selectinload(Case.nationalities), selectinload(Case.assigned_to)
    )
    status = request.args.get("status", "")
    if status in STATUS_LABELS:
        query = query.where(Case.status == status)
    q = clean_text(request.args.get("q") or "").strip()[:100]
    if q:
        conditions = [Case.number == q.upper()]
        conditions += [Case.name_key.like(f"%{form}%") for form in names.forms(q)]
        query = query.where(or_(*conditions))
    after = request.args.get("after", type=int)
    if after:
        query = query.where(Case.id < after)  # keyset: stays fast on deep pages
    rows = list(db.session.scalars(query.order_by(Case.id.desc()).limit(PAGE_SIZE + 1)))
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_url = url_for("cases.index", q=q or None, status=status or None, after=rows[-1].id) if has_more else None
    first_url = url_for("cases.index", q=q or None, status=status or None) if after else None
    return render_template(
        "cases/index.html", cases=rows, q=q, status=status, statuses=STATUS_LABELS,
        next_url=next_url, first_url=first_url,
        full_fields=policy.field_set(current_user.role) == policy.FULL,
    )


@bp.route("/<int:case_id>")
@guarded("case.view")
def show(case_id: int):
    case = get_case_or_404(case_id)
    require("case.view", case)
    trail.record("case.viewed", actor_id=current_user.id, object_type="case", object_id=case.id,
                 address=request.remote_addr)
    db.session.commit()
    return case_page(case)


def status_form(case: Case, options=None) -> StatusForm:
    options = options if options is not None else workflow.options(
        progress.facts_for(case, date.today()), progress.actor_for(current_user))
    form = StatusForm(version=case.version)
    form.target.choices = [("", "—")] + [(o.target, status_label(o.target)) for o in options if o.allowed]
    return form


def consent_form() -> ConsentForm:
    form = ConsentForm()
    form.mission_id.choices = [("", "—")] + [(m.id, m.name) for m in db.session.scalars(
        select(Mission).where(Mission.active.is_(True)).order_by(Mission.name))]
    form.language.choices = [("", "—")] + [(code, language_name(code)) for code in LANGUAGE_CODES]
    return form


def case_page(case: Case, *, status_form_=None, note_form=None, consent_form_=None):
    """The case page for the current user: plain data redacted to their field set, and the moves and
    forms their role allows."""
    summary = case_summary(case, current_user.role, date.today())
    may_edit = bool(policy.allows(current_user, "case.edit", case))
    options = []
    if may_edit:
        options = workflow.options(progress.facts_for(case, date.today()), progress.actor_for(current_user))
    return render_template(
        "cases/show.html", case=summary,
        title=_("Case %(number)s", number=summary["number"]),
        may=lambda action: bool(policy.allows(current_user, action, case)),
        attachment_form=AttachmentForm(),
        options=options,
        status_form=status_form_ or (status_form(case, options) if may_edit else None),
        note_form=note_form or NoteForm(),
        consent_form=consent_form_ or (consent_form() if may_edit else None),
    )
