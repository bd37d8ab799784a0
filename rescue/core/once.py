"""Things that may happen once only (a one-time code accepted, a recovery code used), decided by the database.
A claim is one conditional UPDATE: of any number of requests racing for it, on SQLite or PostgreSQL, exactly one
changes the row and wins; the others change nothing and lose. Nothing is read first and written after."""
from __future__ import annotations

from sqlalchemy import Delete, Update
from sqlalchemy.exc import OperationalError

from rescue.extensions import db


def claim(statement: Update | Delete) -> bool:
    """Run the conditional UPDATE (or DELETE) in the request's transaction; True when it changed exactly one row. On
    PostgreSQL a second claimant waits for the first to commit and then finds the condition false. On SQLite a
    claimant whose snapshot another writer has overtaken is refused by the database: it loses, and its
    transaction is rolled back."""
    try:
        result = db.session.execute(statement.execution_options(synchronize_session=False))
    except OperationalError:
        db.session.rollback()
        return False
    return result.rowcount == 1
