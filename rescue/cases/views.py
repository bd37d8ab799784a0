"""The case list and the case page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rescue.audit import trail
from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.auth.freshness import requires_recent_sign_in
from rescue.auth.models import User
from rescue.auth.roles import Role
from rescue.cases import catalogue, listing, names, search_index
from rescue.cases import export as exporting
from rescue.cases.models import Case
from rescue.cases.page import case_page
from rescue.cases.queries import visible_cases
from rescue.cases.summary import listed
from rescue.cases.workflow import CaseStatus
from rescue.core import loading, page_parts
from rescue.extensions import db
from rescue.i18n.choices import country_choices

bp = Blueprint("cases", __name__, url_prefix="/cases")

PAGE_SIZE = 50


def _listed(filters: listing.CaseFilters):
    query = loading.listing(visible_cases(current_user)).options(
        selectinload(Case.nationalities), selectinload(Case.assigned_to))
    return listing.apply(query, filters, current_user, date.today())


@bp.route("")
@guarded("case.list")
def index():
    filters = listing.parse(request.args)
    if filters.q and filters.sort == "newest":
        unsearched = listing.CaseFilters(**{**filters.__dict__, "q": ""})
        rows = listing.search_newest(_listed(unsearched), filters, request.args.get("after"), PAGE_SIZE + 1,
                                     user=current_user)
    else:
        query = listing.after(listing.order(_listed(filters), filters), filters, request.args.get("after"))
        rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
    has_more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    args = filters.as_args()
    close = _close_names(filters) if not rows and filters.q and not request.args.get("after") else []
    next_url = url_for("cases.index", **args, after=listing.cursor_of(rows[-1], filters)) if has_more else None
    first_url = url_for("cases.index", **args) if request.args.get("after") else None
    field_set = catalogue.field_set_of_role(current_user.role)  # the list is already scoped to the reader
    return render_template(
        "cases/index.html", cases=[listed(case, field_set) for case in rows], filters=filters,
        statuses=CaseStatus.choices(), next_url=next_url, first_url=first_url, export_args=args,
        full_fields=policy.field_set(current_user.role) == policy.FULL,
        caseworkers=_caseworkers(), nationalities=country_choices(with_special=True),
        waiting_choices=listing.WAITING_CHOICES, may_export=bool(policy.allows(current_user, "case.export")),
        close=[listed(case, field_set) for case in close],
        # the operation and site filters' choices, the batch-print form: from the capabilities that own them
        **page_parts.gather("cases.list", reader=current_user),
    )


def _close_names(filters: listing.CaseFilters) -> list[Case]:
    """Nothing matched: offer the cases whose names are a letter or two away from what was typed, each word
    of it ("KUMAR Rahull" is close to Rahul KUMAR)."""
    found: dict[int, int] = {}
    for form in names.forms(filters.q):
        words = [w for w in listing.words_of(form) if len(w) >= 3]
        if not words or max(len(w) for w in words) < 4:
            continue
        candidates: set[int] = set()
        for word in words:
            close = search_index.close_ids(word)
            if close is not None:
                candidates.update(db.session.scalars(close))
        if not candidates:
            continue
        narrowed = listing.CaseFilters(**{**filters.__dict__, "q": ""})
        query = listing.apply(visible_cases(current_user), narrowed, current_user, date.today())
        rows = db.session.execute(query.with_only_columns(Case.id, Case.name_key)
                                  .where(Case.id.in_(list(candidates)[:2000])).limit(2000))
        for case_id, name_key in rows:
            # every word typed must be close to a word of the name: the mean of their best matches
            score = sum(search_index.closeness(word, name_key) for word in words) // len(words)
            if score >= 75:
                found[case_id] = max(found.get(case_id, 0), score)
    best = sorted(found, key=lambda case_id: -found[case_id])[:20]
    loaded = {case.id: case for case in db.session.scalars(select(Case).where(Case.id.in_(best)))} if best else {}
    return [loaded[case_id] for case_id in best if case_id in loaded]


def _caseworkers() -> list:
    if current_user.role != Role.COORDINATOR:
        return []
    return list(db.session.scalars(select(User).where(
        User.organisation_id == current_user.organisation_id, User.role == Role.CASEWORKER,
        User.active.is_(True)).order_by(User.display_name, User.email)))


@bp.route("/export.<any(csv, xlsx):extension>")
@guarded("case.export")
@requires_recent_sign_in(return_to=lambda extension: url_for("cases.index"))
def export(extension: str):
    filters = listing.parse(request.args)
    cases = list(db.session.scalars(listing.order(_listed(filters), filters).limit(exporting.MAX_ROWS)))
    header, rows = exporting.table(cases, catalogue.field_set_of_role(current_user.role))
    trail.record("case.exported", actor_id=current_user.id, address=request.remote_addr,
                 detail={"format": extension, "rows": len(rows), "searched": bool(filters.q),
                         "filters": {k: v for k, v in filters.as_args().items() if k != "q"}})
    db.session.commit()
    if extension == "csv":
        body, mimetype = exporting.to_csv(header, rows), "text/csv"
    else:
        body = exporting.to_xlsx(header, rows, _("Cases"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{exporting.filename(extension, date.today())}"'
    return response


@bp.route("/<int:case_id>")
@authorised("case.view", Case)
def show(case: Case):
    trail.record("case.viewed", actor_id=current_user.id, object_type="case", object_id=case.id,
                 address=request.remote_addr)
    db.session.commit()
    return case_page(case)
