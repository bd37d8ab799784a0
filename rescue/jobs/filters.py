"""Template filters for batch printing."""
from __future__ import annotations

from flask import Flask

from rescue.cases.labels import label
from rescue.jobs.forms import KIND_LABELS, OUTPUT_LABELS
from rescue.jobs.models import JobStatus


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        print_kind=lambda key: label(KIND_LABELS, key),
        print_output=lambda key: label(OUTPUT_LABELS, key),
        job_status=JobStatus.label_of,
    )
