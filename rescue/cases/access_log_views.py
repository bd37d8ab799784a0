"""Who has opened this file, and who was refused: a case's access log, for its coordinators."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rescue.audit.models import AuditEntry
from rescue.auth.access import authorised
from rescue.auth.models import User
from rescue.cases.models import Case
from rescue.extensions import db

bp = Blueprint("access_log", __name__, url_prefix="/<int:case_id>")


@bp.route("/access")
@authorised("case.access_log", Case)
def show(case: Case):
    """Who has opened this file, and who was refused."""
    entries = db.session.scalars(
        select(AuditEntry).options(selectinload(AuditEntry.actor).selectinload(User.organisation),
                                   selectinload(AuditEntry.actor).selectinload(User.mission))
        .where(AuditEntry.object_type == "case", AuditEntry.object_id == case.id,
               # an erased case's number may be given again (SQLite): its history is not this one's
               AuditEntry.at >= case.created_at)
        .order_by(AuditEntry.id.desc()).limit(500)
    ).all()
    return render_template("audit/case_access.html", case=case, entries=entries)
