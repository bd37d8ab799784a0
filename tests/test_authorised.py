"""@authorised (rescue/auth/access.py): a route whose record comes from its URL loads it or answers 404,
asks the policy or answers 403 with an audit entry, and hands the record to the view; a sub-record reached
through another case's address is not found. Then the policy's named predicates, alone (docs/security.md)."""
import io
import json
from dataclasses import dataclass

import pytest
from flask import Blueprint, jsonify
from sqlalchemy import select

from rescue.audit.models import AuditEntry
from rescue.auth import policy
from rescue.auth.access import authorised
from rescue.cases.models import Attachment, Case, IdentityDocument
from rescue.consular.models import Referral
from rescue.extensions import db
from rescue.intake.models import IntakeDraft
from rescue.locating.models import Report
from tests.fixtures.factories import csrf_token, login, post_form

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")


def refusals(app) -> list[tuple]:
    """(actor, object type, object id, action, endpoint) of every refusal in the audit trail."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.refused")
                                  .order_by(AuditEntry.id)).all()
        return [(r.actor_id, r.object_type, r.object_id, json.loads(r.detail)["action"],
                 json.loads(r.detail)["endpoint"]) for r in rows]


def upload(client, case_id: int, kind: str = "photo") -> int:
    response = client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": csrf_token(client, f"/cases/{case_id}"), "kind": kind, "file": (io.BytesIO(PNG), "face.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with client.application.app_context():
        return db.session.scalar(select(Attachment.id).where(Attachment.case_id == case_id, Attachment.kind == kind)
                                 .order_by(Attachment.id.desc()))


@dataclass
class Two:
    """Two organisations, each with a coordinator and a case; A has a second case."""
    coordinator_a: object
    coordinator_b: object
    case_a: object
    other_case_a: object
    case_b: object


@pytest.fixture()
def two(app, factory, tmp_path):
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    a, b = factory.organisation("NGO A"), factory.organisation("NGO B")
    return Two(factory.user("coordinator", organisation=a), factory.user("coordinator", organisation=b),
               factory.case(a, family_name="CHAN"), factory.case(a, family_name="PICH"),
               factory.case(b, family_name="KEO"))


# Through the app's own routes ------------------------------------------------------------------------------

def test_a_case_that_does_not_exist_is_not_found_and_no_refusal_is_recorded(app, two, make_client):
    browser = make_client()
    login(browser, two.coordinator_a)
    assert browser.get("/cases/999999").status_code == 404
    assert browser.get(f"/cases/{two.case_a.id}/attachments/999999").status_code == 404
    assert post_form(browser, "/cases/999999/notes", {"kind": "general", "text": "Hello"},
                     token_from=f"/cases/{two.case_a.id}").status_code == 404
    assert refusals(app) == []


def test_a_case_of_another_organisation_is_refused_and_the_refusal_is_audited(app, two, make_client):
    browser = make_client()
    login(browser, two.coordinator_b)
    response = browser.get(f"/cases/{two.case_a.id}")
    assert response.status_code == 403
    assert "CHAN" not in response.get_data(as_text=True)
    assert refusals(app) == [(two.coordinator_b.id, "case", two.case_a.id, "case.view", "cases.show")]
    # A change is refused the same way, and nothing of it is kept.
    response = post_form(browser, f"/cases/{two.case_a.id}/notes", {"kind": "general", "text": "Sneaky"},
                         token_from=f"/cases/{two.case_b.id}")
    assert response.status_code == 403
    assert refusals(app)[-1] == (two.coordinator_b.id, "case", two.case_a.id, "case.edit", "cases.casework.add_note")


def test_the_case_page_shows_the_case_of_its_address(app, two, make_client):
    browser = make_client()
    login(browser, two.coordinator_a)
    page = browser.get(f"/cases/{two.case_a.id}").get_data(as_text=True)
    assert two.case_a.number in page and "CHAN" in page
    assert two.other_case_a.number not in page


def test_an_attachment_is_found_only_through_its_own_case(app, two, make_client):
    browser = make_client()
    login(browser, two.coordinator_a)
    photo = upload(browser, two.case_a.id)
    mine = browser.get(f"/cases/{two.case_a.id}/attachments/{photo}")
    assert mine.status_code == 200 and mine.mimetype == "image/png"
    # The same attachment through the address of another case of the same organisation: not found.
    assert browser.get(f"/cases/{two.other_case_a.id}/attachments/{photo}").status_code == 404
    other = make_client()
    login(other, two.coordinator_b)
    # Through the other organisation's own case: not found; through the case it belongs to: refused.
    assert other.get(f"/cases/{two.case_b.id}/attachments/{photo}").status_code == 404
    assert other.get(f"/cases/{two.case_a.id}/attachments/{photo}").status_code == 403
    assert refusals(app) == [(two.coordinator_b.id, "case", two.case_a.id, "case.view", "attachments.open_file")]


def test_an_identity_document_is_removed_only_through_its_own_case(app, two, make_client):
    browser = make_client()
    login(browser, two.coordinator_a)
    recorded = post_form(browser, f"/cases/{two.case_a.id}/documents",
                         {"kind": "passport", "status": "confiscated", "number": "P1234567", "issuing_country": "KHM"},
                         token_from=f"/cases/{two.case_a.id}")
    assert recorded.status_code == 302
    with app.app_context():
        document = db.session.scalar(select(IdentityDocument.id).where(IdentityDocument.case_id == two.case_a.id))
    elsewhere = post_form(browser, f"/cases/{two.other_case_a.id}/documents/{document}/remove", {},
                          token_from=f"/cases/{two.other_case_a.id}")
    assert elsewhere.status_code == 404
    removed = post_form(browser, f"/cases/{two.case_a.id}/documents/{document}/remove", {},
                        token_from=f"/cases/{two.case_a.id}")
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.get(IdentityDocument, document) is None


def test_an_intake_draft_is_its_authors_and_their_coordinators(app, factory, make_client):
    ngo = factory.organisation("NGO A")
    author, colleague = (factory.user("caseworker", organisation=ngo) for _ in range(2))
    coordinator = factory.user("coordinator", organisation=ngo)
    outsider = factory.user("coordinator", organisation=factory.organisation("NGO B"))
    writer = make_client()
    login(writer, author)
    started = post_form(writer, "/intake/new", {}, token_from="/intake")
    draft_url = started.headers["Location"]
    with app.app_context():
        draft_id = db.session.scalar(select(IntakeDraft.id))
    assert writer.get(draft_url).status_code == 200
    for account, expected in ((coordinator, 200), (colleague, 403), (outsider, 403)):
        browser = make_client()
        login(browser, account)
        assert browser.get(f"/intake/{draft_id}/person").status_code == expected, account.role
    assert refusals(app) == [(colleague.id, "intake_draft", draft_id, "case.create", "intake.step"),
                             (outsider.id, "intake_draft", draft_id, "case.create", "intake.step")]
    assert writer.get("/intake/999999/person").status_code == 404


def test_converted_routes_still_declare_their_policy(app):
    expected = {"cases.show": "case.view", "attachments.open_file": "case.view", "intake.step": "case.create",
                "consular.referral": "referral.view", "consular.rolls.show": "roll.view", "jobs.download": "job.print",
                "cases.erasure.erase": "case.erase", "admin.reset_password": "admin.users"}
    assert {endpoint: app.view_functions[endpoint].policy for endpoint in expected} == expected


# The decorator on routes of its own ------------------------------------------------------------------------

@pytest.fixture()
def probe(app):
    """A fresh app on the same database, with routes that show what the view received."""
    from rescue import create_app

    fresh = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "RESCUE_UPLOAD_DIR": app.config["RESCUE_UPLOAD_DIR"]})
    bp = Blueprint("probe", __name__, url_prefix="/probe")

    def shown(**kwargs):
        return jsonify({name: (value.id if value is not None else None) for name, value in kwargs.items()})

    bp.add_url_rule("/cases/<int:case_id>", "case", authorised("case.view", Case)(shown))
    bp.add_url_rule("/cases/<int:case_id>/attachments/<int:attachment_id>", "attachment",
                    authorised("case.view", Attachment, parent=(Case, "case_id"))(shown))
    bp.add_url_rule("/cases/<int:case_id>/referrals/<int:referral_id>", "referral",
                    authorised("referral.view", Referral, parent=(Case, "case_id"))(shown))
    report = authorised("report.edit", Report)(shown)
    bp.add_url_rule("/reports/new", "new_report", report)
    bp.add_url_rule("/reports/<int:report_id>", "report", report)
    fresh.register_blueprint(bp)
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_view_receives_the_record_named_after_its_table_in_place_of_the_id(app, two, probe):
    browser = probe.test_client()
    assert browser.get(f"/probe/cases/{two.case_a.id}").status_code == 302  # signed out: the sign-in page
    login(browser, two.coordinator_a)
    assert browser.get(f"/probe/cases/{two.case_a.id}").get_json() == {"case": two.case_a.id}
    photo = upload(browser, two.case_a.id)
    assert browser.get(f"/probe/cases/{two.case_a.id}/attachments/{photo}").get_json() == {
        "case": two.case_a.id, "attachment": photo}
    assert browser.get(f"/probe/cases/{two.other_case_a.id}/attachments/{photo}").status_code == 404
    assert browser.get("/probe/cases/999999").status_code == 404
    # A route without the id in its address gets no record, after the role check only.
    assert browser.get("/probe/reports/new").get_json() == {"report": None}
    assert browser.get("/probe/reports/999999").status_code == 404
    assert probe.view_functions["probe.case"].policy == "case.view"


def test_a_record_outside_the_scope_is_refused_before_the_view_runs(app, two, probe):
    browser = probe.test_client()
    login(browser, two.coordinator_b)
    response = browser.get(f"/probe/cases/{two.case_a.id}")
    assert response.status_code == 403 and response.get_json() is None
    assert refusals(app) == [(two.coordinator_b.id, "case", two.case_a.id, "case.view", "probe.case")]


def test_a_role_without_the_action_is_refused_before_anything_is_loaded(app, two, probe, factory):
    consul = factory.user("consular")
    browser = probe.test_client()
    login(browser, consul)
    # A report is an organisation's: a consul may not edit one at all, whether it exists or not.
    assert browser.get("/probe/reports/999999").status_code == 403
    assert refusals(app) == [(consul.id, None, None, "report.edit", "probe.report")]


def _rejected_by_mission(app, factory, make_client):
    """A case referred to a mission that decided "nationality not confirmed", through the app's own forms."""
    ngo = factory.organisation("Hope NGO")
    mission = factory.mission("Embassy R", represents="PHL")
    coordinator = factory.user("coordinator", organisation=ngo)
    consul = factory.user("consular", mission=mission)
    case = factory.case(ngo, status="return_decided", family_name="SANTOS", nationality="PHL", birth_year=1995,
                        native_name=None)
    sending = make_client()
    login(sending, coordinator)
    assert post_form(sending, f"/cases/{case.id}/consents", {
        "purpose": "sharing", "decision": "given", "mission_id": mission.id, "organisation_id": "", "recipient": "",
        "language": "en", "interpreter": "", "witness": "", "given_on": "2026-01-20"},
        token_from=f"/cases/{case.id}").status_code == 302
    upload(sending, case.id)
    assert post_form(sending, f"/cases/{case.id}/referrals", {"mission_id": mission.id, "note": "", "photo_reason": ""},
                     token_from=f"/cases/{case.id}").status_code == 302
    with app.app_context():
        referral_id = db.session.scalar(select(Referral.id).where(Referral.case_id == case.id))
    mission_side = make_client()
    login(mission_side, consul)
    assert post_form(mission_side, f"/referrals/{referral_id}/decision",
                     {"outcome": "rejected", "evidence": "", "text": "No record in the civil registry."},
                     token_from=f"/referrals/{referral_id}").status_code == 302
    return case, referral_id, consul, coordinator


