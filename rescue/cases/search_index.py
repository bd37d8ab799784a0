"""Name search that stays fast on a national hub: substring matches answered by a trigram index
(SQLite FTS5 with the trigram tokenizer, kept in step by triggers; PostgreSQL pg_trgm). Both are
created by migration 0006 and live outside the models, so schema comparisons leave them alone."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, column, select, table

from rescue.cases.models import Case
from rescue.extensions import db

OUTSIDE_MODELS = ("case_name_search", "ix_case_name_key_trgm")
_fts = table("case_name_search", column("rowid"), column("name_key"))


def include_name(name, type_, parent_names) -> bool:
    """For Alembic: leave the search index's own tables and indexes out of comparisons."""
    return not (name and name.startswith(OUTSIDE_MODELS))


def _pattern(text: str) -> str:
    # Wildcards typed by the user are dropped rather than escaped: FTS5 only answers a LIKE from its
    # trigram index when there is no ESCAPE clause, and names never contain % or _.
    return "%" + text.replace("%", "").replace("_", "") + "%"


def ids_with_name(form: str) -> Select:
    """The ids of cases with a name containing `form`, answered by the trigram index."""
    pattern = _pattern(form)
    if db.session.get_bind().dialect.name == "sqlite":
        return select(_fts.c.rowid.label("id")).where(_fts.c.name_key.like(pattern))
    return select(Case.id).where(Case.name_key.like(pattern))


def name_contains(form: str) -> ColumnElement:
    return Case.id.in_(ids_with_name(form))
