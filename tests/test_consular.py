"""The consular loop from both sides: directory, referral and its guards, the mission's inbox and
answers, travel documents, the return path's guards, arrival, follow-ups, nominal rolls, the inbox."""
import html
import io
import itertools
import json
import re
from datetime import date, timedelta

from pdfminer.high_level import extract_text
from sqlalchemy import select

from rescue.audit.models import AuditEntry
from rescue.cases.models import Attachment, Case, Consent
from rescue.clock import utcnow
from rescue.consular.models import FollowUp, Referral, TravelDocument
from rescue.extensions import db
from tests.fixtures.factories import login, post_form

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _version(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).version


def move(client, app, case_id, target, reason=""):
    return post_form(client, f"/cases/{case_id}/status", {
        "target": target, "reason": reason, "version": _version(app, case_id)}, token_from=f"/cases/{case_id}")


def consent(client, case_id, purpose, mission_id="", decision="given", organisation_id=""):
    response = post_form(client, f"/cases/{case_id}/consents", {
        "purpose": purpose, "decision": decision, "mission_id": mission_id, "organisation_id": organisation_id,
        "recipient": "", "language": "en", "interpreter": "", "witness": "", "given_on": "2026-11-20"},
        token_from=f"/cases/{case_id}")
    assert response.status_code == 302, text(response)


def add_photo(app, case_id, user_id):
    with app.app_context():
        db.session.add(Attachment(case_id=case_id, kind="photo", filename="p.png", content_type="image/png",
                                  size=10, sha256="0" * 64, storage_key=f"photo-{case_id}", key_id="k", uploaded_by_id=user_id,
                                  width=600, height=800))
        db.session.commit()


def refer(client, case_id, mission_id, note="", photo_reason=""):
    return post_form(client, f"/cases/{case_id}/referrals", {"mission_id": mission_id, "note": note,
                                                             "photo_reason": photo_reason},
                     token_from=f"/cases/{case_id}")


def referral_of(app, case_id, mission_id):
    with app.app_context():
        return db.session.scalar(select(Referral.id).where(Referral.case_id == case_id,
                                                           Referral.mission_id == mission_id))


def decide(client, referral_id, outcome, evidence="", body=""):
    return post_form(client, f"/referrals/{referral_id}/decision", {"outcome": outcome, "evidence": evidence,
                                                                    "text": body},
                     token_from=f"/referrals/{referral_id}")


def status_of(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).status


class World:
    def __init__(self, app, factory, make_client, *, caseworkers_may_refer=False, suffix=""):
        self.app = app
        self.ngo = factory.organisation("Hope NGO" + suffix, caseworkers_may_refer=caseworkers_may_refer,
                                        country="KHM")
        self.agency = factory.organisation("Manila Reception" + suffix, kind="receiving_agency", country="PHL")
        self.mission = factory.mission("Philippine Embassy" + suffix, represents="PHL", host_country="KHM")
        self.other_mission = factory.mission("Embassy of Viet Nam" + suffix, represents="VNM", host_country="KHM")
        self.worker = factory.user("caseworker", organisation=self.ngo, display_name="Dara")
        self.coordinator = factory.user("coordinator", organisation=self.ngo, display_name="Sokha")
        self.consul = factory.user("consular", mission=self.mission, display_name="Consul Reyes")
        self.other_consul = factory.user("consular", mission=self.other_mission)
        self.receiver = factory.user("caseworker", organisation=self.agency, two_factor=True)
        self.case = factory.case(self.ngo, assigned_to=self.worker, status="return_decided", family_name="SANTOS",
                                 given_names="Maria", native_name=None, nationality="PHL", birth_year=1995,
                                 recruitment_details="Lured by a fake call-centre job")
        self.clients = {}
        for name in ("worker", "coordinator", "consul", "other_consul", "receiver"):
            client = make_client()
            login(client, getattr(self, name))
            self.clients[name] = client

    def __getitem__(self, name):
        return self.clients[name]

    def referred(self, photo=True):
        """Consent, photo, referral: the case waits at the mission."""
        consent(self["worker"], self.case.id, "sharing", self.mission.id)
        if photo:
            add_photo(self.app, self.case.id, self.worker.id)
        response = refer(self["coordinator"], self.case.id, self.mission.id, note="Rescued in Sihanoukville.",
                         photo_reason="" if photo else "No camera at the shelter.")
        assert response.status_code == 302, text(response)
        return referral_of(self.app, self.case.id, self.mission.id)


