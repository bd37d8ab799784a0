"""Opening a case: its number, its first timeline entry, its derived search key."""
from __future__ import annotations

from sqlalchemy import select

from rescue.cases import names
from rescue.cases.models import Case, TimelineEvent
from rescue.cases.numbers import new_case_number
from rescue.extensions import db


def unused_case_number() -> str:
    while True:
        number = new_case_number()
        if db.session.scalar(select(Case.id).where(Case.number == number)) is None:
            return number


def refresh_name_key(case: Case) -> None:
    case.name_key = names.search_key(case.family_name, case.given_names,
                                     f"{case.given_names or ''} {case.family_name or ''}",
                                     case.native_name, *(a.name for a in case.aliases))


def open_case(case: Case, *, actor_id: int | None) -> Case:
    case.number = case.number or unused_case_number()
    refresh_name_key(case)
    db.session.add(case)
    case.timeline.append(TimelineEvent(kind="created", actor_id=actor_id, to_status=case.status))
    db.session.flush()
    return case
