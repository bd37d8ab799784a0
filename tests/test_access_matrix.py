"""Every route, for every role and every ownership case, does what the policy it declares says.
Generated from the URL map: a new route is covered the day it is added."""
import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from rescue.auth import policy
from rescue.cases.models import Attachment
from rescue.extensions import db
from tests.fixtures.factories import csrf_token, login

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")
ACTORS = ["anonymous", "own_caseworker", "other_caseworker", "coordinator", "other_coordinator", "consul",
          "other_consul", "receiving_agency", "admin"]


@dataclass
class OrganisationRecord:
    organisation_id: int
    mission_id: int | None = None


@dataclass
class Facts:
    organisation_id: int
    assigned_to_id: int | None
    referred_mission_ids: set
    receiving_organisation_id: int | None = None


@pytest.fixture()
def world(app, factory, tmp_path):
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    ngo, other_ngo = factory.organisation("NGO A"), factory.organisation("NGO B")
    agency = factory.organisation("Reception", kind="receiving_agency")
    mission, other_mission = factory.mission("Mission M"), factory.mission("Mission N")
    people = {
        "own_caseworker": factory.user("caseworker", organisation=ngo),
        "other_caseworker": factory.user("caseworker", organisation=ngo),
        "coordinator": factory.user("coordinator", organisation=ngo),
        "other_coordinator": factory.user("coordinator", organisation=other_ngo),
        "consul": factory.user("consular", mission=mission),
        "other_consul": factory.user("consular", mission=other_mission),
        "receiving_agency": factory.user("caseworker", organisation=agency, two_factor=True),
        "admin": factory.user("admin"),
    }
    referred = factory.case(ngo, assigned_to=people["own_caseworker"], referred_to=mission)
    never_referred = factory.case(ngo, assigned_to=people["own_caseworker"])
    browser = app.test_client()
    login(browser, people["own_caseworker"])
    attachments = {}
    for case in (referred, never_referred):
        for kind in ("photo", "scan"):
            browser.post(f"/cases/{case.id}/attachments", data={
                "csrf_token": csrf_token(browser, f"/cases/{case.id}"), "kind": kind,
                "file": (io.BytesIO(PNG), "a.png")}, content_type="multipart/form-data")
    with app.app_context():
        for attachment in db.session.scalars(select(Attachment)):
            attachments[(attachment.case_id, attachment.kind)] = attachment.id
    with app.app_context():
        from rescue.intake.models import IntakeDraft
        from rescue.locating.models import Report
        from rescue.operations.models import Site

        draft = IntakeDraft(organisation_id=ngo.id, created_by_id=people["own_caseworker"].id)
        site = Site(organisation_id=ngo.id, name="KK Park", country="MMR")
        db.session.add_all([draft, site])
        db.session.flush()
        from rescue.cases.models import IdentityDocument
        from rescue.operations.models import Operation

        document = IdentityDocument(case_id=referred.id, kind="passport", status="confiscated")
        db.session.add(document)
        from datetime import date

        from rescue.consular.models import FollowUp, NominalRoll, Referral, RepatriationPlan, TravelDocument
        referral_id = db.session.scalar(select(Referral.id).where(Referral.case_id == referred.id))
        travel_document = TravelDocument(case_id=referred.id, mission_id=mission.id, kind="laissez_passer",
                                         number="LP1")
        follow_up = FollowUp(case_id=referred.id, months=3, due_on=date(2030, 1, 1))
        plan = RepatriationPlan(case_id=referred.id, receiving_agency_id=agency.id)
        from rescue.cases.models import Consent  # the agency reaches the case with the person's consent only
        db.session.add(Consent(case_id=referred.id, purpose="sharing", decision="given",
                               recipient_organisation_id=agency.id))
        roll = NominalRoll(mission_id=mission.id, organisation_id=ngo.id)
        from rescue.jobs.models import PrintJob
        job = PrintJob(organisation_id=ngo.id, requested_by_id=people["coordinator"].id, kind="packet",
                       recipient="full", language="en", output="pdf", case_ids=[], status="done", failures=[])
        db.session.add_all([travel_document, follow_up, plan, roll, job])
        report = Report(organisation_id=ngo.id, site_id=site.id, source="hotline")
        operation = Operation(organisation_id=ngo.id, name="Dawn", site_id=site.id)
        db.session.add_all([report, operation])
        db.session.commit()
        draft_id, site_id, report_id, operation_id = draft.id, site.id, report.id, operation.id
        document_id = document.id
        travel_document_id, follow_up_id, roll_id, job_id = travel_document.id, follow_up.id, roll.id, job.id
    facts = {
        referred.id: Facts(ngo.id, people["own_caseworker"].id, {mission.id}, agency.id),
        never_referred.id: Facts(ngo.id, people["own_caseworker"].id, set()),
    }
    return {"people": people, "cases": [referred.id, never_referred.id], "facts": facts,
            "attachments": attachments, "organisation": ngo.id, "mission": mission.id, "draft": draft_id,
            "site": site_id, "report": report_id, "operation": operation_id, "document": document_id,
            "target_user": people["other_caseworker"].id, "referral": referral_id,
            "travel_document": travel_document_id, "follow_up": follow_up_id, "roll": roll_id, "job": job_id,
            "roll_record": OrganisationRecord(ngo.id, mission.id)}


