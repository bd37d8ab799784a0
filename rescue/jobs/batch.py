"""Printing many documents at once. The job row holds the request and its progress; `run` does the work
wherever it is called from (a thread of the web process, or an RQ worker), rendering as many documents
at a time as there are cores, each in its own bounded child process. A case that fails is reported and
the rest go on; a cancelled job stops at the next document. Memory stays flat: documents go to disk as
they come, and at most two per worker are in flight."""
from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import time
import zipfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask import current_app, g
from sqlalchemy import select, update

from rescue import clock
from rescue.auth import policy
from rescue.auth.models import User
from rescue.cases.models import Case
from rescue.clock import utcnow
from rescue.consular import rolls
from rescue.core.sealing import keyring
from rescue.documents import cache, pdf, printing
from rescue.documents import packet as packets
from rescue.extensions import db
from rescue.jobs.models import JobStatus, PrintJob
from rescue.organisations.models import Mission

log = logging.getLogger(__name__)

MAX_CASES = 2000
PROGRESS_EVERY = 0.5  # seconds between progress writes


def prints_folder() -> Path:
    folder = Path(current_app.config["RESCUE_PRINT_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def result_path(job: PrintJob) -> Path | None:
    if not job.result_key or not job.result_key.isalnum():
        return None
    return prints_folder() / job.result_key


def read_result(job: PrintJob) -> bytes | None:
    path = result_path(job)
    if path is None or not path.exists():
        return None
    return keyring().open(path.read_bytes())


def _status(job_id: int) -> str:
    return db.session.scalar(select(PrintJob.status).where(PrintJob.id == job_id).execution_options(
        populate_existing=True))


def _save_progress(job_id: int, **values) -> None:
    # End the reading first: on SQLite a transaction that read before others wrote may not write after them;
    # one that begins with its write waits its turn instead.
    db.session.commit()
    db.session.execute(update(PrintJob).where(PrintJob.id == job_id).values(**values))
    db.session.commit()


def _documents(job: PrintJob, user, today: date):
    """(label, case id or None, html, memory, people) for each document of the job, or (label, case id, None,
    reason, 1) for a person left out. `people` is how many people of the job the document answers for (one
    for a packet, every line of a roll), so progress counts people, as the job's total does. Each case is let
    go of once its document is built, so memory does not grow with the batch."""
    if job.kind == "roll":
        cases = [c for c in (db.session.get(Case, case_id) for case_id in job.case_ids) if c is not None]
        by_mission: dict[int, list[int]] = {}
        for case in cases:
            waiting = [r for r in case.referrals if r.status in rolls.WAITING_REFERRALS]
            for referral in waiting:
                by_mission.setdefault(referral.mission_id, []).append(case.id)
            if not waiting:
                yield case.number, case.id, None, "no_referral_waiting", 1
        for mission_id, case_ids in by_mission.items():
            mission = db.session.get(Mission, mission_id)
            roll = rolls.issue(mission, organisation_id=job.organisation_id, user=user, address=None,
                               only_case_ids=case_ids)
            for case in cases:
                if case.id in {e.case_id for e in roll.entries}:
                    printing.record(case, kind="nominal_roll", user=user, language=job.language, batch=job.id)
            db.session.commit()
            from rescue.i18n.choices import country_label
            html = printing.html_for("nominal_roll", language=job.language, roll=roll, lines=rolls.lines_for(roll),
                                     mission_country=country_label(mission.represents), printed_on=today)
            yield f"roll-{roll.id}", None, html, {}, len(roll.entries)
        return
    mission = db.session.get(Mission, job.mission_id) if job.mission_id else None
    for case_id in job.case_ids:
        case = db.session.get(Case, case_id)
        if case is None:
            log.info("print job %s: case %s no longer exists (erased) and is left out", job.id, case_id)
            continue
        label = case.number
        if not policy.allows(user, "document.print", case):
            outcome = (label, case_id, None, "refused")
        else:
            try:
                data = packets.packet(case, job.recipient, today, mission=mission)
            except packets.NotForThisRecipient as refused:
                outcome = (label, case_id, None, refused.reason)
            else:
                memory = packets.photo_memory(case)
                html = printing.html_for("case_packet", language=job.language, packet=data, photo=bool(memory),
                                         printed_on=today)
                outcome = (label, case_id, html, memory)
        db.session.expunge(case)
        yield (*outcome, 1)


def _render(html: str, memory: dict) -> bytes:
    return pdf.render_pdf(html, memory=memory).pdf


def run(job_id: int) -> None:
    """Do the job. Safe to call once per job, from any process with an application context. Documents
    are laid out as for the person who asked (their time zone), outside any web request."""
    job = db.session.get(PrintJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return
    user = db.session.get(User, job.requested_by_id)
    with current_app.test_request_context("/"):
        g._login_user = user
        _run(job, user)


def _run(job: PrintJob, user) -> None:
    job_id = job.id
    _save_progress(job_id, status="running", started_at=utcnow())
    workdir = Path(tempfile.mkdtemp(prefix=f"print-{job_id}-", dir=prints_folder()))
    written: list[tuple[str, Path]] = []
    failures: list[dict] = []
    done, last_write = 0, 0.0
    workers = max(1, int(current_app.config.get("RESCUE_PRINT_WORKERS") or 1))
    cancelled = False
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            in_flight: deque[tuple[str, int | None, str | None, Future | bytes, int]] = deque()

            def finish_oldest():
                nonlocal done
                label, case, key, pending, people = in_flight.popleft()
                try:
                    document = pending.result() if isinstance(pending, Future) else pending
                except pdf.RenderError as error:
                    log.warning("print job %s: the document of case %s failed to render (%s)", job.id, case,
                                type(error).__name__)
                    failures.append({"case": label, "reason": "render_failed"})
                else:
                    if key is not None and isinstance(pending, Future):
                        cache.put(key, document)
                    path = workdir / f"{len(written):05d}.pdf"
                    path.write_bytes(document)
                    written.append((label, path))
                    if case is not None:
                        printing.record_for(case, kind="packet", user_id=user.id, language=job.language,
                                            recipient=job.recipient, batch=job.id)
                done += people

            for label, case, html, memory, people in _documents(job, user, date.today()):
                if html is None:
                    log.info("print job %s: case %s not printed (%s)", job.id, case, memory)
                    failures.append({"case": label, "reason": memory})
                    done += 1
                else:
                    key = cache.key_for(html, memory)
                    cached = cache.get(key)
                    in_flight.append((label, case, key, cached if cached is not None else
                                      pool.submit(_render, html, memory), people))
                while len(in_flight) >= 2 * workers:
                    finish_oldest()
                if time.monotonic() - last_write > PROGRESS_EVERY:
                    db.session.commit()  # the timeline and audit entries of the documents finished so far
                    _save_progress(job_id, done=done, failures=list(failures))
                    last_write = time.monotonic()
                    if _status(job_id) == "cancelling":
                        cancelled = True
                        break
            while in_flight:
                finish_oldest()
        db.session.commit()
        if cancelled or _status(job_id) == "cancelling":
            _save_progress(job_id, status="cancelled", done=done, failures=failures, finished_at=utcnow())
            return
        if not written:
            _save_progress(job_id, status="failed", done=done, failures=failures, finished_at=utcnow())
            return
        key = secrets.token_hex(16)
        payload = _merge(written) if job.output == "pdf" else _zip(written)
        target = prints_folder() / key
        with open(target, "wb") as stream:
            stream.write(keyring().seal(payload))
        _save_progress(job_id, status="done", done=done, failures=failures, result_key=key, finished_at=utcnow())
    except Exception:
        db.session.rollback()
        _save_progress(job_id, status="failed", failures=failures + [{"case": "", "reason": "job_failed"}],
                       finished_at=utcnow())
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _merge(written: list[tuple[str, Path]]) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _label, path in written:
        writer.append(str(path))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(written: list[tuple[str, Path]]) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for label, path in written:
            archive.write(path, arcname=f"{label}.pdf")
    return out.getvalue()


def _keep_cutoff() -> datetime:
    """Prints finished before this have expired."""
    return clock.utcnow() - timedelta(hours=float(current_app.config["RESCUE_PRINT_KEEP_HOURS"]))


def expired(job: PrintJob) -> bool:
    """A finished print is kept for RESCUE_PRINT_KEEP_HOURS after it finished and no longer: past that it
    is refused even before `prune` removes the file (which then leaves the row "done" without a result)."""
    return job.status == JobStatus.DONE and job.finished_at is not None and job.finished_at <= _keep_cutoff()


def prune_results() -> int:
    """Remove the files of finished prints past RESCUE_PRINT_KEEP_HOURS, and mark their jobs expired
    (no result left to download); also files no job points at any more that are as old. Returns how
    many prints went. Jobs still running are never touched: their result is written only once done."""
    cutoff = _keep_cutoff()
    removed = 0
    stale = db.session.execute(select(PrintJob.id, PrintJob.result_key).where(
        PrintJob.status == JobStatus.DONE, PrintJob.result_key.is_not(None), PrintJob.finished_at <= cutoff)).all()
    for job_id, key in stale:
        if key.isalnum():
            (prints_folder() / key).unlink(missing_ok=True)
        marked = db.session.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.result_key == key)
                                    .values(result_key=None))
        db.session.commit()
        removed += marked.rowcount or 0
    kept = set(db.session.scalars(select(PrintJob.result_key).where(PrintJob.result_key.is_not(None))))
    oldest = cutoff.replace(tzinfo=UTC).timestamp()
    for path in prints_folder().iterdir():
        try:
            if path.is_file() and path.name not in kept and path.stat().st_mtime <= oldest:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def prune_temporary() -> int:
    """Remove the working folders (documents printed so far) that a failed, cancelled or interrupted job
    left behind. A folder of a job that is queued, running or stopping is never touched. Returns how many
    folders went."""
    removed = 0
    for path in prints_folder().glob("print-*-*"):
        number = path.name.split("-")[1]
        if not path.is_dir() or not number.isdigit():
            continue
        status = db.session.scalar(select(PrintJob.status).where(PrintJob.id == int(number)))
        if status in ("queued", "running", "cancelling"):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed



