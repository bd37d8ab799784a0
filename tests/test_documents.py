"""Every printed document, read back as a reader would: the text of the PDF, in the language chosen at
print time, redacted for its recipient; the emergency travel document and its verification page; batch
printing in the background, in-process and on RQ with Redis."""
import io
import json
import os
import re
import time
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from pdfminer.high_level import extract_text
from pypdf import PdfReader
from sqlalchemy import select

from rescue.audit.models import AuditEntry
from rescue.cases.models import Case, TimelineEvent
from rescue.consular.models import TravelDocument
from rescue.documents import mrz
from rescue.extensions import db
from rescue.jobs.models import PrintJob
from tests.fixtures.factories import login, post_form
from tests.test_consular import World, consent, decide, save_plan, text

PNG_600x800 = None


def photo_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 180, 160)).save(out, "PNG")
    return out.getvalue()


def upload_photo(client, case_id):
    response = client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": __import__("tests.fixtures.factories", fromlist=["csrf_token"]).csrf_token(client, f"/cases/{case_id}"),
        "kind": "photo", "file": (io.BytesIO(photo_bytes()), "photo.png")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.status_code


def has_words(extracted: str, words: str) -> bool:
    """Right-to-left text comes out of a PDF in visual order: accept it either way."""
    return words in extracted or words[::-1] in extracted


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return " ".join(extract_text(io.BytesIO(response.data)).split())  # lines wrap where the layout says


@pytest.fixture()
def world(app, factory, make_client):
    w = World(app, factory, make_client)
    with app.app_context():
        case = db.session.get(Case, w.case.id)
        case.needs, case.legal_notes = "Counselling twice a week", "Witness in the police case"
        case.native_name, case.place_of_birth = "Maria Santos", "Cebu"
        db.session.commit()
    upload_photo(w["worker"], w.case.id)
    consent(w["worker"], w.case.id, "sharing", w.mission.id)
    return w


def test_the_case_packet_is_redacted_for_each_recipient(app, world):
    w = world
    full = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=full&language=en"))
    assert "SANTOS" in full and "fake call-centre job" in full and "Witness in the police case" in full
    assert "Counselling twice a week" in full
    shelter = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=shelter"))
    assert "Counselling twice a week" in shelter
    assert "fake call-centre job" not in shelter and "Witness in the police case" not in shelter
    consulate = pdf_text(w["coordinator"].get(
        f"/cases/{w.case.id}/documents/packet.pdf?recipient=consulate&mission={w.mission.id}"))
    assert "SANTOS" in consulate and "Philippine Embassy" in consulate
    for secret in ("fake call-centre job", "Witness in the police case", "Counselling twice a week"):
        assert secret not in consulate
    refused = w["coordinator"].get(
        f"/cases/{w.case.id}/documents/packet.pdf?recipient=consulate&mission={w.other_mission.id}")
    assert refused.status_code == 302
    page = text(w["coordinator"].get(refused.headers["Location"]))
    assert "The person has not agreed to share their data with this mission." in page


