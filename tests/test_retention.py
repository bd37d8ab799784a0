"""Erasure on request leaves a tombstone and nothing else; closed cases are anonymised after the retention period."""
import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from rescue.audit.models import AuditEntry
from rescue.cases.models import Attachment, Case, CaseAlias, Consent, TimelineEvent
from rescue.clock import utcnow
from rescue.consular.models import Referral
from rescue.extensions import db
from tests.fixtures.factories import csrf_token, login, post_form

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")


@pytest.fixture()
def uploads(app, tmp_path):
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"


@pytest.fixture()
def world(app, factory, uploads):
    organisation, mission = factory.organisation(), factory.mission()
    coordinator = factory.user("coordinator", organisation=organisation)
    case = factory.case(organisation, referred_to=mission, family_name="CHAN", given_names="Sophea")
    with app.app_context():
        db.session.add(CaseAlias(case_id=case.id, name="Srey"))
        db.session.commit()
    return {"case": case, "coordinator": coordinator, "organisation": organisation}


def _attach(client, case_id):
    client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": csrf_token(client, f"/cases/{case_id}"), "kind": "photo",
        "file": (io.BytesIO(PNG), "face.png")}, content_type="multipart/form-data")


def test_erasure_leaves_only_a_tombstone(app, client, world, uploads):
    login(client, world["coordinator"])
    case = world["case"]
    _attach(client, case.id)
    assert any(p.is_file() for p in Path(uploads).rglob("*"))
    wrong = post_form(client, f"/cases/{case.id}/erase", {"reason": "person_request", "number": "RC-XXXX-XXXX"})
    assert "The number does not match this case." in wrong.get_data(as_text=True)
    assert 'value="RC-XXXX-XXXX"' in wrong.get_data(as_text=True)
    done = post_form(client, f"/cases/{case.id}/erase", {"reason": "person_request", "number": case.number.lower()})
    assert done.status_code == 302
    assert client.get(f"/cases/{case.id}").status_code == 404
    with app.app_context():
        for model in (Case, CaseAlias, Consent, Referral, TimelineEvent, Attachment):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__
        tombstone = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.erased"))
        assert tombstone.object_id == case.id and '"person_request"' in tombstone.detail
        assert "CHAN" not in (tombstone.detail or "") and "Sophea" not in (tombstone.detail or "")
    assert not any(p.is_file() for p in Path(uploads).rglob("*"))


def test_only_coordinators_of_the_organisation_erase(make_client, factory, world):
    for account in (factory.user("caseworker", organisation=world["organisation"]), factory.user("coordinator"),
                    factory.user("admin")):
        browser = make_client()
        login(browser, account)
        assert browser.get(f"/cases/{world['case'].id}/erase").status_code == 403


def test_erasure_needs_a_recent_sign_in(app, client, world):
    login(client, world["coordinator"])
    with app.app_context():
        from rescue.auth.models import UserSession

        db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(minutes=30),
                                                      last_seen_at=utcnow()))
        db.session.commit()
    response = client.get(f"/cases/{world['case'].id}/erase")
    assert response.status_code == 302 and "/reauthenticate" in response.headers["Location"]


def test_closed_cases_are_anonymised_after_the_retention_period(app, client, factory, world, uploads):
    login(client, world["coordinator"])
    _attach(client, world["case"].id)
    recent = factory.case(world["organisation"], status="closed", family_name="RECENT")
    still_open = factory.case(world["organisation"], status="in_care", family_name="OPEN")
    with app.app_context():
        old = utcnow() - timedelta(days=800)
        db.session.execute(update(Case).where(Case.id.in_([world["case"].id, still_open.id]))
                           .values(status="closed", status_changed_at=old))
        db.session.execute(update(Case).where(Case.id == still_open.id).values(status="in_care"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["rescue", "anonymise-closed-cases", "--older-than-days", "730"])
    assert "1 closed case(s) anonymised" in result.output
    with app.app_context():
        case = db.session.get(Case, world["case"].id)
        assert case.family_name is None and case.native_name is None and case.name_key is None
        assert case.anonymised_at is not None
        assert [n.country for n in case.nationalities] == ["KHM"]  # statistics stay
        assert case.aliases == [] and case.attachments == []
        assert db.session.get(Case, recent.id).family_name == "RECENT"
        assert db.session.get(Case, still_open.id).family_name == "OPEN"
    assert not any(p.is_file() for p in Path(uploads).rglob("*"))
    again = app.test_cli_runner().invoke(args=["rescue", "anonymise-closed-cases", "--older-than-days", "730"])
    assert "0 closed case(s)" in again.output
