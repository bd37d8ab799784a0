"""A locating report linked to a case that is merged into another follows the case that stays."""
from __future__ import annotations

from sqlalchemy import update

from rescue.cases import events
from rescue.cases.models import Case
from rescue.extensions import db
from rescue.locating.models import Report


@events.case_merging.connect
def move_to_kept_case(case: Case, *, into: Case) -> None:
    db.session.execute(update(Report).where(Report.case_id == case.id).values(case_id=into.id))