def test_a_consul_prints_only_the_consulate_packet_of_a_referred_case(app, world):
    w = world
    assert w["consul"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=full").status_code == 403
    w.referred(photo=False)
    consulate = pdf_text(w["consul"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=full"))
    assert "SANTOS" in consulate and "fake call-centre job" not in consulate and "Counselling" not in consulate
    assert w["consul"].get(f"/cases/{w.case.id}/documents/consent_form.pdf").status_code == 403
    assert w["other_consul"].get(f"/cases/{w.case.id}/documents/packet.pdf").status_code == 403


def test_each_document_prints_in_the_language_chosen_at_print_time(app, world):
    w = world
    arabic = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=full&language=ar"))
    assert has_words(arabic, "تاريخ الميلاد")  # "Date of birth", in Arabic
    page = text(w["coordinator"].get(f"/cases/{w.case.id}/documents?lang=fr"))  # the page in French
    assert "Imprimer" in page
    english = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=full&language=en"))
    assert "Date of birth" in english  # the document in English all the same


def test_printing_is_on_the_timeline_and_in_the_audit_trail(app, world):
    w = world
    w["coordinator"].get(f"/cases/{w.case.id}/documents/fit_to_travel.pdf?language=en")
    with app.app_context():
        assert db.session.scalar(select(TimelineEvent).where(TimelineEvent.case_id == w.case.id,
                                                             TimelineEvent.kind == "document_printed"))
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "document.printed"))
        assert json.loads(entry.detail)["document"] == "fit_to_travel"
    assert "Printed: Fit-to-travel certificate" in text(w["coordinator"].get(f"/cases/{w.case.id}"))


def test_the_travel_document_request_and_journey_forms_say_what_a_reader_checks(app, world):
    w = world
    request_text = pdf_text(w["coordinator"].get(
        f"/cases/{w.case.id}/documents/travel_request.pdf?mission={w.mission.id}&language=en"))
    assert "Request for a travel document" in request_text and "Philippine Embassy" in request_text
    assert "SANTOS" in request_text and "Cebu" in request_text and "fake call-centre" not in request_text
    save_plan(w["worker"], w.case.id, fit_to_travel_on="2026-11-20", fit_to_travel_clinician="Dr Lim",
              fit_to_travel_conditions="Asthma inhaler", flights="PR 2016", departure_on="2026-12-01",
              escort="Ms Dara")
    fit = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/fit_to_travel.pdf?language=en"))
    assert "Fit-to-travel certificate" in fit and "Dr Lim" in fit and "Asthma inhaler" in fit
    handover = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/handover.pdf?language=en"))
    assert "Reception hand-over form" in handover and "PR 2016" in handover and "Ms Dara" in handover
    assert "Receiving officer" in handover


def test_consent_forms_put_the_persons_language_beside_the_caseworkers(app, world):
    w = world
    form = pdf_text(w["worker"].get(f"/cases/{w.case.id}/documents/consent_form.pdf?purpose=sharing"
                                    f"&mission={w.mission.id}&person_language=km&language=en"))
    assert "I agree that Hope NGO shares information about me with Philippine Embassy." in form
    assert sum("\u1780" <= ch <= "\u17ff" for ch in form) > 150  # the Khmer column, as long as the English
    assert "Caseworker: name and signature" in form
    voluntary = pdf_text(w["worker"].get(f"/cases/{w.case.id}/documents/consent_form.pdf?purpose=voluntary_return"
                                         f"&person_language=ar&language=fr"))
    assert "Je veux rentrer" in voluntary or "retour" in voluntary.lower()
    assert any("\u0600" <= ch <= "\u06ff" for ch in voluntary)  # and the Arabic column


def _issue(w, app, **values):
    data = {"layout": "td2", "number": "PU1234567", "issued_on": date.today().isoformat(),
            "expires_on": (date.today() + timedelta(days=30)).isoformat(), "route": "Phnom Penh - Manila",
            "transit_points": ""}
    data.update(values)
    return post_form(w["consul"], f"/cases/{w.case.id}/travel-documents/issue", data,
                     token_from=f"/cases/{w.case.id}/documents")


def test_the_mission_issues_an_emergency_travel_document_with_a_valid_zone_and_a_checkable_code(app, world):
    w = world
    referral_id = w.referred(photo=False)
    assert "Issue an emergency travel document" not in text(w["consul"].get(f"/cases/{w.case.id}/documents"))
    decide(w["consul"], referral_id, "confirmed", evidence="interview")
    bad = _issue(w, app, number="PU-12")
    assert bad.status_code == 400 and "Use letters and digits only." in text(bad)
    assert _issue(w, app).status_code == 302
    with app.app_context():
        document = db.session.scalar(select(TravelDocument))
        lines = document.mrz.split("\n")
        document_id = document.id
    assert lines[0].startswith("PUPHLSANTOS<<MARIA") and len(lines[0]) == 36
    assert mrz.check(lines).valid
    printed = w["consul"].get(f"/cases/{w.case.id}/travel-documents/{document_id}.pdf?language=en")
    body = pdf_text(printed)
    assert "Emergency travel document" in body and "PU1234567" in body and lines[1] in body.replace(" ", "")
    assert w["coordinator"].get(f"/cases/{w.case.id}/travel-documents/{document_id}.pdf").status_code == 403
    assert w["other_consul"].get(f"/cases/{w.case.id}/travel-documents/{document_id}.pdf").status_code == 403
    with app.app_context():
        from rescue.documents import etd
        with app.test_request_context():
            token = etd.token_for(db.session.get(TravelDocument, document_id))
    anonymous = app.test_client()
    page = text(anonymous.get(f"/verify/{token}"))
    assert "Valid" in page and "PU1234567" in page and "SANTOS" in page
    assert "fake call-centre" not in page and "Cebu" not in page  # no more than the paper shows
    assert anonymous.get(f"/verify/{token}x").status_code == 404
    forged = token.split(".")[0][:-2] + "AA." + token.split(".")[1]
    assert anonymous.get(f"/verify/{forged}").status_code == 404
    post_form(w["consul"], f"/cases/{w.case.id}/travel-documents/{document_id}/revoke", {},
              token_from=f"/cases/{w.case.id}")
    assert "Revoked: do not accept this document" in text(anonymous.get(f"/verify/{token}"))
    # Printed again after the revocation, the paper says so across the page and has no zone to be read.
    again = pdf_text(w["consul"].get(f"/cases/{w.case.id}/travel-documents/{document_id}.pdf?language=en"))
    assert "Revoked: do not accept this document" in again and "PU1234567" in again
    assert lines[1] not in again.replace(" ", "")
    with app.app_context():
        db.session.get(TravelDocument, document_id).status = "valid"
        db.session.get(TravelDocument, document_id).expires_on = date.today() - timedelta(days=1)
        db.session.commit()
    assert "Expired" in text(anonymous.get(f"/verify/{token}"))


def test_an_unchanged_document_printed_again_comes_from_the_cache(app, world):
    w = world
    url = f"/cases/{w.case.id}/documents/consent_form.pdf?purpose=processing&person_language=en&language=en"
    first = w["worker"].get(url)
    folder = app.config["RESCUE_DOCUMENT_CACHE_DIR"]
    entries = sorted(p for p in __import__("pathlib").Path(folder).glob("*/*"))
    assert entries, "the rendered document was kept"
    assert b"%PDF" not in entries[0].read_bytes()  # sealed, not stored in the clear
    again = w["worker"].get(url)
    assert again.data == first.data
    assert len(list(__import__("pathlib").Path(folder).glob("*/*"))) == len(entries)


def test_the_manifest_lists_those_ready_to_travel_in_an_operation(app, world, factory):
    w = world
    with app.app_context():
        from rescue.operations.models import Operation
        operation = Operation(organisation_id=w.ngo.id, name="Dawn")
        db.session.add(operation)
        db.session.flush()
        db.session.get(Case, w.case.id).operation_id = operation.id
        db.session.get(Case, w.case.id).status = "ready_to_travel"
        db.session.commit()
        operation_id = operation.id
    other = factory.case(w.ngo, status="in_care", family_name="STAYING", operation_id=operation_id)
    manifest = pdf_text(w["coordinator"].get(f"/operations/{operation_id}/manifest.pdf?language=en"))
    assert "Manifest of a group departure" in manifest and "SANTOS" in manifest and "STAYING" not in manifest
    assert w["worker"].get(f"/operations/{operation_id}/manifest.pdf").status_code == 403
    assert other


def wait_for(app, job_id, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(PrintJob, job_id)
            if job.finished:
                return job.status
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def start_batch(client, case_ids, **options):
    data = {"kind": "packet", "recipient": "full", "mission": "", "language": "en", "output": "pdf"}
    data.update(options)
    data["case"] = [str(c) for c in case_ids]
    response = post_form(client, "/print-jobs", data, token_from="/cases")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_batch_prints_in_the_background_reports_failures_and_survives_a_reload(app, world, factory):
    w = world
    others = [factory.case(w.ngo, status="in_care", family_name=f"PERSON{n}", native_name=None) for n in range(4)]
    foreign = factory.case(factory.organisation("Elsewhere"), status="in_care", family_name="FOREIGN")
    ids = [w.case.id] + [c.id for c in others] + [foreign.id]
    job_id = start_batch(w["coordinator"], ids, recipient="consulate", mission=w.mission.id)
    page = text(w["coordinator"].get(f"/print-jobs/{job_id}"))  # a reload shows the same job
    assert "Printing" in page and "of 5 done" in page  # the other organisation's case was never taken
    assert wait_for(app, job_id) == "done"
    state = w["coordinator"].get(f"/print-jobs/{job_id}.json").get_json()
    assert state["done"] == 5 and state["total"] == 5
    failed = {f["case"] for f in state["failures"]}
    assert len(failed) == 4 and all("not agreed to share" in f["reason"] for f in state["failures"])
    document = w["coordinator"].get(state["download"])
    reader = PdfReader(io.BytesIO(document.data))
    assert "SANTOS" in reader.pages[0].extract_text()
    assert w["worker"].get(f"/print-jobs/{job_id}").status_code == 403
    with app.app_context():
        events = db.session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "document_printed")).all()
        assert [e.case_id for e in events] == [w.case.id]


