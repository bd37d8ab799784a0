"""Who may do the riskiest things to a person's case, written down by hand from the product's rules (not
read from rescue/auth/policy.py), so that a wrong rule there shows up as a failing (actor, action) pair.

Every POST is a real, valid form, so the checks after form validation are reached: a refusal here is the
app refusing the actor, not a form missing a field. The world (tests/fixtures/world.py) is built once for
this module through the app's own pages; each successful change gets a case of its own.

Actors: a1 (caseworker of A, assigned), a2 (caseworker of A, not assigned), coord_a, cw_b and coord_b
(organisation B), consul_m (live referral, nationality confirmed), consul_n (no referral), consul_r (its
referral decided "nationality not confirmed"), agency_before / agency_after (the receiving agency named in
the plan, before / after the person's consent to share with it), admin.
"""
from __future__ import annotations

import csv
import html
import io

import pytest
from pdfminer.high_level import extract_text
from sqlalchemy import func, select

from rescue.consular.models import Referral, TravelDocument
from rescue.extensions import db
from tests.fixtures.world import RESTRICTED_WORDS, TODAY, World, empty_database


@pytest.fixture(autouse=True)
def _clean_state():
    """This module keeps one world for all its tests (see `world`): nothing is emptied between them."""
    yield


@pytest.fixture(scope="module")
def world(app):
    built = World(app)  # the database is empty: tests/conftest.py empties it after every test
    yield built
    empty_database(app)


def cases(table: dict) -> list:
    """(actor, expected status) pairs, each test named after both."""
    return [pytest.param(actor, status, id=f"{actor}-{status}") for actor, status in table.items()]


def body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_status(response, expected: int, what: str, *, hidden: str | None = None) -> None:
    location = response.headers.get("Location", "")
    assert response.status_code == expected, (
        f"{what}: expected {expected}, got {response.status_code}" + (f" to {location}" if location else ""))
    if expected == 403 and hidden:
        assert hidden not in body(response), f"{what}: the refusal names the person"


def pdf_text(response) -> str:
    assert response.mimetype == "application/pdf", response.mimetype
    return extract_text(io.BytesIO(response.data))


# -- the case page ---------------------------------------------------------------------------------------

CASE_PAGE = {
    "a1": 200, "a2": 403, "coord_a": 200, "cw_b": 403, "coord_b": 403, "consul_m": 200, "consul_n": 403,
    "consul_r": 403, "agency_before": 403, "agency_after": 403, "admin": 403,
}


@pytest.mark.parametrize("actor,expected", cases(CASE_PAGE))
def test_case_page(world, actor, expected):
    person = world.before if actor == "agency_before" else world.main
    response = world.get(actor, f"/cases/{person.case.id}")
    assert_status(response, expected, f"{actor} opens the case page", hidden=person.family_name)
    if expected == 200:
        assert person.case.number in body(response)
    if actor == "consul_m":
        page = body(response)
        assert person.family_name in page
        assert not [word for word in RESTRICTED_WORDS if word in page], "the consul reads narrative or health"


# -- each referral's own page ----------------------------------------------------------------------------

REFERRAL_PAGE = [
    ("consul_m", "M", 200), ("consul_m", "R", 403),
    ("consul_r", "R", 200), ("consul_r", "M", 403),
    ("consul_n", "M", 403), ("consul_n", "R", 403),
    ("coord_a", "M", 200), ("coord_a", "R", 200),
    ("cw_b", "M", 403), ("coord_b", "M", 403),
    ("admin", "M", 403),
]


@pytest.mark.parametrize("actor,referral,expected", [
    pytest.param(actor, referral, status, id=f"{actor}-referral_of_{referral}-{status}")
    for actor, referral, status in REFERRAL_PAGE])
def test_referral_page(world, actor, referral, expected):
    referral_id = world.main_referral_m if referral == "M" else world.main_referral_r
    response = world.get(actor, f"/referrals/{referral_id}")
    assert_status(response, expected, f"{actor} opens the referral to {referral}",
                  hidden=world.main.family_name)
    if expected == 200 and referral == "R":
        assert "No record in the civil registry." in body(response), "the decision record shows its reason"
    if expected == 200 and actor.startswith("consul"):
        page = body(response)
        assert not [word for word in RESTRICTED_WORDS if word in page], "the consul reads narrative or health"


# -- deciding a referral: confirm the nationality, with evidence ----------------------------------------

DECIDE = {"consul_m": 302, "consul_n": 403, "consul_r": 403, "coord_a": 403}


@pytest.mark.parametrize("actor,expected", cases(DECIDE))
def test_deciding_a_referral(world, actor, expected):
    if expected == 302:
        person, referral_id = world.waiting_for_m("decide-" + actor)
    else:
        person, referral_id = world.pending, world.pending_referral
    response = world.decide(actor, referral_id, "confirmed", evidence="civil_registry")
    assert_status(response, expected, f"{actor} confirms the nationality on M's referral",
                  hidden=person.family_name)
    with world.app.app_context():
        status = db.session.get(Referral, referral_id).status
    assert status == ("confirmed" if expected == 302 else "pending")
    if expected == 302:
        assert world.status_of(person) == "nationality_confirmed"


