"""A batch print that holds a person whose data is erased or anonymised no longer downloads: its result
file is removed once the change has committed, and the job says why. And the batch-print form on the case
list and the operation page (rescue/core/page_parts.py)."""
from __future__ import annotations

import logging

from flask import session
from sqlalchemy import select

from rescue.auth import policy
from rescue.cases import events
from rescue.cases.models import Case
from rescue.core import page_parts
from rescue.core.after_commit import after_commit
from rescue.extensions import db
from rescue.jobs import batch
from rescue.jobs.forms import PrintJobForm, job_form
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


def _print_form(reader, operation=None) -> PrintJobForm | None:
    if not policy.allows(reader, "job.print"):
        return None
    form = job_form()
    asked = session.pop("print_asked", None) or {}
    for name in ("kind", "recipient", "mission", "language", "output"):
        if asked.get(name) is not None:
            form[name].data = asked[name]
    form.selected_ids = set(asked.get("cases") or ())  # ticked again on the list
    return form


def _operation_print_form(reader, operation) -> PrintJobForm | None:
    return _print_form(reader) if operation is not None else None


page_parts.contribute("cases.list", "print_form", _print_form)
page_parts.contribute("operations.operation", "print_form", _operation_print_form)