def test_a_whole_operation_prints_as_a_zip_and_a_batch_can_be_cancelled(app, world, factory):
    w = world
    with app.app_context():
        from rescue.operations.models import Operation
        operation = Operation(organisation_id=w.ngo.id, name="Dawn")
        db.session.add(operation)
        db.session.commit()
        operation_id = operation.id
    people = [factory.case(w.ngo, status="in_care", family_name=f"MEMBER{n}", operation_id=operation_id)
              for n in range(3)]
    response = post_form(w["coordinator"], "/print-jobs", {
        "operation": operation_id, "kind": "packet", "recipient": "shelter", "mission": "", "language": "km",
        "output": "zip"}, token_from=f"/operations/{operation_id}")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert wait_for(app, job_id) == "done"
    archive = zipfile.ZipFile(io.BytesIO(w["coordinator"].get(f"/print-jobs/{job_id}/download").data))
    assert sorted(archive.namelist()) == sorted(f"{p.number}.pdf" for p in people)
    with app.app_context():
        job = PrintJob(organisation_id=w.ngo.id, requested_by_id=w.coordinator.id, kind="packet", recipient="full",
                       language="en", output="pdf", case_ids=[p.id for p in people], total=3, failures=[])
        db.session.add(job)
        db.session.commit()
        queued_id = job.id
    post_form(w["coordinator"], f"/print-jobs/{queued_id}/cancel", {}, token_from=f"/print-jobs/{queued_id}")
    with app.app_context():
        from rescue.jobs import batch
        batch.run(queued_id)  # a worker that picks it up later does nothing
        assert db.session.get(PrintJob, queued_id).status == "cancelled"


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="batch printing on RQ workers with Redis not tested: TEST_REDIS_URL is not set (.ci/run sets it)")
def test_batches_run_on_rq_workers_when_redis_is_configured(app, world):
    from redis import Redis
    from rq import SimpleWorker

    from rescue.jobs import runner

    w = world
    app.config.update(REDIS_URL=os.environ["TEST_REDIS_URL"], RESCUE_JOB_QUEUE=f"rescue-test-{uuid.uuid4().hex}")
    try:
        job_id = start_batch(w["coordinator"], [w.case.id])
        with app.app_context():
            assert db.session.get(PrintJob, job_id).status == "queued"  # nothing ran in the web process
            queue = runner.queue(Redis.from_url(os.environ["TEST_REDIS_URL"]))
            assert queue.count == 1
            SimpleWorker([queue], connection=queue.connection).work(burst=True)
            assert db.session.get(PrintJob, job_id).status == "done"
            queue.delete(delete_jobs=True)
    finally:
        app.config.update(REDIS_URL=None, RESCUE_JOB_QUEUE="rescue-documents")
    reader = PdfReader(io.BytesIO(w["coordinator"].get(f"/print-jobs/{job_id}/download").data))
    assert "SANTOS" in reader.pages[0].extract_text()