# -- recording or issuing a travel document -----------------------------------------------------------

TRAVEL_DOCUMENT = {
    "consul_m": 302, "consul_n": 403, "consul_r": 403, "a1": 403, "a2": 403, "coord_a": 403, "cw_b": 403,
    "coord_b": 403, "agency_after": 403, "admin": 403,
}


def _documents_of(world, person) -> int:
    with world.app.app_context():
        return db.session.scalar(select(func.count(TravelDocument.id)).where(TravelDocument.case_id == person.case.id))


@pytest.mark.parametrize("actor,expected", cases(TRAVEL_DOCUMENT))
def test_recording_a_travel_document(world, actor, expected):
    person = world.confirmed
    before = _documents_of(world, person)
    response = world.post(actor, f"/cases/{person.case.id}/travel-documents",
                          # the person's own passport, handed back: the emergency document is issued below
                          world.travel_document_form(number="LP" + actor.upper().replace("_", ""),
                                                     kind="passport_returned"))
    assert_status(response, expected, f"{actor} records a travel document", hidden=person.family_name)
    assert _documents_of(world, person) == before + (1 if expected == 302 else 0)


@pytest.mark.parametrize("actor,expected", cases(TRAVEL_DOCUMENT))
def test_issuing_an_emergency_travel_document(world, actor, expected):
    person = world.confirmed
    before = _documents_of(world, person)
    response = world.post(actor, f"/cases/{person.case.id}/travel-documents/issue", world.issue_form())
    assert_status(response, expected, f"{actor} issues an emergency travel document", hidden=person.family_name)
    assert _documents_of(world, person) == before + (1 if expected == 302 else 0)


# -- confirming the arrival ------------------------------------------------------------------------------

ARRIVAL_PAGE = {
    "consul_m": 200, "agency_after": 200, "agency_before": 403, "consul_r": 403, "consul_n": 403, "a1": 403,
    "coord_a": 403,
}

ARRIVAL = {
    "consul_m": 302, "agency_after": 302, "agency_before": 403, "consul_r": 403, "consul_n": 403, "a1": 403,
    "a2": 403, "coord_a": 403, "cw_b": 403, "coord_b": 403, "admin": 403,
}


@pytest.mark.parametrize("actor,expected", cases(ARRIVAL_PAGE))
def test_arrival_page(world, actor, expected):
    person = world.before if actor == "agency_before" else world.main
    response = world.get(actor, f"/cases/{person.case.id}/arrival")
    assert_status(response, expected, f"{actor} opens the arrival page", hidden=person.family_name)
    if expected == 200:
        page = body(response)
        assert person.family_name in page
        assert not [word for word in RESTRICTED_WORDS if word in page], "the receiving side reads narrative"


@pytest.mark.parametrize("actor,expected", cases(ARRIVAL))
def test_confirming_the_arrival(world, actor, expected):
    if expected == 302:  # a departed case of its own: the plan names G, and the person agreed to share with G
        person = world.departed_case("arrival-" + actor, agency_consent=True)
    elif actor == "agency_before":
        person = world.before
    else:
        person = world.main
    assert world.status_of(person) == "departed"
    response = world.post(actor, f"/cases/{person.case.id}/arrival",
                          {"arrived_on": TODAY.isoformat(), "note": "Met at the airport."})
    assert_status(response, expected, f"{actor} confirms the arrival", hidden=person.family_name)
    assert world.status_of(person) == ("arrived" if expected == 302 else "departed")


# -- a nominal roll of mission M, issued by coordinator A ---------------------------------------------

ROLL = {"coord_a": 200, "consul_m": 200, "consul_n": 403, "consul_r": 403, "cw_b": 403, "coord_b": 403,
        "admin": 403}


@pytest.mark.parametrize("actor,expected", cases(ROLL))
def test_nominal_roll(world, actor, expected):
    response = world.get(actor, world.roll_url)
    assert_status(response, expected, f"{actor} opens M's nominal roll", hidden=world.main.family_name)


# -- opening an attachment of the case -------------------------------------------------------------------

PHOTO = {
    "a1": 200, "coord_a": 200, "consul_m": 200, "a2": 403, "consul_n": 403, "consul_r": 403, "cw_b": 403,
    "coord_b": 403, "agency_after": 403, "admin": 403,
}
OTHER_SCAN = {"a1": 200, "coord_a": 200, "consul_m": 403, "consul_n": 403, "consul_r": 403, "cw_b": 403,
              "coord_b": 403}


@pytest.mark.parametrize("actor,expected", cases(PHOTO))
def test_opening_the_photo(world, actor, expected):
    response = world.get(actor, f"/cases/{world.main.case.id}/attachments/{world.photo}")
    assert_status(response, expected, f"{actor} opens the photo")
    if expected == 200:
        assert response.mimetype.startswith("image/") and response.data


