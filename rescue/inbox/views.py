"""Each person's inbox: referrals received and answered, overdue referrals, plans confirmed, arrivals."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rescue.auth.access import guarded
from rescue.auth.roles import Role
from rescue.core import loading, numbers
from rescue.extensions import db
from rescue.inbox import notices
from rescue.inbox.models import Notice

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

PAGE_SIZE = 100
ARRIVAL_KINDS = ("plan_confirmed", "departed")


def _link(notice: Notice) -> str | None:
    if notice.case_id is None:
        return None
    if current_user.role == Role.CONSULAR:
        if notice.kind in ARRIVAL_KINDS:
            return url_for("consular.returning.arrival", case_id=notice.case_id)
        if notice.referral_id:
            return url_for("consular.referral", referral_id=notice.referral_id)
    elif current_user.role in (Role.CASEWORKER, Role.COORDINATOR) and notice.kind in ARRIVAL_KINDS and (
            notice.case is None or notice.case.organisation_id != current_user.organisation_id):
        return url_for("consular.returning.arrival", case_id=notice.case_id)  # a receiving agency
    if notice.referral_id and notice.kind not in ("follow_up_due", "arrival_confirmed"):
        return url_for("consular.referral", referral_id=notice.referral_id)
    return url_for("cases.show", case_id=notice.case_id)


@bp.route("")
@guarded("inbox.view")
def index():
    before = numbers.arg(request.args, "before")
    query = loading.listing(select(Notice)).options(selectinload(Notice.case)).where(
        Notice.recipient_id == current_user.id).order_by(Notice.id.desc())
    if before:
        query = query.where(Notice.id < before)
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    said = notices.texts(rows)
    items = [{"id": n.id, "text": said[n.id], "at": n.created_at, "unread": n.read_at is None,
              "link": _link(n), "kind": n.kind} for n in rows]
    unread = [n.id for n in rows if n.read_at is None]
    return render_template("inbox/index.html", items=items, unread=unread,
                           next_url=url_for("inbox.index", before=rows[-1].id) if more else None)


@bp.route("/read", methods=["POST"])
@guarded("inbox.view")
def mark_read():
    """The notices the person saw on the page are read: a POST with the page's token, never a page view."""
    shown = [int(v) for v in request.form.getlist("notice") if v.isdigit() and len(v) < 10]
    notices.mark_read(current_user.id, shown)
    db.session.commit()
    flash(_("Marked as read."), "success")
    return redirect(url_for("inbox.index"))
