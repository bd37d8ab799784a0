"""How the rows of a list are loaded. A list page names, with each query, every relationship its template reads
(selectinload, joinedload). Under RESCUE_STRICT_LOADING (the test suite) any other relationship read lazily
from a listed row raises at once, instead of quietly costing one query per row; elsewhere it just loads."""
from __future__ import annotations

from typing import TypeVar

from flask import current_app
from sqlalchemy import Select
from sqlalchemy.orm import raiseload

Query = TypeVar("Query", bound=Select)


def listing(query: Query) -> Query:
    if current_app.config.get("RESCUE_STRICT_LOADING"):
        return query.options(raiseload("*", sql_only=True))
    return query