def test_the_directory_finds_the_mission_of_a_country_in_a_host_country_in_the_readers_language(
        app, factory, make_client):
    w = World(app, factory, make_client)
    page = text(w["worker"].get("/missions?represents=PHL&host=KHM"))
    assert "Philippine Embassy" in page and "Embassy of Viet Nam" not in page
    assert "Philippines" in page and "Cambodia" in page
    arabic = text(w["worker"].get("/missions?represents=PHL&lang=ar"))
    assert "الفلبين" in arabic and "كمبوديا" in arabic
    case_page = text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert "Find the mission of Philippines in the directory" in case_page
    assert "/missions?represents=PHL&amp;host=KHM" in w["coordinator"].get(f"/cases/{w.case.id}").get_data(as_text=True)


def test_a_referral_is_refused_with_its_reasons_until_consent_and_identity_are_there(app, factory, make_client):
    w = World(app, factory, make_client)
    refused = refer(w["coordinator"], w.case.id, w.mission.id)
    assert refused.status_code == 409
    page = text(refused)
    assert "Record the person's consent to share their data with this mission first." in page
    assert "Add a photo of the person first, or say why there is none." in page
    assert status_of(app, w.case.id) == "return_decided"
    consent(w["worker"], w.case.id, "sharing", w.other_mission.id)  # consent for another mission does not count
    assert "consent to share their data with this mission" in text(refer(w["coordinator"], w.case.id, w.mission.id))
    consent(w["worker"], w.case.id, "sharing", w.mission.id)
    no_photo = refer(w["coordinator"], w.case.id, w.mission.id)
    assert no_photo.status_code == 409 and "Add a photo" in text(no_photo)
    accepted = refer(w["coordinator"], w.case.id, w.mission.id, photo_reason="The person refuses photographs.")
    assert accepted.status_code == 302
    assert status_of(app, w.case.id) == "consular_referral"
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "referral.created"))


def test_caseworkers_refer_only_when_their_organisation_allows_it(app, factory, make_client):
    w = World(app, factory, make_client)
    consent(w["worker"], w.case.id, "sharing", w.mission.id)
    add_photo(app, w.case.id, w.worker.id)
    refused = refer(w["worker"], w.case.id, w.mission.id)
    assert refused.status_code == 409
    assert "In your organisation, coordinators refer cases to missions." in text(refused)
    allowed = World(app, factory, make_client, caseworkers_may_refer=True, suffix=" 2")
    consent(allowed["worker"], allowed.case.id, "sharing", allowed.mission.id)
    add_photo(app, allowed.case.id, allowed.worker.id)
    assert refer(allowed["worker"], allowed.case.id, allowed.mission.id).status_code == 302


def test_the_mission_inbox_lists_its_referrals_by_urgency_with_days_waiting(app, factory, make_client):
    w = World(app, factory, make_client)
    w.referred()
    minor = factory.case(w.ngo, status="return_decided", family_name="CRUZ", given_names="Ana", nationality="PHL",
                         birth_year=date.today().year - 15, native_name=None)
    with app.app_context():
        db.session.add(Referral(case_id=minor.id, mission_id=w.mission.id,
                                referred_at=utcnow() - timedelta(days=3)))
        db.session.add(Consent(case_id=minor.id, purpose="sharing", decision="given",
                               recipient_mission_id=w.mission.id))
        db.session.get(Case, minor.id).status = "consular_referral"
        db.session.commit()
    inbox = text(w["consul"].get("/consular"))
    assert "Waiting for your decision" in inbox
    assert inbox.index("CRUZ") < inbox.index("SANTOS")  # the minor first
    assert "3 days" in inbox and "Priority" in inbox  # a neutral marker: it does not say why
    assert "Minor" not in inbox and "Medical" not in inbox
    assert "SANTOS" not in text(w["other_consul"].get("/consular"))
    assert w["other_consul"].get(f"/cases/{w.case.id}").status_code == 403
    assert w["coordinator"].get("/consular").status_code == 403