def test_a_referral_reached_through_its_case_is_judged_by_its_own_mission(app, factory, make_client, probe):
    case, referral_id, consul, _coordinator = _rejected_by_mission(app, factory, make_client)
    browser = probe.test_client()
    login(browser, consul)
    # The mission lost the case when it did not confirm the nationality, and keeps its decision.
    assert browser.get(f"/probe/cases/{case.id}").status_code == 403
    assert browser.get(f"/probe/cases/{case.id}/referrals/{referral_id}").get_json() == {
        "case": case.id, "referral": referral_id}
    other = probe.test_client()
    stranger = factory.user("consular")
    login(other, stranger)
    assert other.get(f"/probe/cases/{case.id}/referrals/{referral_id}").status_code == 403
    assert refusals(app)[-1] == (stranger.id, "referral", referral_id, "referral.view", "probe.referral")
    # The real pages agree: the case is refused, the referral's page is the mission's.
    real = make_client()
    login(real, consul)
    assert real.get(f"/cases/{case.id}").status_code == 403
    assert real.get(f"/referrals/{referral_id}").status_code == 200


def test_a_referral_through_another_cases_address_is_not_found(app, factory, make_client, probe):
    case, referral_id, consul, coordinator = _rejected_by_mission(app, factory, make_client)
    another = factory.case(factory.organisation("Another NGO"))
    browser = probe.test_client()
    login(browser, consul)
    assert browser.get(f"/probe/cases/{another.id}/referrals/{referral_id}").status_code == 404
    assert browser.get(f"/probe/cases/{case.id}/referrals/999999").status_code == 404


