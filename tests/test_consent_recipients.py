"""Consent and the consulate's decision govern every recipient, what was already issued included: a mission
the person withdrew consent from loses the case and its lines on the rolls it was given; a mission that did not
confirm the nationality keeps its decision record only; only the confirming mission, or the receiving agency
the person agreed to share with, confirms the arrival; and a consul never reads a health fact."""
import html
import io
import json
from datetime import date, timedelta

import pytest
from pdfminer.high_level import extract_text
from sqlalchemy import select

from rescue.audit.models import AuditEntry
from rescue.cases.models import Attachment
from rescue.consular.models import NominalRollEntry
from rescue.extensions import db
from tests.fixtures.factories import csrf_token, post_form
from tests.test_consular import World, consent, decide, move, record_document, refer, referral_of, save_plan, status_of


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return " ".join(extract_text(io.BytesIO(response.data)).split())


def upload_photo(client, case_id) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 180, 160)).save(out, "PNG")
    response = client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": csrf_token(client, f"/cases/{case_id}"), "kind": "photo",
        "file": (io.BytesIO(out.getvalue()), "photo.png")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.status_code


def photo_of(app, case_id) -> int:
    with app.app_context():
        return db.session.scalar(select(Attachment.id).where(Attachment.case_id == case_id,
                                                             Attachment.kind == "photo"))


def add_identity_document(client, case_id, number) -> None:
    response = post_form(client, f"/cases/{case_id}/documents", {
        "kind": "passport", "status": "confiscated", "number": number, "issuing_country": "PHL", "expires_on": ""},
        token_from=f"/cases/{case_id}")
    assert response.status_code == 302


def referred_with_photo(w, mission=None, consul="consul") -> int:
    """The person agrees to share with the mission, a real photo is taken, the coordinator refers."""
    mission = mission or w.mission
    consent(w["worker"], w.case.id, "sharing", mission.id)
    if photo_of(w.app, w.case.id) is None:
        upload_photo(w["worker"], w.case.id)
    response = refer(w["coordinator"], w.case.id, mission.id, note="Rescued in Sihanoukville.")
    assert response.status_code == 302, text(response)
    return referral_of(w.app, w.case.id, mission.id)


def issue_etd(w, client_name="consul", number="PU1234567"):
    response = post_form(w[client_name], f"/cases/{w.case.id}/travel-documents/issue", {
        "layout": "td2", "number": number, "issued_on": date.today().isoformat(),
        "expires_on": (date.today() + timedelta(days=30)).isoformat(), "route": "Phnom Penh - Manila",
        "transit_points": ""}, token_from=f"/cases/{w.case.id}/documents")
    assert response.status_code == 302, text(response)
    with w.app.app_context():
        from rescue.consular.models import TravelDocument

        return db.session.scalar(select(TravelDocument.id).where(TravelDocument.number == number))


def plan_ready_and_departed(w, app, **extra):
    plan = {"fit_to_travel_on": "2026-11-20", "exit_clearance_on": "2026-11-21", "flights": "PR 2016",
            "departure_on": "2026-12-01", **extra}
    assert save_plan(w["coordinator"], w.case.id, **plan).status_code == 302
    assert move(w["coordinator"], app, w.case.id, "ready_to_travel").status_code == 302
    assert move(w["coordinator"], app, w.case.id, "departed").status_code == 302


