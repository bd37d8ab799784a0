"""Housekeeping that must happen whether anyone remembers it or not: expired prints, cached documents,
abandoned intake drafts and leftovers of failed print jobs are removed (`prune`), reminders are sent and
closed cases past the retention period are anonymised.

In production cron runs `flask rescue prune`, `send-reminders` and `anonymise-closed-cases`. In
development (RESCUE_SCHEDULER, on by default there) a daemon thread of the web process runs the same
routines every RESCUE_SCHEDULER_MINUTES. Whoever runs them, a file lock under instance/ (one per
database) lets one process at a time do the work; the others skip their turn."""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from flask import Flask, current_app

from rescue.extensions import db

log = logging.getLogger(__name__)

PRUNE_KINDS = ("documents", "prints", "drafts", "temporary")


# The routines --------------------------------------------------------------------------------------------

def prune() -> dict[str, int]:
    """Remove what has outlived its purpose; returns how many of each kind went and records the counts
    (never what they held) in the audit trail. Idempotent, and safe while the app runs: a print job
    still running is never touched."""
    from rescue.audit import trail
    from rescue.documents import cache
    from rescue.intake import drafts
    from rescue.jobs import batch

    counts = {
        "documents": cache.prune(),
        "prints": batch.prune_results(),
        "drafts": drafts.prune(int(current_app.config["RESCUE_DRAFT_DAYS"])),
        "temporary": batch.prune_temporary(),
    }
    trail.record("retention.pruned", detail=counts)
    db.session.commit()
    return counts


def send_reminders() -> int:
    from rescue.consular import reminders

    sent = reminders.sweep(overdue_days=current_app.config["RESCUE_REFERRAL_OVERDUE_DAYS"], today=date.today())
    db.session.commit()
    return sent


def anonymise_closed_cases() -> int:
    from rescue.cases import retention

    return retention.anonymise_closed(current_app.config["RESCUE_RETENTION_DAYS"])


ROUTINES: dict[str, Callable[[], object]] = {
    "prune": prune,
    "send-reminders": send_reminders,
    "anonymise-closed-cases": anonymise_closed_cases,
}


# One process at a time -----------------------------------------------------------------------------------

def lock_path() -> Path:
    """The lock file of this database, under the instance folder: processes working on the same database
    share it, a test database and the development one do not."""
    database = hashlib.sha256(current_app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:16]
    return Path(current_app.instance_path) / f"housekeeping-{database}.lock"


@contextmanager
def exclusive() -> Iterator[bool]:
    """Yields True while this process holds the housekeeping lock, False when another one does (then do
    nothing). The operating system lets go of the lock if the process dies."""
    import fcntl

    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _log_failure(name: str, error: BaseException) -> str:
    """Log a failed routine by an error id, its kind and where it happened (file, line, function): no
    message and no source line, since either may quote the data (an SQL parameter, a name)."""
    error_id = secrets.token_hex(6)
    where = " < ".join(f"{frame.filename}:{frame.lineno} in {frame.name}"
                       for frame in reversed(traceback.extract_tb(error.__traceback__)))
    log.error("scheduled %s failed, error %s: %s at %s", name, error_id, type(error).__name__, where)
    return error_id


# The thread ----------------------------------------------------------------------------------------------

class Scheduler:
    """Runs the routines at once, then every `minutes`, in a daemon thread with an application context.
    A failing routine is logged and the others still run; nothing here stops the app."""

    def __init__(self, app: Flask, *, minutes: float, on_round: Callable[[dict], object] | None = None):
        self.app = app
        self.interval = max(float(minutes) * 60, 0.01)
        self.on_round = on_round
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> Scheduler:
        self.thread = threading.Thread(target=self._loop, name="rescue-scheduler", daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float | None = 10) -> None:
        self.stopping.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                results = self.run_round()
                if self.on_round is not None:
                    self.on_round(results)
            except Exception as error:  # never let the thread die
                _log_failure("round", error)
            self.stopping.wait(self.interval)

    def run_round(self) -> dict:
        """Each routine once, under the lock; {} when another process holds it. Results are counts."""
        results: dict[str, object] = {}
        with self.app.app_context():
            try:
                with exclusive() as mine:
                    if not mine:
                        log.info("housekeeping skipped: another process is doing it")
                        return results
                    for name, routine in ROUTINES.items():
                        if self.stopping.is_set():
                            break
                        try:
                            results[name] = routine()
                        except Exception as error:
                            db.session.rollback()
                            results[name] = f"error {_log_failure(name, error)}"
            finally:
                db.session.remove()
        return results


def configure(app: Flask) -> None:
    """Start the scheduler for a process that serves requests, when RESCUE_SCHEDULER is on. Under the
    Werkzeug reloader the serving child (WERKZEUG_RUN_MAIN) starts it at once; otherwise it starts with
    the first request, so the reloader's watching parent, `flask` commands and RQ workers never run it,
    and a process runs one scheduler however many requests come at once."""
    if not app.config.get("RESCUE_SCHEDULER"):
        return
    guard = threading.Lock()

    def start_once() -> None:
        with guard:
            if "rescue.scheduler" not in app.extensions:
                minutes = max(1, int(app.config["RESCUE_SCHEDULER_MINUTES"]))
                app.extensions["rescue.scheduler"] = Scheduler(app, minutes=minutes).start()

    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        start_once()
        return

    @app.before_request
    def start_scheduler():
        if "rescue.scheduler" not in app.extensions:
            start_once()
