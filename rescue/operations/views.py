"""Rescue operations: planning, headcounts, and intake of many people at once."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rescue.audit import trail
from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.core import loading, page_parts
from rescue.extensions import db
from rescue.i18n.collation import sort_for
from rescue.operations import people
from rescue.operations.forms import ImportForm, OperationForm
from rescue.operations.models import Operation, Site

bp = Blueprint("operations", __name__, url_prefix="/operations")

BLANK_ROWS = 10


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="rescue operation import")


@bp.route("")
@guarded("operation.list")
def index():
    rows = db.session.scalars(loading.listing(select(Operation)).options(selectinload(Operation.site)).where(Operation.organisation_id == current_user.organisation_id)
                              .order_by(Operation.planned_on.desc().nulls_last(), Operation.id.desc())).all()
    return render_template("operations/index.html", operations=rows,
                           counts=people.headcounts([o.id for o in rows]))


def _form(record: Operation | None) -> OperationForm:
    form = OperationForm(obj=record)
    sites = sort_for(str(get_locale()), db.session.scalars(select(Site).where(
        Site.organisation_id == current_user.organisation_id)).all(), key=lambda s: s.name)
    form.site_id.choices = [("", "—")] + [(s.id, s.name) for s in sites]
    return form


def _page(record: Operation | None, form: OperationForm):
    counts = people.headcounts([record.id]).get(record.id) if record else None
    return render_template("operations/operation.html", form=form, operation=record, count=counts,
                           may_edit=bool(policy.allows(current_user, "operation.edit", record)),
                           # the batch-print form, from printing
                           **page_parts.gather("operations.operation", operation=record, reader=current_user))


@bp.route("/new")
@bp.route("/<int:operation_id>")
@authorised("operation.list", Operation)
def operation(operation: Operation | None = None):
    return _page(operation, _form(operation))


@bp.route("/new", methods=["POST"])
@bp.route("/<int:operation_id>", methods=["POST"])
@authorised("operation.edit", Operation)
def save(operation: Operation | None = None):
    record = operation
    form = _form(record)
    if not form.validate_on_submit():
        return _page(record, form), 400
    target = record or Operation(organisation_id=current_user.organisation_id, created_by_id=current_user.id)
    for name in ("name", "planned_on", "site_id", "lead_agency", "notes"):
        value = getattr(form, name).data
        setattr(target, name, (value.strip() or None) if isinstance(value, str) and name != "name" else value)
    db.session.add(target)
    db.session.flush()
    trail.record("operation.saved", actor_id=current_user.id, object_type="operation", object_id=target.id,
                 address=request.remote_addr)
    db.session.commit()
    flash(_("The operation is saved."), "success")
    return redirect(url_for("operations.operation", operation_id=target.id))


@bp.route("/<int:operation_id>/intake", methods=["GET", "POST"])
@authorised("operation.edit", Operation)
def mass_intake(operation: Operation):
    size = min(max(request.form.get("rows", BLANK_ROWS, type=int), BLANK_ROWS), 200)
    rows = [people.Row(n + 1, {c: request.form.get(f"{c}-{n}", "") for c in people.COLUMNS}) for n in range(size)]
    if request.method == "POST" and request.form.get("go") == "more":
        size = min(size + BLANK_ROWS, 200)
        rows += [people.Row(n + 1, {}) for n in range(len(rows), size)]
    elif request.method == "POST":
        checked = people.check(rows, taken_tags=people.tags_in(operation))
        if not checked:
            flash(_("Type at least one person."), "error")
        elif any(row.problems for row in checked):
            flash(_("Some rows need correcting. Nothing was saved yet."), "error")
        else:
            cases = people.save(operation, checked, user=current_user, today=date.today(), address=request.remote_addr)
            db.session.commit()
            flash(ngettext_people(len(cases)), "success")
            return redirect(url_for("cases.index", operation=operation.id))
    return render_template("operations/intake.html", operation=operation, rows=rows, size=len(rows),
                           columns=people.COLUMNS)


def ngettext_people(count: int) -> str:
    return ngettext("%(num)s case opened for this operation.", "%(num)s cases opened for this operation.", count)


@bp.route("/<int:operation_id>/import", methods=["GET", "POST"])
@authorised("operation.edit", Operation)
def import_people(operation: Operation):
    form = ImportForm()
    rows, payload = [], None
    if request.method == "POST" and request.form.get("payload"):
        try:
            values = _signer().loads(request.form["payload"], max_age=3600)
        except BadSignature:
            abort(400)
        checked = people.check([people.Row(n, v) for n, v in values], taken_tags=people.tags_in(operation))
        if any(row.problems for row in checked):
            abort(400)
        cases = people.save(operation, checked, user=current_user, today=date.today(), address=request.remote_addr)
        db.session.commit()
        flash(ngettext_people(len(cases)), "success")
        return redirect(url_for("cases.index", operation=operation.id))
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = people.check(people.read_spreadsheet(upload.read(), upload.filename or ""),
                                taken_tags=people.tags_in(operation))
        except people.UnreadableSpreadsheet:
            rows = None
            form.file.errors.append(_("This file cannot be read as a spreadsheet: save it as CSV or XLSX and try again."))
        except people.TooManyRows:
            rows = None
            form.file.errors.append(_("This file is too long for one import (at most %(num)s people): split it into files of %(num)s rows or fewer.",
                                      num=people.MAX_ROWS))
        if rows is None:
            pass
        elif not rows:
            form.file.errors.append(_("No person was found in this file. The first row must name the columns."))
        elif any(row.problems for row in rows):
            flash(_("Some rows need correcting in the spreadsheet. Nothing was saved."), "error")
        else:
            payload = _signer().dumps([(row.number, row.values) for row in rows])
    return render_template("operations/import.html", operation=operation, form=form, rows=rows, payload=payload,
                           columns=people.COLUMNS)
