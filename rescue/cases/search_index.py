"""Name search that stays fast on a national hub: substring matches answered by a trigram index
(SQLite FTS5 with the trigram tokenizer, kept in step by triggers; PostgreSQL pg_trgm). Both are
created by migration 0006 and live outside the models, so schema comparisons leave them alone."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, column, select, table, text

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


def _trigrams(word: str) -> list[str]:
    return list(dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2)))


def close_ids(form: str, limit: int = 2000) -> Select | None:
    """Ids of cases whose names share trigrams with `form`: candidates for a misspelt search."""
    grams = [g for g in _trigrams(form) if '"' not in g]
    if len(grams) < 2:
        return None
    if db.session.get_bind().dialect.name == "sqlite":
        expression = " OR ".join(f'"{g}"' for g in grams)
        return (select(_fts.c.rowid.label("id")).where(_fts.c.name_key.op("MATCH")(expression))
                .limit(limit))
    return select(Case.id).where(Case.name_key.op("%>")(form)).limit(limit)


def closeness(form: str, name_key: str | None) -> int:
    """How close the best-matching word of a name key is to what was typed (0-100)."""
    from rapidfuzz import fuzz

    words = [w for part in (name_key or "").split(" | ") for w in part.split()]
    return max((int(fuzz.ratio(form, w)) for w in words), default=0)


def newest_ids_with_name(form: str, *, before: int | None, limit: int) -> list[int]:
    """A chunk of matching ids, newest first, below `before`: the name index is read in order and
    stops after `limit` matches, however common the name."""
    pattern = _pattern(form)
    if db.session.get_bind().dialect.name == "sqlite":
        query = select(_fts.c.rowid).where(_fts.c.name_key.like(pattern))
        if before:
            query = query.where(_fts.c.rowid < before)
        return list(db.session.scalars(query.order_by(_fts.c.rowid.desc()).limit(limit)))
    query = select(Case.id).where(Case.name_key.like(pattern))
    if before:
        query = query.where(Case.id < before)
    return list(db.session.scalars(query.order_by(Case.id.desc()).limit(limit)))


def forget_removed_names() -> None:
    """After names were erased or anonymised, leave no trace of them in the index's own storage. SQLite's
    FTS5 keeps deleted terms in its segments until they are merged, and old pages in the write-ahead log:
    merge everything (deleted pages are zeroed by PRAGMA secure_delete) and truncate the log. PostgreSQL's
    index entries of deleted rows hold no name once the row is gone from every snapshot (autovacuum)."""
    if db.session.get_bind().dialect.name != "sqlite":
        return
    db.session.execute(text("INSERT INTO case_name_search(case_name_search) VALUES ('optimize')"))
    db.session.commit()
    # The checkpoint runs outside any transaction (SQLite refuses it inside one), on a connection of its own.
    raw = db.engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
