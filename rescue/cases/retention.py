"""Retention and erasure, as the field catalogue says. Closed cases are anonymised after a set period; a case
erased on request disappears entirely: the audit trail keeps, by ids only, what was done to it and a tombstone
(the case's id and the reason).

Both walk the catalogue (rescue/cases/catalogue.py) rather than a list of their own, so a column added to the
person's data is handled the day it is classified. What lives outside the database (sealed attachments,
cached documents, batch prints) is removed by the capabilities that own it, told through
`events.case_erasing` and `events.case_anonymising`."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import JSON, Boolean, Integer, Table, delete, select, update
from sqlalchemy.sql.schema import Column

from rescue.audit import trail
from rescue.cases import catalogue, events, search_index
from rescue.cases.models import Case
from rescue.cases.workflow import CaseStatus
from rescue.clock import utcnow
from rescue.extensions import db

ERASURE_REASONS = ("person_request", "recorded_by_mistake", "duplicate")


def _cleared(column: Column):
    """The 'nothing' of a column: NULL where allowed, else its default or the empty value of its type."""
    if column.nullable:
        return None
    default = getattr(column.default, "arg", None)
    if default is not None and not callable(default):
        return default
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, JSON):
        return {}
    if isinstance(column.type, Integer):
        return 0
    return ""


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _rows_of(name: str, case_id: int):
    """A WHERE clause selecting the rows of table `name` that belong to the case, or None."""
    entry = catalogue.CATALOGUE[name]
    table = _table(name)
    if entry.link is None or name == "case":
        return None
    if entry.through:
        parent = _table(entry.through)
        return table.c[entry.link].in_(select(parent.c.id).where(parent.c.case_id == case_id))
    return table.c[entry.link] == case_id


def _clear_columns(name: str, where, columns) -> None:
    table = _table(name)
    values = {column: _cleared(table.c[column]) for column in columns}
    if values:
        db.session.execute(update(table).where(where).values(**values))


def anonymise(case: Case, *, actor_id: int | None = None) -> None:
    """Remove everything that identifies the person, column by column as the catalogue says; keep what
    statistics need (status, dates, nationality, sex, year of birth, organisation, operation)."""
    events.case_anonymising.send(case, actor_id=actor_id)
    db.session.flush()
    case_table = _table("case")
    for column in catalogue.cleared_on_anonymisation("case"):
        setattr(case, column, _cleared(case_table.c[column]))
    for name, entry in catalogue.CATALOGUE.items():
        where = _rows_of(name, case.id)
        if where is None:
            continue
        if entry.anonymise_rows:
            db.session.execute(delete(_table(name)).where(where))
        else:
            _clear_columns(name, where, catalogue.cleared_on_anonymisation(name))
    case.anonymised_at = utcnow()
    db.session.flush()
    db.session.expire(case)
    trail.record("case.anonymised", actor_id=actor_id, object_type="case", object_id=case.id)


def anonymise_closed(older_than_days: int) -> int:
    cutoff = utcnow() - timedelta(days=older_than_days)
    ids = db.session.scalars(select(Case.id).where(
        Case.status == CaseStatus.CLOSED, Case.status_changed_at < cutoff, Case.anonymised_at.is_(None))).all()
    for case_id in ids:
        anonymise(db.session.get(Case, case_id))
        db.session.commit()
    if ids:
        search_index.forget_removed_names()
    return len(ids)


def erase(case: Case, *, reason: str, actor_id: int | None, address: str | None) -> None:
    """Delete the case and every row of the person; rows that outlive the case (a locating report) lose
    their personal columns. The caller commits, then calls `search_index.forget_removed_names()`."""
    if reason not in ERASURE_REASONS:
        raise ValueError("unknown reason")
    case_id = case.id
    events.case_erasing.send(case, actor_id=actor_id)
    db.session.flush()
    # Children of children first (messages of referrals), then the case's own rows, then the case.
    ordered = sorted(catalogue.CATALOGUE.items(), key=lambda item: item[1].through is None)
    for name, entry in ordered:
        where = _rows_of(name, case_id)
        if where is None:
            continue
        if entry.outlives_case:
            _clear_columns(name, where, catalogue.personal_columns(name))
            db.session.execute(update(_table(name)).where(where).values(case_id=None))
        else:
            db.session.execute(delete(_table(name)).where(where))
    db.session.expunge(case)
    db.session.execute(delete(_table("case")).where(_table("case").c.id == case_id))
    trail.record("case.erased", actor_id=actor_id, object_type="case", object_id=case_id, address=address,
                 detail={"reason": reason})
