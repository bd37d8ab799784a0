"""The audit trail as administrators and coordinators see it."""
from sqlalchemy import update

from rescue.audit.models import AuditEntry
from rescue.extensions import db
from tests.fixtures.factories import login, post_form


def test_admin_filters_the_audit_trail(make_client, factory):
    worker = factory.user("caseworker")
    make_client().post("/login")  # a refused (CSRF) request leaves no audit entry
    post_form(make_client(), "/login", {"email": worker.email, "password": "wrong password 123"})
    login(make_client(), worker)
    admin_browser = make_client()
    login(admin_browser, factory.user("admin"))
    rows = admin_browser.get("/admin/audit?action=login.failed").get_data(as_text=True).split("<tbody>")[1]
    assert "Sign-in failed" in rows and worker.email in rows
    assert "Sign-in succeeded" not in rows
    everything = admin_browser.get(f"/admin/audit?actor={worker.email}").get_data(as_text=True).split("<tbody>")[1]
    assert "Sign-in succeeded" in everything and "Sign-in failed" in everything


def test_only_administrators_read_the_audit_trail(make_client, factory):
    for role in ("caseworker", "coordinator", "consular"):
        browser = make_client()
        login(browser, factory.user(role))
        assert browser.get("/admin/audit").status_code == 403


def test_the_check_button_finds_a_changed_entry(app, make_client, factory):
    browser = make_client()
    login(browser, factory.user("admin"))
    intact = post_form(browser, "/admin/audit/verify", {}, token_from="/admin/audit", follow_redirects=True)
    assert "The audit trail is intact" in intact.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(AuditEntry).where(AuditEntry.id == 1).values(address="10.0.0.1"))
        db.session.commit()
    broken = post_form(browser, "/admin/audit/verify", {}, token_from="/admin/audit", follow_redirects=True)
    assert "The audit trail is broken at entry 1" in broken.get_data(as_text=True)


def test_coordinator_sees_who_has_opened_a_file_including_refusals(make_client, factory):
    organisation, mission, other_mission = factory.organisation(), factory.mission(), factory.mission()
    case = factory.case(organisation, referred_to=mission)
    consul = factory.user("consular", mission=mission, display_name="Consul Reyes")
    intruder = factory.user("consular", mission=other_mission, display_name="Consul Elsewhere")
    for account in (consul, intruder):
        browser = make_client()
        login(browser, account)
        browser.get(f"/cases/{case.id}")
    coordinator = make_client()
    login(coordinator, factory.user("coordinator", organisation=organisation))
    assert "Who has opened this file" in coordinator.get(f"/cases/{case.id}").get_data(as_text=True)
    page = coordinator.get(f"/cases/{case.id}/access").get_data(as_text=True)
    assert "Consul Reyes" in page and "Case file opened" in page
    assert "Consul Elsewhere" in page and "Access refused" in page


def test_the_access_log_of_a_case_stays_within_its_organisation(make_client, factory):
    case = factory.case(factory.organisation())
    for role, kwargs in (("coordinator", {}), ("caseworker", {}), ("admin", {})):
        browser = make_client()
        login(browser, factory.user(role, **kwargs))
        assert browser.get(f"/cases/{case.id}/access").status_code == 403
