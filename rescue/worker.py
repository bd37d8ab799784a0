"""What an RQ worker runs: a batch print, inside the app's context (the one `flask rescue worker` made, or
one made here when a plain `rq worker` picks the job up)."""
from __future__ import annotations

from flask import has_app_context


def run_print_job(job_id: int) -> None:
    from rescue.jobs import batch

    if has_app_context():
        batch.run(job_id)
        return
    from rescue import create_app

    with create_app().app_context():
        batch.run(job_id)
