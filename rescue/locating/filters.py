"""Template filters for reports of people still held."""
from __future__ import annotations

from flask import Flask

from rescue.locating.forms import RELIABILITY_LABELS, SOURCE_LABELS
from rescue.locating.models import ReportStatus


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        report_source=lambda key: str(SOURCE_LABELS.get(key, key)),
        report_reliability=lambda key: str(RELIABILITY_LABELS.get(key, key)),
        report_status=ReportStatus.label_of,
    )