def _requests(app, world):
    """(rule, method, url, case_id, attachment kind) for every route and every record it can reach."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.rule)):
        if rule.endpoint == "static":
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        case_ids = world["cases"] if "case_id" in rule.arguments else [None]
        kinds = ("photo", "scan") if "attachment_id" in rule.arguments else (None,)
        for case_id in case_ids:
            for kind in kinds:
                values = {"case_id": case_id, "user_id": world["target_user"],
                          "organisation_id": world["organisation"], "mission_id": world["mission"],
                          "attachment_id": world["attachments"].get((case_id, kind)), "extension": "csv",
                          "draft_id": world["draft"], "step": "person", "site_id": world["site"],
                          "report_id": world["report"], "operation_id": world["operation"],
                          "document_id": world["document"], "referral_id": world["referral"],
                          "travel_document_id": world["travel_document"], "follow_up_id": world["follow_up"],
                          "roll_id": world["roll"], "job_id": world["job"], "kind": "packet",
                          "token": "not-a-token"}
                url = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
                yield rule, method, url, case_id, kind


def _expected(actor, declared, facts, kind):
    if declared == policy.PUBLIC:
        return "any"
    if actor is None:
        return "sign-in"
    if declared == policy.ANY_SIGNED_IN:
        return "allowed"
    allowed = bool(policy.allows(actor, declared, facts)) if facts else bool(policy.allows(actor, declared))
    if allowed and kind == "scan" and policy.field_set(actor.role) == policy.CONSULAR_FIELDS:
        allowed = False  # consular officers open photos and identity documents only
    return "allowed" if allowed else "refused"


@pytest.mark.parametrize("who", ACTORS)
def test_every_route_enforces_its_declared_policy(app, world, who):
    account = world["people"].get(who)
    browser = app.test_client()
    if account:
        login(browser, account)
    actor = None
    if account:
        @dataclass
        class Actor:
            id: int
            role: str
            organisation_id: int | None
            mission_id: int | None
        actor = Actor(account.id, account.role, account.organisation_id, account.mission_id)
    checked = 0
    for rule, method, url, case_id, kind in _requests(app, world):
        declared = app.view_functions[rule.endpoint].policy
        record = world["facts"].get(case_id)
        if {"site_id", "report_id", "operation_id", "job_id"} & set(rule.arguments):
            record = OrganisationRecord(world["organisation"])
        if "referral_id" in rule.arguments:
            record = world["facts"][world["cases"][0]]  # the referral of the referred case
        if "roll_id" in rule.arguments:
            record = world["roll_record"]
        expected = _expected(actor, declared, record, kind)
        if "draft_id" in rule.arguments and expected == "allowed":
            # An intake draft is its author's, and their organisation's coordinators'.
            own = account.id == world["people"]["own_caseworker"].id
            coordinator = account.role == "coordinator" and account.organisation_id == world["organisation"]
            expected = "allowed" if own or coordinator else "refused"
        if method == "GET":
            response = browser.get(url)
        else:
            token = csrf_token(browser, "/account" if account else "/login")
            response = browser.post(url, data={"csrf_token": token})
        status, location = response.status_code, response.headers.get("Location", "")
        label = f"{who} {method} {url} ({declared})"
        assert status < 500, label
        if expected == "sign-in":
            assert status == 302 and "/login" in location, label
        elif expected == "refused":
            assert status == 403, label
        elif expected == "allowed":
            assert status != 403 and not (status == 302 and "/login?" in location), label
        checked += 1
    assert checked > 30