def test_a_sub_record_needs_a_model(app):
    with pytest.raises(TypeError):
        authorised("case.view", parent=(Case, "case_id"))
    with pytest.raises(KeyError):
        authorised("case.look-at", Case)


# The named predicates, alone (no Flask, no database) ------------------------------------------------------

@dataclass
class Person:
    id: int
    role: str
    organisation_id: int | None = None
    mission_id: int | None = None


@dataclass
class Answer:
    mission_id: int
    status: str


@dataclass
class CaseFile:
    organisation_id: int
    assigned_to_id: int | None
    referred_mission_ids: set
    referrals: list
    receiving_organisation_id: int | None = None

    @property
    def confirming_mission_ids(self) -> set:
        """Written out here from the referrals' answers, as the case's own property does."""
        return {r.mission_id for r in self.referrals if r.status == "confirmed"}


@dataclass
class Draft:
    organisation_id: int
    created_by_id: int


@dataclass
class Paper:
    mission_id: int | None
    mrz: str | None


caseworker = Person(1, "caseworker", organisation_id=10)
colleague = Person(2, "caseworker", organisation_id=10)
coordinator = Person(3, "coordinator", organisation_id=10)
other_coordinator = Person(4, "coordinator", organisation_id=11)
consul = Person(5, "consular", mission_id=70)
other_consul = Person(6, "consular", mission_id=71)
receiver = Person(7, "caseworker", organisation_id=30)
admin = Person(8, "admin")