def test_a_consul_sees_the_consular_field_set_only_on_pages_search_and_exports(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    with app.app_context():
        case = db.session.get(Case, w.case.id)
        case.needs, case.risk_notes = "Counselling twice a week", "Recruiter threatened her family"
        case.legal_notes, case.phone = "Witness in the police case", "+855 12 345 678"
        db.session.commit()
    restricted = ("fake call-centre job", "Counselling twice a week", "Recruiter threatened", "Witness in the police",
                  "+855 12 345 678", "Sihanoukville")
    assert all(value in text(w["coordinator"].get(f"/cases/{w.case.id}")) for value in restricted[:5])
    for url in (f"/cases/{w.case.id}", f"/referrals/{referral_id}", "/cases?q=santos", "/consular"):
        page = text(w["consul"].get(url))
        assert "SANTOS" in page, url
        assert not [value for value in restricted[:5] if value in page], url
    exported = w["consul"].get("/cases/export.csv")  # signed in a moment ago: no re-authentication needed
    assert exported.status_code == 200
    body = exported.get_data(as_text=True)
    assert "SANTOS" in body and not [value for value in restricted[:5] if value in body]
    never = factory.case(w.ngo, status="in_care", family_name="NEVER", nationality="PHL")
    assert w["consul"].get(f"/cases/{never.id}").status_code == 403
    assert "NEVER" not in text(w["consul"].get("/cases?q=never"))
    with app.app_context():
        refusals = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.refused")).all()
        assert any(e.actor_id == w.consul.id and e.object_id == never.id for e in refusals)


def test_the_mission_asks_for_information_the_organisation_answers_and_the_mission_confirms(
        app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    assert "Case %s was referred to your mission." % w.case.number in text(w["consul"].get("/inbox"))
    asked = decide(w["consul"], referral_id, "information_requested")
    assert asked.status_code == 400 and "Write a message." in text(asked)
    assert decide(w["consul"], referral_id, "information_requested",
                  body="Which province was she born in?").status_code == 302
    org_inbox = text(w["worker"].get("/inbox"))
    assert "The mission asks for more information on case %s." % w.case.number in org_inbox
    page = text(w["worker"].get(f"/referrals/{referral_id}"))
    assert "Which province was she born in?" in page and "More information requested" in page
    assert post_form(w["worker"], f"/referrals/{referral_id}/messages", {"body": "Born in Cebu."},
                     token_from=f"/referrals/{referral_id}").status_code == 302
    assert "The organisation answered about case" in text(w["consul"].get("/inbox"))
    no_evidence = decide(w["consul"], referral_id, "confirmed")
    assert no_evidence.status_code == 400 and "Say how the nationality was confirmed." in text(no_evidence)
    assert decide(w["consul"], referral_id, "confirmed", evidence="civil_registry").status_code == 302
    assert status_of(app, w.case.id) == "nationality_confirmed"
    page = text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert "Civil registry record" in page and "Nationality confirmed" in page
    again = decide(w["consul"], referral_id, "rejected", body="changed my mind")
    assert again.status_code == 403 or "This referral already has an outcome." in text(again)
    assert post_form(w["other_consul"], f"/referrals/{referral_id}/decision", {"outcome": "confirmed",
                     "evidence": "interview"}, token_from="/account").status_code == 403


def test_a_rejection_needs_a_reason_and_the_coordinator_refers_elsewhere_or_follows_the_stateless_path(
        app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    assert "Say why" in text(decide(w["consul"], referral_id, "rejected"))
    assert decide(w["consul"], referral_id, "rejected", body="No record in the civil registry.").status_code == 302
    assert status_of(app, w.case.id) == "nationality_rejected"
    page = text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert "No record in the civil registry." in page and "Refer to a mission" in page
    consent(w["worker"], w.case.id, "sharing", w.other_mission.id)
    assert refer(w["coordinator"], w.case.id, w.other_mission.id).status_code == 302
    assert status_of(app, w.case.id) == "consular_referral"
    second = referral_of(app, w.case.id, w.other_mission.id)
    assert decide(w["other_consul"], second, "rejected", body="Not a national.").status_code == 302
    # A caseworker of an organisation where coordinators refer may not take the referral's other outcome.
    refused = post_form(w["worker"], f"/cases/{w.case.id}/stateless",
                        {"reason": "Stateless."}, token_from=f"/cases/{w.case.id}", follow_redirects=True)
    assert "In your organisation, coordinators refer cases to missions." in text(refused)
    assert status_of(app, w.case.id) == "nationality_rejected"
    done = post_form(w["coordinator"], f"/cases/{w.case.id}/stateless",
                     {"reason": "Referred to UNHCR for a stateless determination."}, token_from=f"/cases/{w.case.id}")
    assert done.status_code == 302
    assert status_of(app, w.case.id) == "on_hold"
    page = text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert "Stateless" in page
    # Her papers are found: the case goes back to before its referrals, and she may be referred again, once
    # the guards of that state hold again (her consent to return, asked afresh).
    def resume():
        with app.app_context():
            version = db.session.get(Case, w.case.id).version
        return post_form(w["coordinator"], f"/cases/{w.case.id}/status",
                         {"target": "return_decided", "reason": "", "version": version},
                         token_from=f"/cases/{w.case.id}")
    refused = resume()
    assert refused.status_code == 409
    assert "Record the person's consent to voluntary return first." in text(refused)
    consent(w["worker"], w.case.id, "voluntary_return")
    assert resume().status_code == 302
    assert status_of(app, w.case.id) == "return_decided"
    assert "Refer to a mission" in text(w["coordinator"].get(f"/cases/{w.case.id}"))


def test_withdrawing_consent_to_share_ends_the_missions_access(app, factory, make_client):
    w = World(app, factory, make_client)
    w.referred()
    assert w["consul"].get(f"/cases/{w.case.id}").status_code == 200
    consent(w["worker"], w.case.id, "sharing", w.mission.id, decision="withdrawn")
    assert w["consul"].get(f"/cases/{w.case.id}").status_code == 403
    assert "The referral of case %s was withdrawn." % w.case.number in text(w["consul"].get("/inbox"))


def _to_travel_document(w, app):
    referral_id = w.referred()
    decide(w["consul"], referral_id, "confirmed", evidence="interview")
    return referral_id


_NUMBERS = itertools.count(1)


def record_document(client, case_id, **values):
    """A travel document recorded by the mission; unless the test names one, a number never given before."""
    data = {"kind": "emergency_travel_document", "number": f"ETD{next(_NUMBERS):06d}", "issued_on": date.today().isoformat(),
            "expires_on": (date.today() + timedelta(days=60)).isoformat(), "route": "PNH-MNL", "transit_points": ""}
    data.update(values)
    return post_form(client, f"/cases/{case_id}/travel-documents", data, token_from=f"/cases/{case_id}")


def test_only_the_confirming_mission_records_the_travel_document(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    refused = record_document(w["consul"], w.case.id, number="ETD123456")
    assert refused.status_code == 400
    assert "Your mission has not confirmed this person's nationality." in text(refused)
    decide(w["consul"], referral_id, "confirmed", evidence="passport_copy")
    wrong = record_document(w["consul"], w.case.id, number="ETD123456", expires_on="2000-01-01")
    assert wrong.status_code == 400 and "The document cannot expire before it is issued." in text(wrong)
    assert "ETD123456" not in text(wrong) or 'value="ETD123456"' in wrong.get_data(as_text=True)
    assert post_form(w["other_consul"], f"/cases/{w.case.id}/travel-documents", {},
                     token_from="/account").status_code == 403
    assert post_form(w["coordinator"], f"/cases/{w.case.id}/travel-documents", {},
                     token_from="/account").status_code == 403
    assert record_document(w["consul"], w.case.id, number="ETD123456").status_code == 302
    assert status_of(app, w.case.id) == "travel_document_issued"
    page = text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert "Emergency travel document" in page and "ETD123456" in page
    assert "A travel document was recorded in case" in text(w["coordinator"].get("/inbox"))


def save_plan(client, case_id, **values):
    data = {"fit_to_travel_on": "", "fit_to_travel_clinician": "", "fit_to_travel_conditions": "",
            "exit_clearance_on": "", "exit_clearance_reference": "", "flights": "", "departure_on": "",
            "escort": "", "receiving_agency_id": "", "receiving_contact": ""}
    data.update(values)
    return post_form(client, f"/cases/{case_id}/plan", data, token_from=f"/cases/{case_id}")


def test_each_guard_of_the_return_path_refuses_with_its_reason_until_met(app, factory, make_client):
    w = World(app, factory, make_client)
    _to_travel_document(w, app)
    assert record_document(w["consul"], w.case.id, issued_on="2025-01-01", expires_on="2025-03-01").status_code == 302
    assert status_of(app, w.case.id) == "travel_document_issued"  # recorded, but expired already
    expected = {
        "A valid travel document is needed first.": {},
        "A fit-to-travel assessment is needed first.": {"fit_to_travel_on": "2026-11-20",
                                                        "fit_to_travel_clinician": "Dr Lim",
                                                        "fit_to_travel_conditions": "Asthma inhaler"},
        "Exit clearance is needed first.": {"exit_clearance_on": "2026-11-21", "exit_clearance_reference": "IMM-7"},
        "A travel booking is needed first.": {"flights": "PR 2016 PNH-MNL", "departure_on": "2026-12-01"},
    }
    plan: dict = {}
    for reason, values in expected.items():
        refused = move(w["worker"], app, w.case.id, "ready_to_travel")
        assert refused.status_code == 409 and reason in text(refused), reason
        if not values:
            assert record_document(w["consul"], w.case.id).status_code == 302
        else:
            plan.update(values)
            assert save_plan(w["worker"], w.case.id, **plan).status_code == 302
        assert reason not in text(move(w["worker"], app, w.case.id, "ready_to_travel"))
        if status_of(app, w.case.id) == "ready_to_travel":
            break
    assert status_of(app, w.case.id) == "ready_to_travel"
    # The clinician's conditions are health information: the mission does not see them.
    consul_page = text(w["consul"].get(f"/cases/{w.case.id}"))
    assert "PR 2016" in consul_page and "Asthma inhaler" not in consul_page
    assert "Asthma inhaler" in text(w["worker"].get(f"/cases/{w.case.id}"))
    bad = save_plan(w["worker"], w.case.id, flights="PR 2016")
    assert bad.status_code == 400 and "Give the departure date of the booked flights." in text(bad)
    assert "PR 2016" in text(bad)


def _departed(w, app, *, receiving_agency=False):
    _to_travel_document(w, app)
    record_document(w["consul"], w.case.id)
    plan = {"fit_to_travel_on": "2026-11-20", "exit_clearance_on": "2026-11-21", "flights": "PR 2016",
            "departure_on": "2026-12-01"}
    if receiving_agency:
        plan["receiving_agency_id"] = w.agency.id
        consent(w["worker"], w.case.id, "sharing", organisation_id=w.agency.id)
    assert save_plan(w["coordinator"], w.case.id, **plan).status_code == 302
    assert move(w["coordinator"], app, w.case.id, "ready_to_travel").status_code == 302
    assert move(w["coordinator"], app, w.case.id, "departed").status_code == 302


def test_arrival_is_never_confirmed_by_the_sending_side(app, factory, make_client):
    w = World(app, factory, make_client)
    _departed(w, app)
    refused = move(w["worker"], app, w.case.id, "arrived")
    assert refused.status_code == 409
    assert "Arrival is confirmed by the mission or the receiving agency, not by the sending side." in text(refused)
    assert w["coordinator"].get(f"/cases/{w.case.id}/arrival").status_code == 403
    assert "The person of case %s has departed." % w.case.number in text(w["consul"].get("/inbox"))
    page = text(w["consul"].get("/consular"))
    assert "Travelling home: confirm the arrival" in page and "SANTOS" in page
    assert w["other_consul"].get(f"/cases/{w.case.id}/arrival").status_code == 403
    confirmed = post_form(w["consul"], f"/cases/{w.case.id}/arrival",
                          {"arrived_on": date.today().isoformat(), "note": "Met at the airport."})
    assert confirmed.status_code == 302
    assert status_of(app, w.case.id) == "arrived"
    with app.app_context():
        due = sorted((f.months, f.due_on) for f in db.session.scalars(select(FollowUp)))
    assert [m for m, _ in due] == [3, 6, 12]
    assert due[0][1] > date.today()
    assert "The arrival of case %s is confirmed." % w.case.number in text(w["coordinator"].get("/inbox"))
    again = post_form(w["consul"], f"/cases/{w.case.id}/arrival", {"arrived_on": date.today().isoformat()})
    assert again.status_code == 409


def test_the_receiving_agency_named_in_the_plan_confirms_the_arrival(app, factory, make_client):
    w = World(app, factory, make_client)
    assert w["receiver"].get(f"/cases/{w.case.id}/arrival").status_code == 403
    _departed(w, app, receiving_agency=True)
    inbox = text(w["receiver"].get("/inbox"))
    assert "The return of case %s is planned and ready." % w.case.number in inbox
    assert w["receiver"].get(f"/cases/{w.case.id}").status_code == 403  # not the case file itself
    page = text(w["receiver"].get(f"/cases/{w.case.id}/arrival"))
    assert "SANTOS" in page and "fake call-centre" not in page
    future = post_form(w["receiver"], f"/cases/{w.case.id}/arrival",
                       {"arrived_on": (date.today() + timedelta(days=3)).isoformat()})
    assert future.status_code == 409 and "not in the future" in text(future)
    assert post_form(w["receiver"], f"/cases/{w.case.id}/arrival",
                     {"arrived_on": date.today().isoformat()}).status_code == 302
    assert status_of(app, w.case.id) == "arrived"


def test_follow_ups_fall_due_in_the_coordinators_list_and_inbox_and_are_recorded(app, factory, make_client):
    w = World(app, factory, make_client)
    _departed(w, app)
    post_form(w["consul"], f"/cases/{w.case.id}/arrival",
              {"arrived_on": (date.today() - timedelta(days=100)).isoformat()})
    page = text(w["coordinator"].get("/follow-ups"))
    assert w.case.number in page and "After 3 months" in page and "Overdue" in page
    assert "After 6 months" not in page
    assert "reminder(s) sent." in app.test_cli_runner().invoke(args=["rescue", "send-reminders"]).output
    assert "A follow-up is due in case %s." % w.case.number in text(w["coordinator"].get("/inbox"))
    with app.app_context():
        first = db.session.scalar(select(FollowUp.id).where(FollowUp.months == 3))
    recorded = post_form(w["worker"], f"/cases/{w.case.id}/follow-ups/{first}", {
        f"follow-up-{first}-done_on": date.today().isoformat(), f"follow-up-{first}-outcome": "reached",
        f"follow-up-{first}-note": "Back with her family, working in Cebu."}, token_from=f"/cases/{w.case.id}")
    assert recorded.status_code == 302
    assert w.case.number not in text(w["coordinator"].get("/follow-ups"))
    assert "Back with her family" in text(w["coordinator"].get(f"/cases/{w.case.id}"))
    assert w["worker"].get("/follow-ups").status_code == 403


def test_an_unanswered_referral_becomes_overdue_for_both_sides(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    with app.app_context():
        db.session.get(Referral, referral_id).referred_at = utcnow() - timedelta(days=20)
        db.session.commit()
    message = "The referral of case %s is overdue." % w.case.number
    assert message not in text(w["coordinator"].get("/inbox"))  # opening an inbox changes nothing
    assert "3 reminder(s) sent." in app.test_cli_runner().invoke(args=["rescue", "send-reminders"]).output
    assert message in text(w["coordinator"].get("/inbox"))
    assert message in text(w["consul"].get("/inbox"))
    page = text(w["coordinator"].get("/referrals"))
    assert "Overdue" in page and "20 days" in page
    with app.app_context():
        from rescue.inbox.models import Notice
        assert len(db.session.scalars(select(Notice).where(Notice.kind == "referral_overdue")).all()) == 3


def test_a_nominal_roll_is_issued_kept_as_it_was_and_printed_in_a_chosen_language(app, factory, make_client):
    w = World(app, factory, make_client)
    w.referred()
    other_org = factory.organisation("Other NGO")
    theirs = factory.case(other_org, status="consular_referral", family_name="REYES", nationality="PHL",
                          referred_to=w.mission, native_name=None)
    issued = post_form(w["coordinator"], "/rolls", {"mission_id": w.mission.id})
    assert issued.status_code == 302
    roll_url = issued.headers["Location"]
    page = text(w["coordinator"].get(roll_url))
    assert "SANTOS" in page and "REYES" not in page  # an organisation's roll lists its own cases
    assert "fake call-centre" not in page and "1 person." in page
    assert w["consul"].get(roll_url).status_code == 200
    assert w["other_consul"].get(roll_url).status_code == 403
    with app.app_context():
        db.session.get(Case, w.case.id).family_name = "SANTOS-CRUZ"
        db.session.commit()
    printed = w["coordinator"].get(roll_url + ".pdf?language=fr")
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    pdf_text = extract_text(io.BytesIO(printed.data))
    assert "SANTOS Maria" in pdf_text and "SANTOS-CRUZ" not in pdf_text  # as it was issued
    assert "Sexe" in pdf_text and "Date de naissance" in pdf_text  # printed in French, whatever the page's language
    mission_roll = post_form(w["consul"], "/rolls", {"mission_id": w.mission.id})
    mission_page = text(w["consul"].get(mission_roll.headers["Location"]))
    assert "SANTOS-CRUZ" in mission_page and "REYES" in mission_page  # the mission's roll spans organisations
    assert w["coordinator"].get(mission_roll.headers["Location"]).status_code == 403
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roll.issued"))
        assert w.case.id in json.loads(entry.detail)["cases"]
    assert theirs


def test_erasing_a_case_removes_its_line_from_rolls(app, factory, make_client):
    w = World(app, factory, make_client)
    w.referred(photo=False)
    roll_url = post_form(w["coordinator"], "/rolls", {"mission_id": w.mission.id}).headers["Location"]
    with app.app_context():
        from rescue.cases import retention
        retention.erase(db.session.get(Case, w.case.id), reason="person_request", actor_id=None, address=None)
        db.session.commit()
    page = text(w["coordinator"].get(roll_url))
    assert "SANTOS" not in page and "0 people." in page


def test_the_reminder_command_sends_each_overdue_reminder_once(app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    with app.app_context():
        db.session.get(Referral, referral_id).referred_at = utcnow() - timedelta(days=30)
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["rescue", "send-reminders"])
    assert first.exit_code == 0 and "3 reminder(s) sent." in first.output
    assert "0 reminder(s) sent." in runner.invoke(args=["rescue", "send-reminders"]).output
    assert "SANTOS" not in first.output


def test_opening_the_inbox_changes_nothing_and_the_person_marks_what_they_saw_as_read(app, factory, make_client):
    w = World(app, factory, make_client)
    w.referred()
    said = "Case %s was referred to your mission." % w.case.number
    header = "1 new"
    assert header in text(w["consul"].get("/inbox"))
    assert header in text(w["consul"].get("/inbox"))  # still new: a page view reads, it does not write
    # Without the page's token (a form on another site), nothing happens.
    with app.app_context():
        from rescue.inbox.models import Notice
        notice_id = db.session.scalar(select(Notice.id).where(Notice.kind == "referral_received"))
    assert w["consul"].post("/inbox/read", data={"notice": notice_id}).status_code == 400
    # Someone else cannot mark it read for them.
    post_form(w["coordinator"], "/inbox/read", {"notice": notice_id}, token_from="/inbox")
    assert header in text(w["consul"].get("/inbox"))
    done = post_form(w["consul"], "/inbox/read", {"notice": notice_id}, token_from="/inbox")
    assert done.status_code == 302
    page = text(w["consul"].get("/inbox"))
    assert said in page and header not in page


def test_a_stale_copy_of_the_plan_never_wipes_a_booked_flight(app, factory, make_client):
    w = World(app, factory, make_client)
    w.referred()
    assert save_plan(w["worker"], w.case.id, escort="Ms Dara").status_code == 302
    stale = w["worker"].get(f"/cases/{w.case.id}").get_data(as_text=True)  # a colleague's copy, open for a while
    form = stale.split("/plan\"", 1)[1].split("</form>", 1)[0]
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    booked = save_plan(w["coordinator"], w.case.id, escort="Ms Dara", flights="PR 511 PNH-MNL 14:05",
                       departure_on="2026-12-20")
    assert booked.status_code == 302
    answer = w["worker"].post(f"/cases/{w.case.id}/plan", data={
        "csrf_token": token, "version": version, "escort": "Ms Dara and Mr Sok", "flights": "",
        "departure_on": "", "receiving_agency_id": ""})
    assert answer.status_code == 409
    page = text(answer)
    assert "Someone else changed this case while you were reading it." in page
    assert "PR 511 PNH-MNL 14:05" in page and "Ms Dara and Mr Sok" in page
    with app.app_context():
        from rescue.consular.models import RepatriationPlan
        plan = db.session.scalar(select(RepatriationPlan).where(RepatriationPlan.case_id == w.case.id))
        assert plan.flights == "PR 511 PNH-MNL 14:05" and plan.escort == "Ms Dara"


def test_one_travel_document_at_a_time_and_never_a_number_twice(app, factory, make_client):
    w = World(app, factory, make_client)
    _to_travel_document(w, app)
    assert record_document(w["consul"], w.case.id, number="ETD123456").status_code == 302
    again = record_document(w["consul"], w.case.id, number="ETD765432")
    assert "This person holds a valid travel document already: revoke it first." in text(again)
    with app.app_context():
        first = db.session.scalar(select(TravelDocument.id).where(TravelDocument.number == "ETD123456"))
    revoked = post_form(w["consul"], f"/cases/{w.case.id}/travel-documents/{first}/revoke", {},
                        token_from=f"/cases/{w.case.id}")
    assert revoked.status_code == 302
    same_number = record_document(w["consul"], w.case.id, number="etd123456")
    assert "Your mission gave this number to another travel document already." in text(same_number)
    assert record_document(w["consul"], w.case.id, number="ETD765432").status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(select(TravelDocument.number).where(
            TravelDocument.case_id == w.case.id))) == ["ETD123456", "ETD765432"]


def test_once_the_mission_asks_for_more_the_referral_is_overdue_for_the_organisation_not_the_mission(
        app, factory, make_client):
    w = World(app, factory, make_client)
    referral_id = w.referred()
    with app.app_context():
        db.session.get(Referral, referral_id).referred_at = utcnow() - timedelta(days=20)
        db.session.commit()
    assert "Overdue" in text(w["consul"].get("/consular"))
    asked = decide(w["consul"], referral_id, "information_requested", body="Send a copy of her birth certificate.")
    assert asked.status_code == 302
    assert "Overdue" not in text(w["consul"].get("/consular"))  # it waits on the organisation now
    assert "Overdue" in text(w["coordinator"].get("/referrals"))
