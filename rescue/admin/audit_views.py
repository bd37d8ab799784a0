"""The audit trail for administrators: every entry, filtered, and a check that none was changed or deleted."""
from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rescue.audit import trail
from rescue.audit.forms import AuditFilterForm
from rescue.audit.labels import ACTION_LABELS, OUTCOME_LABELS
from rescue.audit.models import AuditEntry
from rescue.auth.access import guarded
from rescue.auth.models import User
from rescue.core import loading, numbers
from rescue.extensions import db

bp = Blueprint("audit", __name__)

PAGE_SIZE = 100


@bp.route("/audit")
@guarded("audit.view")
def index():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("All"))] + [(k, str(v)) for k, v in ACTION_LABELS.items()]
    form.outcome.choices = [("", _("All"))] + [(k, str(v)) for k, v in OUTCOME_LABELS.items()]
    query = loading.listing(select(AuditEntry)).options(selectinload(AuditEntry.actor))
    if form.validate():
        if form.action.data:
            query = query.where(AuditEntry.action == form.action.data)
        if form.outcome.data:
            query = query.where(AuditEntry.outcome == form.outcome.data)
        if form.actor.data:
            actor_ids = select(User.id).where(User.email.like(f"%{form.actor.data.strip().lower()}%"))
            query = query.where(AuditEntry.actor_id.in_(actor_ids))
        if form.object_type.data:
            query = query.where(AuditEntry.object_type == form.object_type.data)
        if form.object_id.data:
            query = query.where(AuditEntry.object_id == form.object_id.data)
        if form.since.data:
            query = query.where(AuditEntry.at >= datetime.combine(form.since.data, time.min))
        if form.until.data:
            query = query.where(AuditEntry.at <= datetime.combine(form.until.data, time.max))
    before = numbers.arg(request.args, "before")
    if before:
        query = query.where(AuditEntry.id < before)
    entries = list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1)))
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    next_url = url_for(".index", **args, before=entries[-1].id) if more else None
    return render_template("audit/index.html", form=form, entries=entries, next_url=next_url,
                           first_url=url_for(".index", **args) if before else None)


@bp.route("/audit/verify", methods=["POST"])
@guarded("audit.view")
def verify():
    broken = trail.verify_all()
    if broken is None:
        flash(_("The audit trail is intact: no entry has been changed or deleted."), "success")
    else:
        flash(_("The audit trail is broken at entry %(id)s: an entry was changed or deleted.", id=broken), "error")
        # the list opens at that entry
        return redirect(url_for(".index", before=broken + 1, _anchor=f"entry-{broken}"))
    return redirect(url_for(".index"))