def test_a_draft_is_its_authors_and_their_organisations_coordinators():
    draft = Draft(organisation_id=10, created_by_id=caseworker.id)
    answers = {who.id: policy.draft_is_theirs(who, draft)
               for who in (caseworker, colleague, coordinator, other_coordinator)}
    assert answers == {1: True, 2: False, 3: True, 4: False}
    assert policy.RECORD_RULES["intake_draft"] is policy.draft_is_theirs


@pytest.mark.parametrize("who, kind, expected", [
    (caseworker, "scan", True), (coordinator, "other", True), (coordinator, "photo", True),
    (consul, "photo", True), (consul, "identity_document", True), (consul, "scan", False), (consul, "other", False),
    (other_consul, "photo", False),
    (receiver, "photo", True), (receiver, "scan", False),
    (other_coordinator, "photo", False), (admin, "photo", False), (None, "photo", False),
])
def test_who_opens_which_kind_of_attachment(who, kind, expected):
    case = CaseFile(10, caseworker.id, {70}, [Answer(70, "confirmed")], receiving_organisation_id=30)
    assert policy.may_open_attachment(who, case, kind) is expected


def test_a_receiving_agency_opens_nothing_before_the_person_consents_to_share_with_it():
    case = CaseFile(10, None, set(), [], receiving_organisation_id=None)
    assert not policy.may_open_attachment(receiver, case, "photo")


def test_a_mission_prints_the_packet_and_its_own_travel_documents_only():
    printed = {kind: policy.may_print_case_document(consul, kind)
               for kind in ("packet", "travel_request", "consent_form", "fit_to_travel", "handover")}
    assert printed == {"packet": True, "travel_request": False, "consent_form": False, "fit_to_travel": False,
                       "handover": False}
    assert all(policy.may_print_case_document(coordinator, kind) for kind in printed)
    assert policy.may_print_travel_document(consul, Paper(70, "P<PHL..."))
    assert not policy.may_print_travel_document(consul, Paper(71, "P<PHL..."))  # another mission's
    assert not policy.may_print_travel_document(consul, Paper(70, None))  # recorded, not issued here
    assert not policy.may_print_travel_document(coordinator, Paper(None, "P<PHL..."))


def test_only_the_mission_that_confirmed_the_nationality_issues_a_travel_document():
    confirmed = CaseFile(10, None, {70, 71}, [Answer(70, "confirmed"), Answer(71, "pending")])
    assert policy.may_issue_travel_document(consul, confirmed)
    assert not policy.may_issue_travel_document(other_consul, confirmed)  # its referral waits
    assert not policy.may_issue_travel_document(coordinator, confirmed)
    assert not policy.may_issue_travel_document(consul, CaseFile(10, None, {70}, [Answer(70, "pending")]))


def test_a_mission_lists_and_issues_its_own_rolls_and_a_coordinator_its_organisations():
    assert policy.rolls_of_mission(consul) and not policy.rolls_of_mission(coordinator)
    assert policy.may_issue_roll_for(consul, 70) and not policy.may_issue_roll_for(consul, 71)
    assert policy.may_issue_roll_for(coordinator, 70) and policy.may_issue_roll_for(coordinator, 71)


def test_a_referral_answers_for_itself_and_other_records_through_their_case():
    assert policy.judges_itself("referral.view", "referral")
    assert policy.judges_itself("referral.decide", "referral")
    assert not policy.judges_itself("case.view", "referral")
    assert not policy.judges_itself("case.view", "attachment")
    assert not policy.judges_itself("travel_document.record", "travel_document")
    assert not policy.judges_itself("referral.view", "referral_message")