@pytest.mark.parametrize("decision", ["withdrawn", "refused"])
def test_consent_to_share_ended_rewrites_the_missions_rolls_and_closes_every_consular_route(
        app, factory, make_client, decision):
    w = World(app, factory, make_client)
    add_identity_document(w["worker"], w.case.id, "P7654321")
    referral_id = referred_with_photo(w)
    assert decide(w["consul"], referral_id, "confirmed", evidence="interview").status_code == 302
    document_id = issue_etd(w)
    photo_id = photo_of(app, w.case.id)
    roll_url = post_form(w["consul"], "/rolls", {"mission_id": w.mission.id}).headers["Location"]
    page = text(w["consul"].get(roll_url))
    assert "SANTOS" in page and "P7654321" in page and "Given on" in page
    urls = [f"/cases/{w.case.id}", f"/referrals/{referral_id}", f"/cases/{w.case.id}/attachments/{photo_id}",
            f"/cases/{w.case.id}/documents", f"/cases/{w.case.id}/documents/packet.pdf",
            f"/cases/{w.case.id}/travel-documents/{document_id}.pdf"]
    for url in urls:
        assert w["consul"].get(url).status_code == 200, url

    consent(w["worker"], w.case.id, "sharing", w.mission.id, decision=decision)

    for url in urls + [f"/cases/{w.case.id}/arrival"]:
        assert w["consul"].get(url).status_code == 403, url
    assert "SANTOS" not in text(w["consul"].get("/consular"))
    assert "SANTOS" not in text(w["consul"].get("/cases?q=santos"))
    # The roll the mission was given: the line is still there, numbered as issued, but says withdrawn and
    # carries no identity any more, on the page and on the reprint.
    page = text(w["consul"].get(roll_url))
    assert w.case.number in page and "Consent withdrawn" in page and "1 person." in page
    for value in ("SANTOS", "Maria", "P7654321", "1995", "Given on"):
        assert value not in page, value
    reprint = pdf_text(w["consul"].get(roll_url + ".pdf?language=en"))
    assert w.case.number in reprint and "Consent withdrawn" in reprint
    for value in ("SANTOS", "Maria", "P7654321", "1995", "Given on"):
        assert value not in reprint, value
    with app.app_context():
        stored = db.session.scalars(select(NominalRollEntry.data)).all()
        assert stored == [{"number": w.case.number, "withdrawn": True}]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roll.lines_withdrawn"))
        assert entry is not None and entry.object_id == w.case.id
        assert json.loads(entry.detail)["mission"] == w.mission.id
    timeline = text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert "Lines on the mission's nominal rolls withdrawn: consent to share was withdrawn" in timeline
    assert "Referral withdrawn: consent to share was withdrawn" in timeline


