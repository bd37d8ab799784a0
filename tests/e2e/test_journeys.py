"""The three journeys of the people who use rescue, in a real browser, in English, Arabic (right to
left) and Khmer. Selectors name fields and addresses, never words, so the same steps run in every
language; what the pages say is checked through the language they are in."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from rescue.cases.models import Case, TimelineEvent
from rescue.consular.models import RepatriationPlan, TravelDocument
from rescue.extensions import db
from rescue.jobs.models import PrintJob
from rescue.operations.models import Operation
from tests.e2e.conftest import screenshot, sign_in

LOCALES = ["en", "ar", "km"]


def show_part(page, form_selector: str) -> None:
    """On the case page, open the tab of the part that holds the form, as a person does."""
    part = page.locator(f"[data-tab-panel]:has({form_selector})")
    if part.count() and not part.first.is_visible():
        page.locator(f"[role=tab][href='#{part.first.get_attribute('id')}']").click()


def submit(page, form_selector: str) -> None:
    show_part(page, form_selector)
    page.locator(f"{form_selector} button[type=submit]").last.click()
    page.wait_for_load_state()


def open_details(page, form_selector: str) -> None:
    show_part(page, form_selector)
    summary = page.locator(f"details:has({form_selector}) > summary")
    if summary.count() and not page.locator(form_selector).is_visible():
        summary.first.click()


def photo_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_caseworker_takes_an_intake_across_steps_and_refers_the_case(app, live_server, browser_context, factory,
                                                                       locale):
    ngo = factory.organisation(f"Hope {locale}", caseworkers_may_refer=True, country="KHM")
    mission = factory.mission(f"Philippine Embassy {locale}", represents="PHL", host_country="KHM")
    worker = factory.user("caseworker", organisation=ngo, locale=locale)
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, worker, app)
    assert page.locator("html").get_attribute("lang").startswith(locale)
    if locale == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto(f"{live_server}/intake")
    submit(page, "form[action$='/intake/new']")
    assert re.search(r"/intake/\d+/person$", page.url)
    page.fill("#family_name", "SANTOS")
    page.fill("#given_names", "Maria")
    page.fill("#native_name", "Maria Santos")
    page.select_option("#sex", "F")
    screenshot(page, f"{locale}-caseworker-intake-person")
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/birth$"))
    page.fill("#birth_year", "1995")
    page.select_option("#nationalities", ["PHL"])
    page.wait_for_timeout(2500)  # saved while typing, without pressing a button
    page.close()  # the caseworker closes the page midway…

    page = context.new_page()  # …and comes back later
    page.goto(f"{live_server}/intake")
    page.locator("main a[href*='/intake/'][href$='/birth']").first.click()
    assert page.input_value("#birth_year") == "1995"
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/found$"))
    page.select_option("#status", "in_care") if page.locator("#status option[value=in_care]").count() else None
    page.select_option("#found_country", "KHM")
    page.fill("#rescued_on", (date.today() - timedelta(days=10)).isoformat())
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/situation$"))
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/documents$"))
    page.select_option("#processing_consent", "given")
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/review$"))
    screenshot(page, f"{locale}-caseworker-intake-review")
    page.locator("main form:not(.inline) button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_id = int(page.url.rsplit("/", 1)[1])

    for purpose, mission_id in (("voluntary_return", ""), ("sharing", str(mission.id))):
        open_details(page, "form[action$='/consents']")
        page.select_option("#consent-purpose", purpose)
        page.select_option("#consent-decision", "given")
        if mission_id:
            page.select_option("#consent-mission_id", mission_id)
        submit(page, "form[action$='/consents']")
    with app.app_context():
        status = db.session.get(Case, case_id).status
    for target in (["in_care"] if status != "in_care" else []) + ["return_decided"]:
        show_part(page, "form[action$='/status']")
        page.select_option("#target", target)
        submit(page, "form[action$='/status']")
    open_details(page, "form[action$='/referrals']")
    page.select_option("#refer-mission_id", str(mission.id))
    page.fill("#refer-photo_reason", "No camera at the shelter today.")
    screenshot(page, f"{locale}-caseworker-refer")
    submit(page, "form[action$='/referrals']")
    page.wait_for_url(re.compile(r"/referrals/\d+$"))
    screenshot(page, f"{locale}-caseworker-referral")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == "consular_referral"
        assert case.family_name == "SANTOS" and case.birth_year == 1995
        assert [r.mission_id for r in case.referrals] == [mission.id]


def _referred_case(app, factory, locale):
    from rescue.attachments import store

    ngo = factory.organisation(f"Hope {locale}", country="KHM")
    mission = factory.mission(f"Philippine Embassy {locale}", represents="PHL", host_country="KHM")
    worker = factory.user("caseworker", organisation=ngo)
    case_ref = factory.case(ngo, assigned_to=worker, status="consular_referral", referred_to=mission,
                            family_name="REYES", given_names="Ana", native_name=None, nationality="PHL",
                            birth_year=1994, birth_month=3, sex="F")
    with app.app_context():
        case = db.session.get(Case, case_ref.id)
        store.add(case, data=photo_bytes(), filename="photo.jpg", kind="photo", actor_id=worker.id, address=None)
        db.session.commit()
    return ngo, mission, case_ref


@pytest.mark.parametrize("locale", LOCALES)
def test_a_consul_verifies_issues_the_travel_document_and_confirms_the_arrival(app, live_server, browser_context,
                                                                              factory, locale):
    ngo, mission, case_ref = _referred_case(app, factory, locale)
    consul = factory.user("consular", mission=mission, locale=locale)
    page = browser_context().new_page()
    sign_in(page, live_server, consul, app)  # with the code from the authenticator
    assert "/consular" in page.url
    screenshot(page, f"{locale}-consul-inbox")
    page.locator("main a[href^='/referrals/']").first.click()
    page.wait_for_url(re.compile(r"/referrals/\d+$"))
    page.select_option("#outcome", "confirmed")
    page.select_option("#evidence", "interview")
    submit(page, "form[action$='/decision']")
    with app.app_context():
        assert db.session.get(Case, case_ref.id).status == "nationality_confirmed"

    page.goto(f"{live_server}/cases/{case_ref.id}/documents")
    page.select_option("#layout", "td2")
    page.fill("#number", "PU7654321")
    page.fill("#issued_on", date.today().isoformat())
    page.fill("#expires_on", (date.today() + timedelta(days=30)).isoformat())
    page.fill("#route", "Phnom Penh - Manila")
    submit(page, "form[action$='/travel-documents/issue']")
    assert page.locator("pre.mrz").first.inner_text().startswith("PUPHLREYES<<ANA")
    screenshot(page, f"{locale}-consul-travel-document")
    with app.app_context():
        case = db.session.get(Case, case_ref.id)
        assert case.status == "travel_document_issued"
        document = db.session.scalar(select(TravelDocument))
        # The sending organisation plans the journey and sees the person off.
        case.plan = RepatriationPlan(fit_to_travel_on=date.today(), exit_clearance_on=date.today(),
                                     flights="PR 2016", departure_on=date.today())
        case.status = "departed"
        case.timeline.append(TimelineEvent(kind="status_change", from_status="ready_to_travel", to_status="departed"))
        db.session.commit()
        assert document.number == "PU7654321"

    page.goto(f"{live_server}/consular")
    page.locator(f"#travel a[href='/cases/{case_ref.id}/arrival']").click()
    page.wait_for_url(re.compile(r"/arrival$"))
    screenshot(page, f"{locale}-consul-arrival")
    submit(page, "main form")
    with app.app_context():
        case = db.session.get(Case, case_ref.id)
        assert case.status == "arrived" and len(case.follow_ups) == 3


@pytest.mark.parametrize("locale", LOCALES)
def test_a_coordinator_runs_mass_intake_then_prints_the_operations_packets(app, live_server, browser_context,
                                                                          factory, locale):
    ngo = factory.organisation(f"Hope {locale}", country="KHM")
    coordinator = factory.user("coordinator", organisation=ngo, locale=locale)
    with app.app_context():
        operation = Operation(organisation_id=ngo.id, name=f"Dawn {locale}", planned_on=date.today())
        db.session.add(operation)
        db.session.commit()
        operation_id = operation.id
    page = browser_context().new_page()
    sign_in(page, live_server, coordinator, app)
    page.goto(f"{live_server}/operations/{operation_id}/intake")
    people = [("T-1", "SOK", "Dara", "សុខ ដារ៉ា", "M", "24", "KHM"), ("T-2", "NGUYEN", "Lan", "Nguyễn Lan", "F", "19", "VNM"),
              ("T-3", "CRUZ", "Jose", "", "M", "31", "PHL")]
    for n, (tag, family, given, native, sex, age, nationality) in enumerate(people):
        for column, value in (("tag", tag), ("family_name", family), ("given_names", given), ("native_name", native),
                              ("sex", sex), ("age", age), ("nationality", nationality)):
            page.fill(f"input[name='{column}-{n}']", value)
    screenshot(page, f"{locale}-coordinator-mass-intake")
    page.locator("button[name=go][value=save]").click()
    page.wait_for_url(re.compile(r"/cases\?operation="))
    with app.app_context():
        assert db.session.query(Case).filter_by(operation_id=operation_id).count() == 3

    page.goto(f"{live_server}/operations/{operation_id}")
    page.select_option("#operation-print-recipient", "shelter")
    page.select_option("#operation-print-language", locale)
    submit(page, "form[action$='/print-jobs']")
    page.wait_for_url(re.compile(r"/print-jobs/\d+$"))
    page.reload()  # the progress survives a reload
    page.locator("[data-field=download_wrap]:not([hidden])").wait_for(timeout=90_000)
    bar = page.locator("progress")
    assert bar.get_attribute("value") == bar.get_attribute("max") == "3"
    screenshot(page, f"{locale}-coordinator-print-done")
    with app.app_context():
        job = db.session.scalar(select(PrintJob))
        assert job.status == "done" and job.language == locale
    with page.expect_download() as download:
        page.locator("[data-field=download]").click()
    assert download.value.suggested_filename.endswith(".pdf")
