"""Intake step by step: drafts that survive a closed browser, clear errors that keep what was typed,
and likely duplicates across scripts before a case is opened."""
from sqlalchemy import func, select

from rescue.cases.models import Case
from rescue.extensions import db
from rescue.intake.models import IntakeDraft
from tests.fixtures.factories import csrf_token, login, post_form


def _start(client):
    response = post_form(client, "/intake/new", {}, token_from="/intake")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 2)[1]


def _step(client, draft, step, data, go="next"):
    return post_form(client, f"/intake/{draft}/{step}", {**data, "go": go}, token_from=f"/intake/{draft}/{step}")


def test_a_caseworker_opens_a_case_across_steps_resuming_after_closing_the_page(app, make_client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    phone = make_client()
    login(phone, worker)
    draft = _start(phone)
    assert _step(phone, draft, "person", {"family_name": "CHAN", "given_names": "Sophea",
                                          "native_name": "ចាន់ សុភា", "aliases": "Srey\nPhea", "sex": "F"}).status_code == 302
    # Typed on the next step, then the page is closed: the autosave kept it.
    saved = phone.post(f"/intake/{draft}/birth", data={"csrf_token": csrf_token(phone, f"/intake/{draft}/birth"),
                                                       "birth_year": "1999", "birth_month": "4", "nationalities": "KHM",
                                                       "languages": ["km", "th"]}, headers={"X-Autosave": "1"})
    assert saved.status_code == 204
    laptop = make_client()
    login(laptop, worker)
    listing = laptop.get("/intake").get_data(as_text=True)
    assert "CHAN" in listing and f"/intake/{draft}/birth" in listing
    page = laptop.get(f"/intake/{draft}/birth").get_data(as_text=True)
    assert 'value="1999"' in page and '<option selected value="KHM">' in page
    assert _step(laptop, draft, "birth", {"birth_year": "1999", "birth_month": "4", "nationalities": "KHM",
                                          "languages": ["km", "th"], "interpreter_needed": "y"}).status_code == 302
    assert _step(laptop, draft, "found", {"status": "rescued", "found_country": "MMR", "found_city": "Myawaddy",
                                          "rescued_on": "2026-10-02", "phone": ""}).status_code == 302
    assert _step(laptop, draft, "situation", {"next_of_kin": "Mother in Kampot", "recruitment_channel": "social_media",
                                              "exploitation": "forced_criminality_scam", "medical_needs": "y",
                                              "needs": "Medicine"}).status_code == 302
    assert _step(laptop, draft, "documents", {"document_kind": "passport", "document_status": "confiscated",
                                              "document_number": "n0012345", "document_country": "KHM",
                                              "processing_consent": "given"}).status_code == 302
    review = laptop.get(f"/intake/{draft}/review").get_data(as_text=True)
    assert "This person may already have a case" not in review
    opened = post_form(laptop, f"/intake/{draft}/review", {})
    assert opened.status_code == 302
    case_page = laptop.get(opened.headers["Location"]).get_data(as_text=True)
    assert "is opened" in case_page and "ចាន់ សុភា" in case_page and "April 1999" in case_page
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.assigned_to_id == worker.id and case.status == "rescued" and case.interpreter_needed
        assert [a.name for a in case.aliases] == ["Srey", "Phea"]
        assert [lang.language for lang in case.languages] == ["km", "th"]
        assert case.exploitation == "forced_criminality_scam" and case.medical_needs and case.next_of_kin
        assert [(d.kind, d.status, d.number) for d in case.identity_documents] == [("passport", "confiscated", "N0012345")]
        assert [(c.purpose, c.decision) for c in case.consents] == [("processing", "given")]
        assert db.session.scalar(select(func.count(IntakeDraft.id))) == 0


def test_bad_answers_get_a_message_beside_the_field_and_keep_what_was_typed(client, factory):
    worker = factory.user("caseworker")
    login(client, worker)
    draft = _start(client)
    empty = _step(client, draft, "person", {"family_name": "", "given_names": "", "native_name": "", "sex": "U"})
    assert empty.status_code == 200 and "Write at least one name, in any script." in empty.get_data(as_text=True)
    _step(client, draft, "person", {"family_name": "DIOP", "sex": "F"})
    wrong = _step(client, draft, "birth", {"birth_year": "2001", "birth_month": "2", "birth_day": "30"})
    html = wrong.get_data(as_text=True)
    assert "This date does not exist." in html and 'value="30"' in html
    future = _step(client, draft, "birth", {"birth_year": "1800"})
    assert "Write a year between 1900 and this year." in future.get_data(as_text=True)
    no_month = _step(client, draft, "birth", {"birth_day": "3"})
    assert "A day needs its month." in no_month.get_data(as_text=True)


def test_likely_duplicates_across_scripts_and_linking_keeps_the_existing_case(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    existing = factory.case(organisation, family_name=None, given_names=None, native_name="សុខ ដារ៉ា",
                            nationality="KHM", sex="M", birth_year=1994)
    factory.case(factory.organisation(), family_name="SOKH", given_names="Dara", nationality="KHM", birth_year=1994)
    login(client, worker)
    draft = _start(client)
    _step(client, draft, "person", {"family_name": "SOKH", "given_names": "Dara", "sex": "M"})
    _step(client, draft, "birth", {"birth_year": "1994", "nationalities": "KHM"})
    _step(client, draft, "found", {"status": "rescued"})
    review = client.get(f"/intake/{draft}/review").get_data(as_text=True)
    assert "This person may already have a case" in review
    assert existing.number in review
    assert review.count("Same person: add to this case") == 1  # the other organisation's case stays hidden
    linked = post_form(client, f"/intake/{draft}/review", {"same_as": existing.id})
    assert linked.headers["Location"].endswith(f"/cases/{existing.id}")
    with app.app_context():
        case = db.session.get(Case, existing.id)
        assert case.native_name == "សុខ ដារ៉ា"  # nothing overwritten
        assert "Dara SOKH" in [a.name for a in case.aliases]
        assert db.session.scalar(select(func.count(Case.id))) == 2


def test_someone_elses_draft_is_refused(make_client, factory):
    organisation = factory.organisation()
    author, colleague = factory.user("caseworker", organisation=organisation), factory.user("caseworker", organisation=organisation)
    coordinator, outsider = factory.user("coordinator", organisation=organisation), factory.user("coordinator")
    browser = make_client()
    login(browser, author)
    draft = _start(browser)
    for account, status in ((colleague, 403), (outsider, 403), (coordinator, 200)):
        other = make_client()
        login(other, account)
        assert other.get(f"/intake/{draft}/person").status_code == status


def test_consuls_and_administrators_do_not_take_intakes(make_client, factory):
    for role in ("consular", "admin"):
        browser = make_client()
        login(browser, factory.user(role))
        assert browser.get("/intake").status_code == 403


def test_an_intake_sent_three_times_at_once_opens_one_case(app, make_client, factory):
    """A double tap on a slow phone, or two tabs: the same review submitted in parallel to a served app."""
    from tests.fixtures.http import Browser, all_at_once, served

    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    client = make_client()
    login(client, worker)
    draft = _start(client)
    _step(client, draft, "person", {"family_name": "PARALLEL", "given_names": "Mai", "sex": "F"})
    _step(client, draft, "birth", {"birth_year": "1999", "nationalities": "KHM"})
    _step(client, draft, "found", {"status": "rescued", "found_country": "MMR", "rescued_on": "2026-10-02"})
    _step(client, draft, "situation", {})
    _step(client, draft, "documents", {"processing_consent": "given"})
    assert client.get(f"/intake/{draft}/review").status_code == 200
    with served(app) as base:
        browsers = [Browser(base) for _ in range(3)]
        tokens = []
        for browser in browsers:
            browser.post("/login", {"email": worker.email, "password": worker.password})
            tokens.append(browser.token(f"/intake/{draft}/review"))
        answers = all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
            f"/intake/{draft}/review", {"csrf_token": pair[1]}))
    assert all(status in (302, 404) for status, _, _ in answers), [status for status, _, _ in answers]
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id)).where(Case.family_name == "PARALLEL")) == 1