@pytest.mark.parametrize("actor,expected", cases(OTHER_SCAN))
def test_opening_a_scan_of_kind_other(world, actor, expected):
    response = world.get(actor, f"/cases/{world.main.case.id}/attachments/{world.scan}")
    assert_status(response, expected, f"{actor} opens the scan of kind other")
    if expected == 200:
        assert response.data


# -- printing the case packet ----------------------------------------------------------------------------

# (actor, document asked for, status). A consul gets the consulate packet only, whatever it asks for.
PRINTING = [
    ("a1", "packet.pdf?recipient=full", 200),
    ("coord_a", "packet.pdf?recipient=full", 200),
    ("consul_m", "packet.pdf?recipient=consulate", 200),
    ("consul_m", "packet.pdf?recipient=full", 200),
    ("consul_m", "handover.pdf", 403),
    ("consul_m", "consent_form.pdf?purpose=processing", 403),
    ("consul_n", "packet.pdf?recipient=consulate", 403),
    ("consul_r", "packet.pdf?recipient=consulate", 403),
    ("cw_b", "packet.pdf?recipient=full", 403),
    ("coord_b", "packet.pdf?recipient=full", 403),
    ("a2", "packet.pdf?recipient=full", 403),
    ("admin", "packet.pdf?recipient=full", 403),
]


@pytest.mark.parametrize("actor,document,expected", [
    pytest.param(actor, document, status, id=f"{actor}-{document.split('?')[0]}"
                 + (f"-{document.split('=')[1]}" if "recipient" in document else "") + f"-{status}")
    for actor, document, status in PRINTING])
def test_printing(world, actor, document, expected):
    person = world.main
    separator = "&" if "?" in document else "?"
    response = world.get(actor, f"/cases/{person.case.id}/documents/{document}{separator}language=en")
    assert_status(response, expected, f"{actor} prints {document}", hidden=person.family_name)
    if expected != 200:
        return
    printed = pdf_text(response)
    assert person.family_name in printed
    if actor.startswith("consul"):
        assert not [word for word in RESTRICTED_WORDS if word in printed], "the consulate packet holds narrative"
    else:
        assert "Quixotic" in printed, "the full packet holds the recruitment story"


# -- exporting the case list -----------------------------------------------------------------------------

# actor: (status, people in the export, people not in it)
EXPORT = {
    "a1": (200, ["main"], ["theirs"]),
    "a2": (200, [], ["main", "theirs"]),
    "coord_a": (200, ["main"], ["theirs"]),
    "cw_b": (200, ["theirs"], ["main"]),
    "coord_b": (200, ["theirs"], ["main"]),
    "consul_m": (200, ["main"], ["theirs"]),
    "consul_n": (200, [], ["main", "theirs"]),
    "consul_r": (200, [], ["main", "theirs"]),
    "admin": (403, [], []),
}
NARRATIVE_OR_HEALTH_COLUMNS = ("recruit", "exploitation", "needs", "health", "medical", "pregnan", "disabilit",
                               "risk", "legal", "psycho", "shelter", "note")


@pytest.mark.parametrize("actor,expected", [
    pytest.param(actor, expected, id=f"{actor}-{expected[0]}") for actor, expected in EXPORT.items()])
def test_exporting_the_case_list(world, actor, expected):
    status, shown, hidden = expected
    response = world.reauthenticate(actor, world.get(actor, "/cases/export.csv"),
                                    retry=lambda: world.get(actor, "/cases/export.csv"))
    assert_status(response, status, f"{actor} exports the case list", hidden=world.main.family_name)
    if status != 200:
        return
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    exported = response.get_data(as_text=True)
    for name in shown:
        assert getattr(world, name).family_name in exported, f"{actor}'s export lacks {name}"
    for name in hidden:
        assert getattr(world, name).family_name not in exported, f"{actor}'s export holds {name}"
    if actor == "consul_m":
        header = [title.lower() for title in rows[0]]
        assert not [t for t in header if any(word in t for word in NARRATIVE_OR_HEALTH_COLUMNS)], header
        assert not [word for word in RESTRICTED_WORDS if word in exported]


# -- erasing a case ----------------------------------------------------------------------------------

ERASE = {"coord_a": 302, "a1": 403, "cw_b": 403, "coord_b": 403, "admin": 403}


@pytest.mark.parametrize("actor,expected", cases(ERASE))
def test_erasing_a_case(world, actor, expected):
    person = world.plain_case(actor if expected == 302 else "shared")
    url = f"/cases/{person.case.id}/erase"
    form = {"reason": "person_request", "number": person.case.number}
    response = world.reauthenticate(actor, world.post(actor, url, form), retry=lambda: world.post(actor, url, form))
    assert_status(response, expected, f"{actor} erases a case", hidden=person.family_name)
    assert world.exists(person) is (expected != 302)
    if expected == 302:
        assert world.get(actor, f"/cases/{person.case.id}").status_code == 404


def test_the_tables_were_written_for_every_actor(world):
    assert set(CASE_PAGE) == set(world.accounts)
