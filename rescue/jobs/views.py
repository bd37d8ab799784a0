"""Batch printing: start a job for selected cases or a whole operation, watch its progress, cancel it,
download the result."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from rescue.audit import trail
from rescue.auth.access import authorised, guarded, require
from rescue.cases.models import Case
from rescue.cases.queries import visible_cases
from rescue.clock import utcnow
from rescue.core import loading, numbers
from rescue.documents.labels import BATCH_FAILURES
from rescue.extensions import db
from rescue.jobs import batch, runner
from rescue.jobs.forms import job_form
from rescue.jobs.models import JobStatus, PrintJob
from rescue.operations.models import Operation

bp = Blueprint("jobs", __name__, url_prefix="/print-jobs")


@bp.context_processor
def expiry():
    """The printing pages say when a finished print has expired (RESCUE_PRINT_KEEP_HOURS)."""
    return {"print_expired": batch.expired}


def _selected_case_ids() -> list[int]:
    """The cases asked for, narrowed to those this coordinator may reach, in the order they came."""
    wanted: list[int] = []
    operation_id = numbers.arg(request.form, "operation")
    scope = visible_cases(current_user, "case.list").with_only_columns(Case.id)
    if operation_id:
        operation = db.session.get(Operation, operation_id) or abort(404)
        require("operation.manifest", operation)
        wanted = list(db.session.scalars(scope.where(Case.operation_id == operation.id).order_by(Case.id)
                                         .limit(batch.MAX_CASES + 1)))
    else:
        ids = numbers.arg_list(request.form, "case")[: batch.MAX_CASES + 1]
        allowed = set(db.session.scalars(scope.where(Case.id.in_(ids)))) if ids else set()
        wanted = [case_id for case_id in dict.fromkeys(ids) if case_id in allowed]
    return wanted


@bp.route("", methods=["POST"])
@guarded("job.print")
def start():
    form = job_form()
    case_ids = _selected_case_ids()
    problems = []
    if not form.validate_on_submit():
        problems += [error for errors in form.errors.values() for error in errors]
    if not case_ids:
        problems.append(_("Choose at least one case."))
    if len(case_ids) > batch.MAX_CASES:
        problems.append(_("At most %(num)s cases can be printed at once.", num=batch.MAX_CASES))
    if form.kind.data == "packet" and form.recipient.data == "consulate" and not form.mission.data:
        problems.append(_("Choose the mission that receives the packets."))
    if problems:
        for problem in problems:
            flash(problem, "error")
        # Back to the list with every choice as it was made, the cases still ticked: a form that forgot
        # "For: consulate" would print the complete file the next time.
        session["print_asked"] = {"kind": form.kind.data, "recipient": form.recipient.data,
                                  "mission": form.mission.data, "language": form.language.data,
                                  "output": form.output.data, "cases": case_ids[:batch.MAX_CASES]}
        return redirect(request.referrer or url_for("cases.index"))
    job = PrintJob(organisation_id=current_user.organisation_id, requested_by_id=current_user.id,
                   kind=form.kind.data, recipient=form.recipient.data, language=form.language.data,
                   output=form.output.data, case_ids=case_ids, total=len(case_ids),
                   mission_id=form.mission.data if form.recipient.data == "consulate" else None, failures=[])
    db.session.add(job)
    db.session.flush()
    trail.record("print_job.started", actor_id=current_user.id, object_type="print_job", object_id=job.id,
                 address=request.remote_addr, detail={"kind": job.kind, "recipient": job.recipient,
                                                      "cases": len(case_ids), "output": job.output})
    db.session.commit()
    runner.start(job.id)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("")
@guarded("job.print")
def index():
    jobs = db.session.scalars(loading.listing(select(PrintJob)).where(PrintJob.organisation_id == current_user.organisation_id)
                              .order_by(PrintJob.id.desc()).limit(50)).all()
    return render_template("jobs/index.html", jobs=jobs)


def progress(job: PrintJob) -> dict:
    left = None
    if job.status == JobStatus.RUNNING and job.started_at and job.done:
        elapsed = (utcnow() - job.started_at).total_seconds()
        left = elapsed / job.done * (job.total - job.done)
    return {
        "status": job.status, "done": job.done, "total": job.total,
        "percent": int(100 * job.done / job.total) if job.total else 100,
        "failures": [{"case": f.get("case") or "", "reason": str(BATCH_FAILURES.get(f.get("reason"), f.get("reason")))}
                     for f in job.failures or []],
        "finished": job.finished,
        "status_text": status_text(job), "time_left": format_timedelta(left, threshold=1.1) if left is not None else "",
        "done_text": _("%(done)s of %(total)s done", done=job.done, total=job.total),
        "download": url_for("jobs.download", job_id=job.id) if job.status == JobStatus.DONE and not batch.expired(job)
        else None,
    }


def status_text(job: PrintJob) -> str:
    if batch.expired(job):
        return _("This print has expired; print it again.")
    return JobStatus.label_of(job.status)


@bp.route("/<int:job_id>")
@authorised("job.print", PrintJob, arg="job_id")
def show(print_job: PrintJob):
    return render_template("jobs/show.html", job=print_job, progress=progress(print_job))


@bp.route("/<int:job_id>.json")
@authorised("job.print", PrintJob, arg="job_id")
def status(print_job: PrintJob):
    return jsonify(progress(print_job))


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@authorised("job.print", PrintJob, arg="job_id")
def cancel(print_job: PrintJob):
    job = print_job
    if not job.finished:
        job.status = JobStatus.CANCELLED if job.status == JobStatus.QUEUED else JobStatus.CANCELLING
        if job.status == JobStatus.CANCELLED:
            job.finished_at = utcnow()
        trail.record("print_job.cancelled", actor_id=current_user.id, object_type="print_job", object_id=job.id,
                     address=request.remote_addr)
        db.session.commit()
        flash(_("The printing stops after the current document."), "success")
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/<int:job_id>/download")
@authorised("job.print", PrintJob, arg="job_id")
def download(print_job: PrintJob):
    job = print_job
    if batch.expired(job):  # refused even before `rescue prune` removes the file
        return render_template("jobs/expired.html", job=job), 410
    body = batch.read_result(job) if job.status == JobStatus.DONE else None
    if body is None:
        abort(404)
    trail.record("print_job.downloaded", actor_id=current_user.id, object_type="print_job", object_id=job.id,
                 address=request.remote_addr)
    db.session.commit()
    mimetype = "application/pdf" if job.output == "pdf" else "application/zip"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="print-{job.id}.{job.output}"'
    return response