def test_a_batch_of_rolls_issues_one_roll_per_mission(app, world):
    w = world
    w.referred()
    job_id = start_batch(w["coordinator"], [w.case.id], kind="roll", output="pdf")
    assert wait_for(app, job_id) == "done"
    body = PdfReader(io.BytesIO(w["coordinator"].get(f"/print-jobs/{job_id}/download").data)).pages[0].extract_text()
    assert "Philippine Embassy" in body and "SANTOS" in body
    rolls_page = text(w["coordinator"].get("/rolls"))
    assert "Philippine Embassy" in rolls_page  # the roll printed is recorded like any roll issued


def test_a_batch_of_rolls_counts_people_and_says_who_is_on_no_roll(app, world, factory):
    w = world
    w.referred()
    not_referred = factory.case(w.ngo, family_name="NOREFERRAL", native_name=None)
    job_id = start_batch(w["coordinator"], [w.case.id, not_referred.id], kind="roll", output="pdf")
    assert wait_for(app, job_id) == "done"
    page = text(w["coordinator"].get(f"/print-jobs/{job_id}"))
    assert "2 of 2" in page
    assert not_referred.number in page
    assert "Not on a roll: no referral of this person waits for a mission's travel document." in page


def test_a_photo_that_cannot_be_read_is_left_out_and_logged_by_ids_only(app, world, caplog):
    """The packet prints without the photo, and the log says which records, never who."""
    import logging

    from rescue.attachments import store
    from rescue.cases.models import Attachment

    w = world
    with app.app_context():
        photo = db.session.scalars(select(Attachment).where(Attachment.case_id == w.case.id)).one()
        store.path_for(photo.storage_key).write_bytes(b"damaged")
        photo_id = photo.id
    with caplog.at_level(logging.WARNING, logger="rescue"):
        full = pdf_text(w["coordinator"].get(f"/cases/{w.case.id}/documents/packet.pdf?recipient=full&language=en"))
    assert "SANTOS" in full
    lines = [record.getMessage() for record in caplog.records if record.name.startswith("rescue")]
    assert any(f"case {w.case.id} (attachment {photo_id})" in line for line in lines), lines
    assert not any("SANTOS" in line or "Maria" in line for line in lines)


