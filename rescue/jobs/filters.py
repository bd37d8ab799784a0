"""Template filters for batch printing."""
from __future__ import annotations

from flask import Flask

from rescue.documents.labels import JOB_STATUS_LABELS
from rescue.jobs.forms import KIND_LABELS, OUTPUT_LABELS


def _label(labels: dict, key: str | None) -> str:
    return str(labels.get(key, key or ""))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        print_kind=lambda key: _label(KIND_LABELS, key),
        print_output=lambda key: _label(OUTPUT_LABELS, key),
        job_status=lambda key: _label(JOB_STATUS_LABELS, key),
    )
