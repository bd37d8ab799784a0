"""Template filters for the audit trail."""
from __future__ import annotations

from flask import Flask

from rescue.audit.labels import action_label, detail_text, is_sensitive, outcome_label, record_label


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        audit_action=action_label,
        audit_outcome=outcome_label,
        audit_record=record_label,
        audit_detail=detail_text,
        audit_sensitive=is_sensitive,
    )
