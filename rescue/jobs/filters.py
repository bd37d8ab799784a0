"""Template filters for batch printing."""
from __future__ import annotations

from flask import Flask

from rescue.cases.labels import label
from rescue.documents.labels import JOB_STATUS_LABELS
from rescue.jobs.forms import KIND_LABELS, OUTPUT_LABELS


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        print_kind=lambda key: label(KIND_LABELS, key),
        print_output=lambda key: label(OUTPUT_LABELS, key),
        job_status=lambda key: label(JOB_STATUS_LABELS, key),
    )
