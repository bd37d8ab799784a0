"""The case list and the case page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from rescue.attachments.forms import AttachmentForm
from rescue.audit import trail
from rescue.auth import policy
from rescue.auth.access import guarded, require
from rescue.cases import names
from rescue.cases.labels import STATUS_LABELS
from rescue.cases.models import Case
from rescue.cases.queries import visible_cases
from rescue.cases.summary import case_summary
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
    summary = case_summary(case, current_user.role, date.today())
    return render_template("cases/show.html", case=summary,
                           title=_("Case %(number)s", number=summary["number"]),
                           may=lambda action: bool(policy.allows(current_user, action, case)),
                           attachment_form=AttachmentForm())
