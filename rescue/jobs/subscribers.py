"""A batch print that holds a person whose data is erased or anonymised no longer downloads: its result
file is removed once the change has committed, and the job says why."""
from __future__ import annotations

import logging

from sqlalchemy import select

from rescue.cases import events
from rescue.cases.models import Case
from rescue.core.after_commit import after_commit
from rescue.extensions import db
from rescue.jobs import batch
from rescue.jobs.models import PrintJob

log = logging.getLogger(__name__)
WITHDRAWN = "withdrawn_person"


@events.case_erasing.connect
@events.case_anonymising.connect
def withdraw_prints(case: Case, **_details) -> None:
    jobs = db.session.scalars(select(PrintJob).where(
        PrintJob.organisation_id == case.organisation_id, PrintJob.result_key.is_not(None)))
    paths = []
    for job in jobs:
        if case.id not in (job.case_ids or []):
            continue
        path = batch.result_path(job)
        if path is not None:
            paths.append(path)
        job.result_key = None
        job.failures = [*(job.failures or []), {"case": None, "reason": WITHDRAWN}]
        log.info("print job %s withdrawn: case %s left it", job.id, case.id)

    def remove() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    if paths:
        after_commit(db.session(), remove)
