"""Accessibility and safety in a real browser: axe-core on the main pages (no serious or critical
violation), forms by keyboard alone with a visible focus, pages that fit a phone, and stored hostile
values that never run."""
from __future__ import annotations

import os
from datetime import date

import pytest

from rescue.cases.models import Case, TimelineEvent
from rescue.extensions import db
from rescue.operations.models import Operation
from tests.e2e.conftest import AXE, screenshot, sign_in

HOSTILE = ['<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">',
           "<svg onload=window.__pwned=1>", "javascript:window.__pwned=1", "\u202eevil\u202c"]


def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("RESCUE_E2E") == "required":
            pytest.fail(f"axe-core is missing at {AXE}: `make test` fetches it from the npm registry")
        pytest.skip("axe-core not fetched")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page) -> list[str]:
    page.evaluate(axe_source())
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))")


@pytest.fixture()
def world(app, factory):
    ngo = factory.organisation("Hope", country="KHM")
    mission = factory.mission("Philippine Embassy", represents="PHL", host_country="KHM")
    coordinator = factory.user("coordinator", organisation=ngo)
    consul = factory.user("consular", mission=mission)
    worker = factory.user("caseworker", organisation=ngo)
    case = factory.case(ngo, assigned_to=worker, status="consular_referral", referred_to=mission,
                        nationality="PHL")
    with app.app_context():
        operation = Operation(organisation_id=ngo.id, name="Dawn", planned_on=date.today())
        db.session.add(operation)
        db.session.commit()
        operation_id = operation.id
        from rescue.consular.models import Referral
        referral_id = db.session.query(Referral.id).filter_by(case_id=case.id).scalar()
    return {"coordinator": coordinator, "consul": consul, "worker": worker, "case": case,
            "operation": operation_id, "referral": referral_id}


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_main_pages_have_no_serious_accessibility_violation(app, live_server, browser_context, world, locale):
    context = browser_context(bypass_csp=True)  # lets the test inject axe-core; the app's CSP is unchanged
    page = context.new_page()
    page.goto(f"{live_server}/login?lang={locale}")
    found = {"login": serious_violations(page)}
    sign_in(page, live_server, world["coordinator"], app)
    case, operation = world["case"], world["operation"]
    for path in ("/cases", f"/cases/{case.id}", "/intake", f"/operations/{operation}", f"/operations/{operation}/intake",
                 "/dashboard", "/referrals", f"/referrals/{world['referral']}", "/inbox", "/missions",
                 f"/cases/{case.id}/documents", "/rolls", "/print-jobs", "/account"):
        page.goto(f"{live_server}{path}")
        found[path] = serious_violations(page)
    consul = browser_context(bypass_csp=True).new_page()
    consul.goto(f"{live_server}/login?lang={locale}")
    sign_in(consul, live_server, world["consul"], app)
    for path in ("/consular", f"/referrals/{world['referral']}"):
        consul.goto(f"{live_server}{path}")
        found[f"consul {path}"] = serious_violations(consul)
    problems = {path: problems for path, problems in found.items() if problems}
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_forms_work_with_the_keyboard_alone_and_focus_is_visible(app, live_server, browser_context, world):
    page = browser_context().new_page()
    page.goto(f"{live_server}/login")
    for _ in range(12):  # the sign-in page starts in the email field; Tab reaches it from anywhere else
        if page.evaluate("document.activeElement.id") == "email":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none", "the focused field shows no focus"
    page.keyboard.type(world["worker"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(world["worker"].password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{live_server}/intake")
    page.keyboard.press("Tab")  # on every page the skip link comes first, and shows when focused
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    page.locator("form[action$='/intake/new'] button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/person"))
    page.focus("#family_name")
    page.keyboard.type("KEYBOARD")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "next":
            break
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/birth"))


@pytest.mark.parametrize("locale", ["en", "ar", "km"])
def test_pages_fit_a_phone_screen(app, live_server, browser_context, world, locale):
    page = browser_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{live_server}/login?lang={locale}")
    sign_in(page, live_server, world["worker"], app)
    page.goto(f"{live_server}/intake")
    page.locator("form[action$='/intake/new'] button").click()
    page.wait_for_url(lambda url: url.endswith("/person"))
    wide = {}
    for path in (page.url.replace(live_server, ""), "/cases", f"/cases/{world['case'].id}", "/inbox"):
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide[path] = overflow
    screenshot(page, f"{locale}-phone-inbox")
    page.goto(f"{live_server}/cases/{world['case'].id}")
    screenshot(page, f"{locale}-phone-case")
    assert wide == {}


def test_stored_hostile_values_never_run_in_the_browser(app, live_server, browser_context, world, factory):
    with app.app_context():
        case = db.session.get(Case, world["case"].id)
        case.family_name, case.given_names, case.native_name = HOSTILE[0], HOSTILE[1], HOSTILE[2]
        case.needs, case.place_of_birth = HOSTILE[3], HOSTILE[4]
        case.timeline.append(TimelineEvent(kind="note", actor_id=world["worker"].id, text=" ".join(HOSTILE)))
        db.session.commit()
    dialogs = []
    for who, paths in (("coordinator", ["/cases", f"/cases/{world['case'].id}", "/cases?q=script",
                                        f"/referrals/{world['referral']}", "/referrals", "/dashboard",
                                        f"/cases/{world['case'].id}/documents"]),
                       ("consul", ["/consular", f"/cases/{world['case'].id}", f"/referrals/{world['referral']}"])):
        page = browser_context().new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sign_in(page, live_server, world[who], app)
        for path in paths:
            page.goto(f"{live_server}{path}")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
    assert dialogs == []
