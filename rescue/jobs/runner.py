"""Where a job runs: on RQ workers when REDIS_URL is set (`flask rescue worker` on any machine that
shares the database), otherwise in a thread of this process."""
from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from rescue.jobs import batch

log = logging.getLogger(__name__)


def queue(connection=None):
    from redis import Redis
    from rq import Queue

    connection = connection or Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(current_app.config["RESCUE_JOB_QUEUE"], connection=connection)


def start(job_id: int) -> str:
    if current_app.config.get("REDIS_URL"):
        queue().enqueue("rescue.worker.run_print_job", job_id, job_timeout=3600, result_ttl=0, failure_ttl=86400)
        return "rq"
    app = current_app._get_current_object()
    threading.Thread(target=_run_here, args=(app, job_id), name=f"print-job-{job_id}", daemon=True).start()
    return "thread"


def _run_here(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            batch.run(job_id)
        except Exception as error:
            from rescue.core.errors import describe

            # The job id and where it failed only: an exception's message may quote personal data.
            log.error("print job %s failed\n%s", job_id, describe(error))
