"""What is printed and what is abandoned expires for real: finished batch prints are refused after
RESCUE_PRINT_KEEP_HOURS and `rescue prune` removes them, with cached documents past their lifetime,
intake drafts left for RESCUE_DRAFT_DAYS and the leftovers of failed or cancelled print jobs; the
in-process scheduler runs the same housekeeping, once per process, and never in the test configuration."""
from __future__ import annotations

import io
import json
import logging
import tempfile
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy import text as sql

from rescue import clock
from rescue.audit.models import AuditEntry
from rescue.extensions import db
from rescue.jobs.models import PrintJob
from tests.fixtures.factories import login, post_form

EXPIRED = "This print has expired; print it again."


def page_text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture()
def folders(app, monkeypatch, tmp_path):
    """Prints, cached documents and the housekeeping lock of this test only, so every count below is
    exact and a development server running beside the tests is not in the way."""
    monkeypatch.setitem(app.config, "RESCUE_PRINT_DIR", str(tmp_path / "prints"))
    monkeypatch.setitem(app.config, "RESCUE_DOCUMENT_CACHE_DIR", str(tmp_path / "document-cache"))
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    monkeypatch.setenv("RESCUE_INSTANCE_DIR", str(tmp_path / "instance"))  # for the apps made here
    return tmp_path


@contextmanager
def clock_moved(monkeypatch, **delta):
    """Time passes for the code that decides what has expired."""
    real = clock.utcnow
    with monkeypatch.context() as patch:
        patch.setattr(clock, "utcnow", lambda: real() + timedelta(**delta))
        yield


def prune(app):
    result = app.test_cli_runner().invoke(args=["rescue", "prune"])
    assert result.exit_code == 0, result.output
    return result.output


def prune_entries(app) -> list[dict]:
    with app.app_context():
        return [json.loads(e.detail) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "retention.pruned").order_by(AuditEntry.id))]


def wait_for(app, job_id, statuses=("done", "failed", "cancelled"), timeout=120):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            status = db.session.get(PrintJob, job_id).status
        if status in statuses:
            return status
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} stayed out of {statuses}")


def start_batch(client, case_ids, **options):
    data = {"kind": "packet", "recipient": "full", "mission": "", "language": "en", "output": "pdf",
            "case": [str(c) for c in case_ids], **options}
    response = post_form(client, "/print-jobs", data, token_from="/cases")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture()
def office(app, factory, make_client):
    """A coordinator signed in, and three people of their organisation."""
    ngo = factory.organisation("Hope NGO")
    coordinator = factory.user("coordinator", organisation=ngo)
    browser = make_client()
    login(browser, coordinator)
    people = [factory.case(ngo, status="in_care", family_name=name, given_names="Maria", native_name=None)
              for name in ("SANTOS", "REYES", "CRUZ")]
    return ngo, coordinator, browser, people