def test_consent_withdrawn_from_one_mission_leaves_the_rolls_of_another_as_issued(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = referred_with_photo(w)
    assert decide(w["consul"], referral_id, "rejected", body="Not in our registry.").status_code == 302
    consent(w["worker"], w.case.id, "sharing", w.other_mission.id)
    assert refer(w["coordinator"], w.case.id, w.other_mission.id).status_code == 302
    other_roll = post_form(w["other_consul"], "/rolls", {"mission_id": w.other_mission.id}).headers["Location"]
    consent(w["worker"], w.case.id, "sharing", w.mission.id, decision="withdrawn")
    page = text(w["other_consul"].get(other_roll))
    assert "SANTOS" in page and "Consent withdrawn" not in page
    assert w["other_consul"].get(f"/cases/{w.case.id}").status_code == 200


def test_a_rejecting_mission_keeps_its_decision_record_and_nothing_of_the_case(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = referred_with_photo(w)
    photo_id = photo_of(app, w.case.id)
    assert decide(w["consul"], referral_id, "information_requested",
                  body="Which province was she born in?").status_code == 302
    assert post_form(w["worker"], f"/referrals/{referral_id}/messages", {"body": "Born in Cebu."},
                     token_from=f"/referrals/{referral_id}").status_code == 302
    assert decide(w["consul"], referral_id, "rejected", body="No record in the civil registry.").status_code == 302

    record = text(w["consul"].get(f"/referrals/{referral_id}"))
    assert "Nationality not confirmed" in record and "No record in the civil registry." in record
    assert "Which province was she born in?" in record and "Born in Cebu." in record
    assert "SANTOS" not in record and "Maria" not in record and "/attachments/" not in record
    for url in (f"/cases/{w.case.id}", f"/cases/{w.case.id}/attachments/{photo_id}",
                f"/cases/{w.case.id}/documents", f"/cases/{w.case.id}/documents/packet.pdf",
                f"/cases/{w.case.id}/arrival"):
        assert w["consul"].get(url).status_code == 403, url
    assert "SANTOS" not in text(w["consul"].get("/cases?q=santos"))
    assert w.case.number not in text(w["consul"].get("/consular"))
    assert "SANTOS" not in w["consul"].get("/cases/export.csv").get_data(as_text=True)

    # Another mission recognises the person and brings them home; the first sees none of it.
    consent(w["worker"], w.case.id, "sharing", w.other_mission.id)
    assert refer(w["coordinator"], w.case.id, w.other_mission.id).status_code == 302
    second = referral_of(app, w.case.id, w.other_mission.id)
    assert decide(w["other_consul"], second, "confirmed", evidence="civil_registry").status_code == 302
    assert record_document(w["other_consul"], w.case.id, number="VN7777777").status_code == 302
    plan_ready_and_departed(w, app)
    assert w["consul"].get(f"/cases/{w.case.id}").status_code == 403
    assert w["consul"].get(f"/cases/{w.case.id}/arrival").status_code == 403
    refused = post_form(w["consul"], f"/cases/{w.case.id}/arrival", {"arrived_on": date.today().isoformat()},
                        token_from="/account")
    assert refused.status_code == 403 and status_of(app, w.case.id) == "departed"
    assert w.case.number not in text(w["consul"].get("/cases?q=VN7777777"))
    assert "VN7777777" not in text(w["consul"].get(f"/referrals/{referral_id}"))
    # The confirming mission does.
    arrival = text(w["other_consul"].get(f"/cases/{w.case.id}/arrival"))
    assert "VN7777777" in arrival
    assert post_form(w["other_consul"], f"/cases/{w.case.id}/arrival",
                     {"arrived_on": date.today().isoformat()}).status_code == 302
    assert status_of(app, w.case.id) == "arrived"


def test_a_mission_never_sees_another_missions_travel_document(app, factory, make_client):
    w = World(app, factory, make_client)
    # A referral to the other mission is still waiting (recorded before this one, with the person's consent).
    case = factory.case(w.ngo, assigned_to=w.worker, status="return_decided", family_name="LIM",
                        given_names="Rosa", native_name=None, nationality="PHL", birth_year=1990,
                        referred_to=w.other_mission)
    w.case = case
    referral_id = referred_with_photo(w)
    assert decide(w["consul"], referral_id, "confirmed", evidence="passport_copy").status_code == 302
    issue_etd(w, number="PU5550001")
    # her own passport, handed back beside the emergency document (one document to travel on at a time)
    assert record_document(w["consul"], case.id, number="LP5550002", kind="passport_returned").status_code == 302
    assert "PU5550001" in text(w["consul"].get(f"/cases/{case.id}/documents"))
    assert "LP5550002" in text(w["consul"].get(f"/cases/{case.id}"))
    # The other mission still has the case, and never one of these documents.
    assert w["other_consul"].get(f"/cases/{case.id}").status_code == 200
    for url in (f"/cases/{case.id}", f"/cases/{case.id}/documents"):
        response = w["other_consul"].get(url)
        assert response.status_code == 200, url
        assert "PU5550001" not in text(response) and "LP5550002" not in text(response), url
    packet = pdf_text(w["other_consul"].get(f"/cases/{case.id}/documents/packet.pdf"))
    assert "LIM" in packet and "PU5550001" not in packet and "LP5550002" not in packet
    plan_ready_and_departed(w, app)
    assert w["other_consul"].get(f"/cases/{case.id}/arrival").status_code == 403  # not the confirming mission
    arrival = text(w["consul"].get(f"/cases/{case.id}/arrival"))
    assert "PU5550001" in arrival and "LP5550002" in arrival


def test_the_receiving_agency_reaches_the_case_only_with_the_persons_consent(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = referred_with_photo(w)
    decide(w["consul"], referral_id, "confirmed", evidence="interview")
    assert record_document(w["consul"], w.case.id).status_code == 302
    plan = {"fit_to_travel_on": "2026-11-20", "exit_clearance_on": "2026-11-21", "flights": "PR 2016",
            "departure_on": "2026-12-01", "receiving_agency_id": w.agency.id}
    saved = save_plan(w["coordinator"], w.case.id, **plan)
    assert saved.status_code == 302
    warning = text(w["coordinator"].get(saved.headers["Location"]))
    assert ("Manila Reception cannot see the return or confirm the arrival until the person's consent to share "
            "their data with it is recorded.") in warning
    assert w["receiver"].get(f"/cases/{w.case.id}/arrival").status_code == 403
    blocked = move(w["coordinator"], app, w.case.id, "ready_to_travel")
    assert blocked.status_code == 409
    assert ("Record the person's consent to share their data with the receiving agency named in the plan first."
            in text(blocked))
    assert status_of(app, w.case.id) == "travel_document_issued"

    # One consent names one recipient.
    both = post_form(w["worker"], f"/cases/{w.case.id}/consents", {
        "purpose": "sharing", "decision": "given", "mission_id": w.mission.id, "organisation_id": w.agency.id,
        "recipient": "", "language": "en", "interpreter": "", "witness": "", "given_on": ""},
        token_from=f"/cases/{w.case.id}")
    assert both.status_code == 400 and "One consent names one recipient" in text(both)
    assert w["receiver"].get(f"/cases/{w.case.id}/arrival").status_code == 403

    consent(w["worker"], w.case.id, "sharing", organisation_id=w.agency.id)
    page = text(w["receiver"].get(f"/cases/{w.case.id}/arrival"))
    assert "SANTOS" in page and "PR 2016" in page and "fake call-centre" not in page
    assert w["receiver"].get(f"/cases/{w.case.id}").status_code == 403  # never the case file itself
    assert move(w["coordinator"], app, w.case.id, "ready_to_travel").status_code == 302
    assert "The return of case %s is planned and ready." % w.case.number in text(w["receiver"].get("/inbox"))
    assert move(w["coordinator"], app, w.case.id, "departed").status_code == 302

    consent(w["worker"], w.case.id, "sharing", organisation_id=w.agency.id, decision="withdrawn")
    assert w["receiver"].get(f"/cases/{w.case.id}/arrival").status_code == 403
    consent(w["worker"], w.case.id, "sharing", organisation_id=w.agency.id)
    assert post_form(w["receiver"], f"/cases/{w.case.id}/arrival",
                     {"arrived_on": date.today().isoformat()}).status_code == 302
    assert status_of(app, w.case.id) == "arrived"


def test_another_agency_never_reaches_the_case_with_the_consent_given_to_the_one_named(app, factory, make_client):
    from tests.fixtures.factories import login

    w = World(app, factory, make_client)
    other_agency = factory.organisation("Cebu Shelter", kind="receiving_agency", country="PHL")
    stranger = factory.user("caseworker", organisation=other_agency, two_factor=True)
    browser = make_client()
    login(browser, stranger)
    referral_id = referred_with_photo(w)
    decide(w["consul"], referral_id, "confirmed", evidence="interview")
    record_document(w["consul"], w.case.id)
    consent(w["worker"], w.case.id, "sharing", organisation_id=other_agency.id)  # agreed, but not named
    assert save_plan(w["coordinator"], w.case.id, receiving_agency_id=w.agency.id).status_code == 302
    assert browser.get(f"/cases/{w.case.id}/arrival").status_code == 403
    assert w["receiver"].get(f"/cases/{w.case.id}/arrival").status_code == 403


def test_no_consular_page_or_print_tells_a_health_fact(app, factory, make_client):
    w = World(app, factory, make_client)
    situation = post_form(w["worker"], f"/cases/{w.case.id}/situation", {
        "next_of_kin": "", "recruitment_channel": "", "recruitment_details": "", "exploitation": "",
        "pregnant": "y", "medical_needs": "y", "needs": "", "risk_level": "", "risk_notes": "", "legal_status": "",
        "legal_notes": ""}, token_from=f"/cases/{w.case.id}/situation")
    assert situation.status_code == 302, text(situation)
    coordinator_page = text(w["coordinator"].get(f"/cases/{w.case.id}")).lower()
    assert "pregnan" in coordinator_page  # the organisation holding the case knows
    referral_id = referred_with_photo(w)
    waiting = text(w["consul"].get("/consular"))
    assert "SANTOS" in waiting and "Priority" in waiting
    pages = {"inbox": waiting, "referral": text(w["consul"].get(f"/referrals/{referral_id}"))}
    decide(w["consul"], referral_id, "confirmed", evidence="interview")
    issue_etd(w)
    roll_url = post_form(w["consul"], "/rolls", {"mission_id": w.mission.id}).headers["Location"]
    plan_ready_and_departed(w, app)
    for url in ("/consular", "/inbox", f"/referrals/{referral_id}", f"/cases/{w.case.id}", "/cases",
                "/cases?q=santos", f"/cases/{w.case.id}/documents", "/rolls", roll_url,
                f"/cases/{w.case.id}/arrival"):
        response = w["consul"].get(url)
        assert response.status_code == 200, url
        pages[url] = text(response)
    pages["export"] = w["consul"].get("/cases/export.csv").get_data(as_text=True)
    pages["packet"] = pdf_text(w["consul"].get(f"/cases/{w.case.id}/documents/packet.pdf"))
    pages["roll"] = pdf_text(w["consul"].get(roll_url + ".pdf"))
    for name, page in pages.items():
        assert "SANTOS" in page or name in ("/inbox", "/rolls"), name
        lowered = page.lower()
        assert "pregnan" not in lowered and "medical" not in lowered, name
