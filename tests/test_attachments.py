"""Attachments: checked by content, sealed at rest, opened only through the policy, keys rotated."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rescue.cases.models import Attachment
from rescue.core.sealing import Keyring, SealError, new_key, parse_key
from rescue.extensions import db
from tests.fixtures.factories import csrf_token, login
from tests.fixtures.scenarios import pdf_with_text

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")
PDF = pdf_with_text("A letter from the embassy")


def _pixels(data):
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGBA").tobytes()


@pytest.fixture()
def uploads(app, tmp_path):
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "unused")


@pytest.fixture()
def world(factory):
    organisation, mission = factory.organisation(), factory.mission()
    worker = factory.user("caseworker", organisation=organisation)
    return {
        "case": factory.case(organisation, assigned_to=worker, referred_to=mission),
        "worker": worker,
        "consul": factory.user("consular", mission=mission),
        "other_consul": factory.user("consular"),
        "outsider": factory.user("coordinator"),
    }


def upload(client, case_id, data, name="photo.png", kind="photo"):
    token = csrf_token(client, f"/cases/{case_id}")
    return client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": token, "kind": kind, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data", follow_redirects=True)


def test_a_photo_is_stored_sealed_and_opened_through_the_app(app, client, uploads, world):
    login(client, world["worker"])
    page = upload(client, world["case"].id, PNG, name="../../etc/passwd\u202egnp.png")
    assert "The attachment is added." in page.get_data(as_text=True)
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        assert attachment.content_type == "image/png" and attachment.filename == "passwdgnp.png"
        attachment_id = attachment.id
    stored = [p for p in Path(uploads).rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert PNG not in stored[0].read_bytes() and b"IHDR" not in stored[0].read_bytes()  # sealed at rest
    response = client.get(f"/cases/{world['case'].id}/attachments/{attachment_id}")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")  # cleaned, so not byte for byte
    assert _pixels(response.data) == _pixels(PNG)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''passwdgnp.png" in response.headers["Content-Disposition"]


def test_type_is_checked_by_content_not_by_name(app, client, uploads, world):
    login(client, world["worker"])
    page = upload(client, world["case"].id, b"<script>alert(1)</script>", name="photo.png")
    assert "Only photos (JPEG, PNG, WebP, HEIC) and PDF documents can be added." in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Attachment)) is None
    assert not list(Path(uploads).rglob("*.*"))


def test_size_is_limited(app, client, uploads, world):
    app.config["RESCUE_MAX_ATTACHMENT_MB"] = 1
    try:
        login(client, world["worker"])
        page = upload(client, world["case"].id, PNG + b"\0" * (1024 * 1024 + 1))
        assert "This file is too large: the limit is 1 MB." in page.get_data(as_text=True)
    finally:
        app.config["RESCUE_MAX_ATTACHMENT_MB"] = 10


def test_consuls_see_identity_documents_but_not_other_scans(make_client, uploads, world, app):
    worker = make_client()
    login(worker, world["worker"])
    upload(worker, world["case"].id, PNG, kind="identity_document")
    upload(worker, world["case"].id, PDF, name="medical.pdf", kind="scan")
    with app.app_context():
        ids = {a.kind: a.id for a in db.session.scalars(select(Attachment))}
    consul = make_client()
    login(consul, world["consul"])
    page = consul.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "medical.pdf" not in page
    base = f"/cases/{world['case'].id}/attachments"
    assert consul.get(f"{base}/{ids['identity_document']}").status_code == 200
    assert consul.get(f"{base}/{ids['scan']}").status_code == 403
    for who in ("other_consul", "outsider"):
        intruder = make_client()
        login(intruder, world[who])
        assert intruder.get(f"{base}/{ids['identity_document']}").status_code == 403



def test_an_attachment_is_reached_only_through_its_own_case(factory, make_client, uploads, world, app):
    worker = make_client()
    login(worker, world["worker"])
    upload(worker, world["case"].id, PNG)
    other_case = factory.case(factory.organisation(), assigned_to=None)
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    coordinator = make_client()
    login(coordinator, factory.user("coordinator", organisation=factory.organisation()))
    # Another organisation's coordinator, and a guessed pairing of case and attachment: refused or not found.
    assert coordinator.get(f"/cases/{world['case'].id}/attachments/{attachment_id}").status_code == 403
    owner = make_client()
    login(owner, factory.user("coordinator", organisation=type("R", (), {"id": other_case.organisation_id})()))
    assert owner.get(f"/cases/{other_case.id}/attachments/{attachment_id}").status_code == 404


def test_consuls_cannot_add_attachments(client, uploads, world):
    login(client, world["consul"])
    response = client.post(f"/cases/{world['case'].id}/attachments",
                           data={"csrf_token": csrf_token(client, "/account"), "kind": "photo",
                                 "file": (io.BytesIO(PNG), "x.png")}, content_type="multipart/form-data")
    assert response.status_code == 403


def test_keys_rotate_without_losing_a_file(app, make_client, uploads, world):
    worker = make_client()
    login(worker, world["worker"])
    upload(worker, world["case"].id, PNG)
    upload(worker, world["case"].id, PDF, name="letter.pdf", kind="scan")
    old_key = app.config["RESCUE_ENCRYPTION_KEY"]
    fresh = new_key()
    app.config.update(RESCUE_ENCRYPTION_KEY=fresh, RESCUE_ENCRYPTION_OLD_KEYS=old_key)
    try:
        result = app.test_cli_runner().invoke(args=["rescue", "rotate-encryption-key"])
        assert "2 attachment(s) sealed with the current key." in result.output
        app.config["RESCUE_ENCRYPTION_OLD_KEYS"] = ""  # the old key is gone now
        with app.app_context():
            ids = db.session.scalars(select(Attachment.id).order_by(Attachment.id)).all()
        base = f"/cases/{world['case'].id}/attachments"
        assert _pixels(worker.get(f"{base}/{ids[0]}").data) == _pixels(PNG)
        assert worker.get(f"{base}/{ids[1]}").data == PDF
        again = app.test_cli_runner().invoke(args=["rescue", "rotate-encryption-key"])
        assert "0 attachment(s)" in again.output
    finally:
        app.config.update(RESCUE_ENCRYPTION_KEY=old_key, RESCUE_ENCRYPTION_OLD_KEYS="")


def test_sealing_detects_tampering_and_unknown_keys():
    ring = Keyring(parse_key(new_key()))
    blob = bytearray(ring.seal(b"passport scan"))
    assert ring.open(bytes(blob)) == b"passport scan"
    blob[-1] ^= 1
    with pytest.raises(SealError):
        ring.open(bytes(blob))
    with pytest.raises(SealError):
        Keyring(parse_key(new_key())).open(ring.seal(b"x"))
    with pytest.raises(ValueError):
        parse_key("too-short")


def test_a_photo_says_whether_it_is_usable_for_a_travel_document(client, uploads, world):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (450, 580), "white").save(buffer, format="JPEG")
    login(client, world["worker"])
    upload(client, world["case"].id, PNG, name="tiny.png")
    page = upload(client, world["case"].id, buffer.getvalue(), name="portrait.jpg").get_data(as_text=True)
    tiny = page.split("tiny.png")[1].split("</li>")[0]
    portrait = page.split("portrait.jpg")[1].split("</li>")[0]
    assert "Too small for a travel document photo: at least 413 × 531 pixels are needed" in tiny
    assert "Suitable for a travel document" in portrait


def test_a_pdf_that_runs_code_or_is_not_a_pdf_and_a_pdf_as_a_photo_are_refused_in_words(client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker)
    login(client, worker)
    scripted = PDF.replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")
    for data, kind, message in (
            (scripted, "scan", "This PDF holds programs or actions that open with it, so it cannot be added."),
            (b"%PDF-1.4\n<script>alert(1)</script>", "scan", "This PDF cannot be read"),
            (PDF, "photo", "A photo of the person must be a picture (JPEG, PNG, WebP or HEIC).")):
        page = client.post(f"/cases/{case.id}/attachments", data={
            "csrf_token": csrf_token(client, f"/cases/{case.id}"), "kind": kind,
            "file": (io.BytesIO(data), "file.pdf")}, content_type="multipart/form-data", follow_redirects=True)
        assert message in page.get_data(as_text=True), message
    with client.application.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 0