def test_a_document_cached_before_an_erasure_on_another_machine_is_not_served(app, world):
    """Each app server keeps its own cache; another server's erasure (seen in the shared audit trail) makes
    every document rendered before it unusable here too."""
    import os
    import time
    from pathlib import Path

    from rescue.audit import trail

    w = world
    url = f"/cases/{w.case.id}/documents/consent_form.pdf?purpose=processing&person_language=en&language=en"
    folder = Path(app.config["RESCUE_DOCUMENT_CACHE_DIR"])
    before = set(folder.glob("*/*"))
    assert w["worker"].get(url).status_code == 200
    kept = {}
    for path in set(folder.glob("*/*")) - before:
        written = time.time() - 120  # rendered two minutes ago
        os.utime(path, (written, written))
        kept[path] = path.read_bytes()
    assert kept
    with app.app_context():
        trail.record("case.erased", actor_id=None, object_type="case", object_id=999999, detail={"reason": "duplicate"})
        db.session.commit()
    assert w["worker"].get(url).status_code == 200
    # Sealed anew (a fresh nonce) or gone: the entry from before the erasure was not served.
    assert all(not path.exists() or path.read_bytes() != sealed for path, sealed in kept.items())


def test_a_batch_print_refused_comes_back_with_every_choice_kept(client, factory):
    """For a consulate without a mission: refused, and the list comes back with "For: consulate" and the
    same cases ticked, never reset to the complete file."""
    organisation = factory.organisation()
    first, second = factory.case(organisation), factory.case(organisation)
    login(client, factory.user("coordinator", organisation=organisation))
    refused = post_form(client, "/print-jobs", {"kind": "packet", "recipient": "consulate", "mission": "",
                                                "language": "fr", "output": "zip",
                                                "case": [str(first.id), str(second.id)]},
                        token_from="/cases", headers={"Referer": "/cases"})
    assert refused.status_code == 302
    page = client.get("/cases").get_data(as_text=True)
    assert "Choose the mission that receives the packets." in page
    assert '<option selected value="consulate">' in page
    assert '<option selected value="zip">' in page
    for case in (first, second):
        assert re.search(rf'value="{case.id}" form="batch-print" id="select-{case.id}" checked', page), case
    # Once shown, the choices are forgotten: the next visit starts afresh.
    assert '<option selected value="consulate">' not in client.get("/cases").get_data(as_text=True)