def print_again_form(html: str) -> dict:
    """The fields of the "Print again" form on a page, as a browser would send them."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.data = False, {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("action") == "/print-jobs":
                self.inside = True
            elif tag == "input" and self.inside:
                self.data.setdefault(attrs["name"], []).append(attrs.get("value", ""))

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False

    parser = Fields()
    parser.feed(html)
    assert parser.data, "no Print again form"
    return parser.data


def age_job(app, job_id, hours):
    """The passage of time since the job finished."""
    with app.app_context():
        db.session.execute(sql("UPDATE print_job SET finished_at = :at WHERE id = :id"),
                           {"at": clock.utcnow() - timedelta(hours=hours), "id": job_id})
        db.session.commit()


def test_a_batch_print_is_refused_after_the_keep_hours_and_prune_removes_it(app, folders, office):
    _ngo, _coordinator, browser, people = office
    job_id = start_batch(browser, [p.id for p in people])
    assert wait_for(app, job_id) == "done"
    download = browser.get(f"/print-jobs/{job_id}/download")
    assert download.status_code == 200
    assert len(PdfReader(io.BytesIO(download.data)).pages) >= 3
    assert "SANTOS" in PdfReader(io.BytesIO(download.data)).pages[0].extract_text()
    prints = folders / "prints"
    assert len([p for p in prints.iterdir() if p.is_file()]) == 1

    age_job(app, job_id, hours=23)  # RESCUE_PRINT_KEEP_HOURS is 24
    assert browser.get(f"/print-jobs/{job_id}/download").status_code == 200

    age_job(app, job_id, hours=25)
    refused = browser.get(f"/print-jobs/{job_id}/download")  # before any prune
    assert refused.status_code == 410
    assert EXPIRED in page_text(refused) and "Print again" in page_text(refused)
    assert b"%PDF" not in refused.data
    job_page = page_text(browser.get(f"/print-jobs/{job_id}"))
    assert EXPIRED in job_page and f"/print-jobs/{job_id}/download" not in job_page
    assert browser.get(f"/print-jobs/{job_id}.json").get_json()["download"] is None
    assert EXPIRED in page_text(browser.get("/print-jobs"))
    assert len([p for p in prints.iterdir() if p.is_file()]) == 1  # still on disk: prune has not run

    output = prune(app)
    assert "1 expired print(s) removed." in output
    assert "SANTOS" not in output
    assert [p for p in prints.iterdir() if p.is_file()] == []
    with app.app_context():
        job = db.session.get(PrintJob, job_id)
        assert job.status == "done" and job.result_key is None
    assert EXPIRED in page_text(browser.get(f"/print-jobs/{job_id}"))
    assert browser.get(f"/print-jobs/{job_id}/download").status_code == 410

    again = prune(app)  # nothing left to do
    assert "0 expired print(s) removed." in again
    entries = prune_entries(app)
    assert entries[0]["prints"] == 1 and entries[1]["prints"] == 0
    assert set(entries[0]) == {"documents", "prints", "drafts", "temporary"}

    # The page's "Print again" sends the same people, for the same recipient, as a new job.
    response = browser.post("/print-jobs", data=print_again_form(page_text(browser.get(f"/print-jobs/{job_id}"))))
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert new_id != job_id and wait_for(app, new_id) == "done"
    again = browser.get(f"/print-jobs/{new_id}/download")
    assert again.status_code == 200 and len(PdfReader(io.BytesIO(again.data)).pages) >= 3


def test_prune_leaves_running_jobs_alone_and_clears_what_cancelled_ones_left(app, folders, office, monkeypatch):
    from rescue.jobs import batch, runner

    _ngo, _coordinator, browser, people = office
    # A job no worker has picked up yet, cancelled from its page; its worker had been killed half way and
    # left its working folder behind.
    with monkeypatch.context() as patch:
        patch.setattr(runner, "start", lambda job_id: "nowhere")
        cancelled_id = start_batch(browser, [people[0].id])
    post_form(browser, f"/print-jobs/{cancelled_id}/cancel", {}, token_from=f"/print-jobs/{cancelled_id}")
    assert wait_for(app, cancelled_id) == "cancelled"
    prints = folders / "prints"
    prints.mkdir(exist_ok=True)
    leftover = Path(tempfile.mkdtemp(prefix=f"print-{cancelled_id}-", dir=prints))
    (leftover / "00000.pdf").write_bytes(b"%PDF- half a batch")

    # A job running right now: its documents wait until we let them go.
    go_on = threading.Event()
    render = batch._render
    monkeypatch.setattr(batch, "_render", lambda html, memory: go_on.wait(30) and render(html, memory))
    running_id = start_batch(browser, [p.id for p in people])
    assert wait_for(app, running_id, statuses=("running",)) == "running"
    working = [p for p in prints.iterdir() if p.name.startswith(f"print-{running_id}-")]
    assert len(working) == 1

    with clock_moved(monkeypatch, days=400):  # everything is old now
        output = prune(app)
    assert "1 temporary folder(s) of failed or cancelled print jobs removed." in output
    assert "0 expired print(s) removed." in output
    assert not leftover.exists()
    assert working[0].is_dir()

    go_on.set()
    assert wait_for(app, running_id) == "done"
    document = browser.get(f"/print-jobs/{running_id}/download")
    assert document.status_code == 200 and len(PdfReader(io.BytesIO(document.data)).pages) >= 3


def start_draft(client, family_name):
    response = post_form(client, "/intake/new", {}, token_from="/intake")
    assert response.status_code == 302
    draft = int(response.headers["Location"].rsplit("/", 2)[1])
    saved = post_form(client, f"/intake/{draft}/person", {"family_name": family_name, "given_names": "Sophea",
                                                          "sex": "F", "go": "next"},
                      token_from=f"/intake/{draft}/person")
    assert saved.status_code == 302
    return draft


def leave_draft(app, draft, days):
    """The passage of time since anyone typed into the draft."""
    with app.app_context():
        db.session.execute(sql("UPDATE intake_draft SET updated_at = :at WHERE id = :id"),
                           {"at": clock.utcnow() - timedelta(days=days), "id": draft})
        db.session.commit()


def test_abandoned_intake_drafts_are_deleted_after_the_draft_days(app, folders, factory, make_client):
    assert app.config["RESCUE_DRAFT_DAYS"] == 30
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    browser = make_client()
    login(browser, worker)
    abandoned = start_draft(browser, "CHANTHOU")
    recent = start_draft(browser, "VANNAK")
    leave_draft(app, abandoned, days=31)
    leave_draft(app, recent, days=29)

    output = prune(app)
    assert "1 abandoned intake draft(s) removed." in output
    assert "CHANTHOU" not in output and "Sophea" not in output
    listing = page_text(browser.get("/intake"))
    assert "VANNAK" in listing and "CHANTHOU" not in listing
    assert browser.get(f"/intake/{abandoned}/person").status_code == 404
    assert 'value="VANNAK"' in page_text(browser.get(f"/intake/{recent}/person"))
    assert "0 abandoned intake draft(s) removed." in prune(app)
    assert [e["drafts"] for e in prune_entries(app)] == [1, 0]


def test_a_cached_document_past_its_lifetime_is_rendered_again_and_pruned(app, folders, factory, make_client,
                                                                          monkeypatch):
    from rescue.documents import pdf

    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker)
    browser = make_client()
    login(browser, worker)
    renders = []
    render_pdf = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: renders.append(1) or render_pdf(*a, **k))
    url = f"/cases/{case.id}/documents/consent_form.pdf?purpose=processing&person_language=en&language=en"
    cached = folders / "document-cache"

    first = browser.get(url)
    assert first.status_code == 200 and first.data.startswith(b"%PDF") and len(renders) == 1
    assert browser.get(url).data == first.data and len(renders) == 1  # from the cache
    assert len([p for p in cached.glob("*/*") if p.is_file()]) == 1

    with clock_moved(monkeypatch, hours=25):  # RESCUE_DOCUMENT_CACHE_HOURS is 24
        again = browser.get(url)
    assert again.status_code == 200 and again.data.startswith(b"%PDF") and len(renders) == 2  # a miss

    with clock_moved(monkeypatch, hours=23):
        assert "0 cached document(s) removed." in prune(app)
    assert len([p for p in cached.glob("*/*") if p.is_file()]) == 1
    with clock_moved(monkeypatch, hours=25):
        assert "1 cached document(s) removed." in prune(app)
    assert [p for p in cached.glob("*/*") if p.is_file()] == []
    assert browser.get(url).status_code == 200 and len(renders) == 3


def scheduler_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "rescue-scheduler" and t.is_alive()]


def test_the_scheduler_thread_prunes_sends_reminders_and_anonymises(app, folders, factory, make_client):
    from rescue import scheduler

    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    browser = make_client()
    login(browser, worker)
    abandoned = start_draft(browser, "CHANTHOU")
    leave_draft(app, abandoned, days=31)

    rounds: list[dict] = []
    ran = threading.Event()
    thread = scheduler.Scheduler(app, minutes=0.001, on_round=lambda results: (rounds.append(results), ran.set()))
    thread.start()
    try:
        assert ran.wait(30), "the scheduler did not run"
    finally:
        thread.stop()
    assert not thread.thread.is_alive()
    first = rounds[0]
    assert first["prune"] == {"documents": 0, "prints": 0, "drafts": 1, "temporary": 0}
    assert first["send-reminders"] == 0 and first["anonymise-closed-cases"] == 0
    assert browser.get(f"/intake/{abandoned}/person").status_code == 404
    assert prune_entries(app)[0]["drafts"] == 1


def test_one_process_at_a_time_and_a_failing_routine_is_logged_by_id_only(app, folders, monkeypatch, caplog):
    from rescue import scheduler

    runner = scheduler.Scheduler(app, minutes=60)
    with app.app_context(), scheduler.exclusive() as mine:
        assert mine
        assert runner.run_round() == {}  # another holder: this round does nothing
        assert "Another process is pruning now; nothing done." in prune(app)
    assert prune_entries(app) == []

    def broken():
        raise ValueError("SANTOS Maria, born 1995")

    monkeypatch.setitem(scheduler.ROUTINES, "send-reminders", broken)
    with caplog.at_level(logging.ERROR, logger="rescue.scheduler"):
        results = runner.run_round()
    assert results["prune"] == {"documents": 0, "prints": 0, "drafts": 0, "temporary": 0}
    assert results["send-reminders"].startswith("error ")
    assert results["anonymise-closed-cases"] == 0  # the next routine still ran
    error_id = results["send-reminders"].split()[1]
    logged = caplog.text
    assert error_id in logged and "ValueError" in logged
    assert "SANTOS" not in logged and "1995" not in logged


def test_the_scheduler_is_off_in_tests_and_starts_once_per_serving_process(app, client, folders, monkeypatch):
    from config import DevelopmentConfig, ProductionConfig, TestConfig
    from rescue import create_app

    assert app.config["RESCUE_SCHEDULER"] is False and TestConfig.RESCUE_SCHEDULER is False
    assert client.get("/login").status_code == 200
    assert "rescue.scheduler" not in app.extensions and scheduler_threads() == []
    if "RESCUE_SCHEDULER" not in __import__("os").environ:
        assert DevelopmentConfig.RESCUE_SCHEDULER is True and ProductionConfig.RESCUE_SCHEDULER is False

    settings = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "RESCUE_PRINT_DIR",
                                                  "RESCUE_DOCUMENT_CACHE_DIR", "RESCUE_UPLOAD_DIR")}
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    served = create_app({**settings, "RESCUE_SCHEDULER": True, "SERVER_NAME": None})
    try:
        # Created but serving nothing (a `flask` command, the reloader's watching parent): no thread.
        assert scheduler_threads() == []
        browsers = [served.test_client() for _ in range(4)]
        answers = []
        requests = [threading.Thread(target=lambda b=b: answers.append(b.get("/login").status_code))
                    for b in browsers]
        for request in requests:
            request.start()
        for request in requests:
            request.join(30)
        assert answers == [200] * 4
        assert len(scheduler_threads()) == 1
    finally:
        if "rescue.scheduler" in served.extensions:
            served.extensions["rescue.scheduler"].stop()
    assert scheduler_threads() == []

    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")  # the serving child of the reloader starts it at once
    child = create_app({**settings, "RESCUE_SCHEDULER": True, "SERVER_NAME": None})
    try:
        assert len(scheduler_threads()) == 1
    finally:
        child.extensions["rescue.scheduler"].stop()
    for other in (served, child):
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
