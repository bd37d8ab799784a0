"""What reaches the logs: request paths and ids, never what people typed or what the database holds.

SQL parameters are hidden (`hide_parameters`), in log lines and in the text of database errors alike;
rows that SQLAlchemy logs at DEBUG (names, birth dates, phone numbers) are dropped."""
from __future__ import annotations

import logging

SQL_LOGGER = "sqlalchemy.engine.Engine"


class DropResultRows(logging.Filter):
    """SQLAlchemy logs every fetched row when its logger is at DEBUG; keep its statements, drop the rows."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


def hide_parameters(options) -> dict:
    """Engine options with SQL parameters kept out of logs and error messages, the others unchanged."""
    return {**(options or {}), "hide_parameters": True}


def register(app) -> None:
    """Before the database is set up: whatever configuration was given, the engine hides parameters."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = hide_parameters(app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    logger = logging.getLogger(SQL_LOGGER)
    if not any(isinstance(existing, DropResultRows) for existing in logger.filters):
        logger.addFilter(DropResultRows())
