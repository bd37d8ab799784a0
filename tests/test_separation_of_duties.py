"""Separation of duties: one administrator alone cannot reach case contents unseen. Their own rights are
changed by someone else; every change that opens a way to cases is told to the people who answer for them
and stands out in the audit trail; a deactivated organisation or mission signs its people out; receiving
agencies sign in with a second factor."""
import json
import re

import pyotp
import pytest
from sqlalchemy import select, update

from rescue.audit.models import AuditEntry
from rescue.auth import accounts
from rescue.auth.models import User
from rescue.extensions import db
from rescue.inbox.models import Notice
from rescue.organisations.models import Mission, Organisation
from tests.fixtures.factories import login, post_form

OWN_RIGHTS = "You cannot change your own role, organisation or mission. Another administrator can do it."
SIGN_IN_FAILED = "The email or the password is not right."


def _user_form(account, **changes):
    form = {"email": account.email, "display_name": "", "role": account.role,
            "organisation_id": account.organisation_id or "", "mission_id": account.mission_id or "",
            "locale": "", "timezone": "UTC"}
    form.update(changes)
    return form


def _notices(app, kind):
    with app.app_context():
        return sorted(db.session.scalars(select(Notice.recipient_id).where(Notice.kind == kind)))


def _entries(app, action):
    with app.app_context():
        return [(e.actor_id, e.object_id, json.loads(e.detail) if e.detail else {})
                for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def _role(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).role


# An administrator's own rights


def test_an_administrator_sees_their_own_rights_locked(client, factory):
    admin = factory.user("admin")
    login(client, admin)
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "This is your own account: another administrator changes its role, organisation or mission." in page
    assert re.search(r'<select[^>]*disabled[^>]*name="role"|<select[^>]*name="role"[^>]*disabled', page)
    assert "You cannot deactivate your own account." in page
    assert f"/admin/users/{admin.id}/deactivate" not in page


def test_an_administrator_cannot_make_themselves_coordinator_even_with_a_crafted_post(app, client, factory):
    organisation = factory.organisation("Safe Return")
    factory.case(organisation)
    admin = factory.user("admin")
    login(client, admin)
    response = post_form(client, f"/admin/users/{admin.id}",
                         _user_form(admin, role="coordinator", organisation_id=organisation.id))
    assert response.status_code == 200
    assert OWN_RIGHTS in response.get_data(as_text=True)
    assert _role(app, admin.id) == "admin"
    assert _entries(app, "user.updated") == [] and _entries(app, "user.role_granted") == []
    assert client.get("/cases").status_code == 403


def test_an_administrator_cannot_join_an_organisation_or_a_mission_by_a_crafted_post(app, client, factory):
    organisation, mission = factory.organisation(), factory.mission()
    admin = factory.user("admin")
    login(client, admin)
    for change in ({"organisation_id": organisation.id}, {"mission_id": mission.id}):
        response = post_form(client, f"/admin/users/{admin.id}", _user_form(admin, **change))
        assert OWN_RIGHTS in response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(User, admin.id)
        assert (stored.role, stored.organisation_id, stored.mission_id) == ("admin", None, None)


def test_an_administrator_still_edits_the_rest_of_their_own_account(app, client, factory):
    admin = factory.user("admin")
    login(client, admin)
    # A browser does not send the disabled fields.
    form = {k: v for k, v in _user_form(admin, display_name="Ana Admin").items()
            if k not in ("role", "organisation_id", "mission_id")}
    response = post_form(client, f"/admin/users/{admin.id}", form)
    assert response.status_code == 302
    assert "The account is saved." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(User, admin.id)
        assert stored.display_name == "Ana Admin" and stored.role == "admin"


def test_the_account_service_refuses_an_administrator_s_own_role_change(app, factory):
    organisation = factory.organisation()
    admin = factory.user("admin")
    with app.app_context():
        user = db.session.get(User, admin.id)
        with pytest.raises(accounts.AccountError) as refused:
            accounts.update_user(user, email=admin.email, role="coordinator", organisation_id=organisation.id,
                                 mission_id=None, display_name="", locale=None, timezone="UTC",
                                 actor_id=admin.id)
        assert str(refused.value) == OWN_RIGHTS
        db.session.rollback()
        with pytest.raises(accounts.AccountError, match="You cannot deactivate your own account."):
            accounts.set_active(user, False, actor_id=admin.id)
        db.session.rollback()
    assert _role(app, admin.id) == "admin"


def test_a_crafted_deactivation_of_oneself_is_refused(app, client, factory):
    admin = factory.user("admin")
    login(client, admin)
    response = post_form(client, f"/admin/users/{admin.id}/deactivate", {}, token_from=f"/admin/users/{admin.id}")
    assert "You cannot deactivate your own account." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin.id).active


# Changes that open a way to cases are told and marked


@pytest.fixture()
def ngo(factory):
    organisation = factory.organisation("Safe Return")
    other = factory.organisation("Elsewhere")
    return {
        "organisation": organisation,
        "other": other,
        "worker": factory.user("caseworker", organisation=organisation, email="worker@safe.example"),
        "coordinators": [factory.user("coordinator", organisation=organisation, email=f"coord{i}@safe.example")
                         for i in (1, 2)],
        "retired": factory.user("coordinator", organisation=organisation, active=False),
        "outsider": factory.user("coordinator", organisation=other, email="coord@elsewhere.example"),
        "admin": factory.user("admin", email="admin@rescue.example"),
    }


def test_resetting_a_caseworker_s_password_tells_them_and_their_coordinators(app, make_client, factory, ngo):
    case = factory.case(ngo["organisation"], assigned_to=ngo["worker"], family_name="CHANTHA")
    admin = make_client()
    login(admin, ngo["admin"])
    response = post_form(admin, f"/admin/users/{ngo['worker'].id}/reset-password", {},
                         token_from=f"/admin/users/{ngo['worker'].id}")
    assert "Password reset" in response.get_data(as_text=True)

    expected = sorted([ngo["worker"].id, *(c.id for c in ngo["coordinators"])])
    assert _notices(app, "account_password_reset") == expected  # not the retired one, not another NGO's
    [(actor, subject, detail)] = _entries(app, "user.password_reset")
    assert (actor, subject, detail) == (ngo["admin"].id, ngo["worker"].id, {"sensitive": True})

    coordinator = make_client()
    login(coordinator, ngo["coordinators"][0])
    inbox = coordinator.get("/inbox").get_data(as_text=True)
    assert ("The administrator admin@rescue.example reset the password of the account worker@safe.example."
            in inbox)
    assert case.number not in inbox and "CHANTHA" not in inbox

    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert "Sensitive changes on this page" in audit
    sensitive_row = re.search(r"<tr>(?:(?!</tr>).)*Password reset by an administrator(?:(?!</tr>).)*</tr>",
                              audit, re.S).group(0)
    assert "Sensitive" in sensitive_row and f"Account #{ngo['worker'].id}" in sensitive_row


def test_the_caseworker_reads_the_notice_after_choosing_a_new_password(make_client, ngo):
    admin = make_client()
    login(admin, ngo["admin"])
    shown = post_form(admin, f"/admin/users/{ngo['worker'].id}/reset-password", {},
                      token_from=f"/admin/users/{ngo['worker'].id}").get_data(as_text=True)
    password = re.search(r'<p class="secret-box" dir="ltr"><code>([^<]+)</code>', shown).group(1)
    worker = make_client()
    login(worker, ngo["worker"], password=password)
    post_form(worker, "/account/password", {"current_password": password,
                                            "new_password": "my own new passphrase 31",
                                            "confirm": "my own new passphrase 31"})
    inbox = worker.get("/inbox").get_data(as_text=True)
    assert "The administrator admin@rescue.example reset the password of the account worker@safe.example." in inbox


def test_resetting_two_factor_is_told_and_marked(app, make_client, ngo):
    admin = make_client()
    login(admin, ngo["admin"])
    target = ngo["coordinators"][0]
    post_form(admin, f"/admin/users/{target.id}/reset-two-factor", {}, token_from=f"/admin/users/{target.id}")
    assert _notices(app, "account_two_factor_reset") == sorted(c.id for c in ngo["coordinators"])
    [(actor, subject, detail)] = _entries(app, "user.two_factor_reset")
    assert (actor, subject, detail) == (ngo["admin"].id, target.id, {"sensitive": True})
    other = make_client()
    login(other, ngo["coordinators"][1])
    assert ("The administrator admin@rescue.example reset two-factor sign-in for the account coord1@safe.example."
            in other.get("/inbox").get_data(as_text=True))


def test_making_a_caseworker_coordinator_is_a_role_granted(app, make_client, ngo):
    admin = make_client()
    login(admin, ngo["admin"])
    worker = ngo["worker"]
    response = post_form(admin, f"/admin/users/{worker.id}", _user_form(worker, role="coordinator"))
    assert response.status_code == 302
    assert _role(app, worker.id) == "coordinator"
    [(actor, subject, detail)] = _entries(app, "user.role_granted")
    assert (actor, subject) == (ngo["admin"].id, worker.id)
    assert detail["sensitive"] is True and detail["role"] == "coordinator" and detail["previous_role"] == "caseworker"
    assert _notices(app, "account_role_granted") == sorted([worker.id, *(c.id for c in ngo["coordinators"])])
    coordinator = make_client()
    login(coordinator, ngo["coordinators"][1])
    assert ("The administrator admin@rescue.example gave the account worker@safe.example the role Coordinator "
            "(Safe Return)." in coordinator.get("/inbox").get_data(as_text=True))
    assert "Role that reads cases given to an account" in admin.get("/admin/audit").get_data(as_text=True)


def test_moving_a_caseworker_tells_both_organisations(app, make_client, ngo):
    admin = make_client()
    login(admin, ngo["admin"])
    worker = ngo["worker"]
    post_form(admin, f"/admin/users/{worker.id}", _user_form(worker, organisation_id=ngo["other"].id))
    [(_, subject, detail)] = _entries(app, "user.moved")
    assert subject == worker.id and detail["sensitive"] is True
    assert (detail["previous_organisation_id"], detail["organisation_id"]) == (ngo["organisation"].id, ngo["other"].id)
    assert _notices(app, "account_moved") == sorted(
        [worker.id, ngo["outsider"].id, *(c.id for c in ngo["coordinators"])])
    outsider = make_client()
    login(outsider, ngo["outsider"])
    assert ("The administrator admin@rescue.example moved the account worker@safe.example to Elsewhere."
            in outsider.get("/inbox").get_data(as_text=True))


def test_a_new_consular_officer_is_told_to_the_other_officers_of_the_mission(app, make_client, factory):
    mission = factory.mission("Embassy of the Philippines")
    colleague = factory.user("consular", mission=mission, email="consul@embassy.example")
    elsewhere = factory.user("consular")
    admin = make_client()
    login(admin, factory.user("admin", email="admin@rescue.example"))
    response = post_form(admin, "/admin/users/new", {
        "email": "new.consul@embassy.example", "display_name": "", "role": "consular", "organisation_id": "",
        "mission_id": mission.id, "locale": "", "timezone": "UTC"})
    assert response.status_code == 200
    with app.app_context():
        new_id = db.session.scalar(select(User.id).where(User.email == "new.consul@embassy.example"))
    assert _notices(app, "account_role_granted") == sorted([colleague.id, new_id])
    assert elsewhere.id not in _notices(app, "account_role_granted")
    [(_, subject, detail)] = _entries(app, "user.role_granted")
    assert subject == new_id and detail["role"] == "consular" and detail["mission_id"] == mission.id
    browser = make_client()
    login(browser, colleague)
    assert ("The administrator admin@rescue.example gave the account new.consul@embassy.example the role "
            "Consular officer (Embassy of the Philippines)." in browser.get("/inbox").get_data(as_text=True))


def test_changes_that_open_no_way_to_cases_are_not_flagged(app, make_client, ngo):
    admin = make_client()
    login(admin, ngo["admin"])
    worker = ngo["worker"]
    post_form(admin, f"/admin/users/{worker.id}", _user_form(worker, display_name="Sokha"))
    post_form(admin, "/admin/users/new", {"email": "second.admin@rescue.example", "display_name": "", "role": "admin",
                                          "organisation_id": "", "mission_id": "", "locale": "", "timezone": "UTC"})
    with app.app_context():
        assert db.session.scalars(select(Notice)).all() == []
    assert _entries(app, "user.role_granted") == [] and _entries(app, "user.moved") == []
    assert "Sensitive changes on this page" not in admin.get("/admin/audit").get_data(as_text=True)


# Deactivating an organisation or a mission


def _organisation_form(ref, active: bool):
    form = {"name": ref.name, "kind": "ngo", "country": "KHM"}
    return {**form, "active": "y"} if active else form


def test_deactivating_an_organisation_signs_its_caseworker_out_until_it_is_reactivated(app, make_client, factory):
    organisation = factory.organisation("Safe Return")
    worker = factory.user("caseworker", organisation=organisation)
    browser = make_client()
    login(browser, worker)
    assert browser.get("/cases").status_code == 200
    admin = make_client()
    login(admin, factory.user("admin"))

    done = post_form(admin, f"/admin/organisations/{organisation.id}", _organisation_form(organisation, False))
    assert done.status_code == 302
    assert "its members are signed out" in admin.get(done.headers["Location"]).get_data(as_text=True)
    following = browser.get("/cases")
    assert following.status_code == 302 and "/login" in following.headers["Location"]
    refused = login(make_client(), worker)
    assert refused.status_code == 200 and SIGN_IN_FAILED in refused.get_data(as_text=True)
    assert {"reason": "organisation_deactivated"} in [d for _, _, d in _entries(app, "login.failed")]
    audit = admin.get("/admin/audit?action=login.failed").get_data(as_text=True)
    assert "Refused because the organisation is deactivated." in audit

    post_form(admin, f"/admin/organisations/{organisation.id}", _organisation_form(organisation, True))
    again = make_client()
    response = login(again, worker)
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases")
    assert again.get("/cases").status_code == 200
    assert browser.get("/cases").status_code == 302  # the old session stays ended


def test_the_refusal_looks_like_a_wrong_password(make_client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    wrong = login(make_client(), worker, password="not the password 99").get_data(as_text=True)
    with factory.app.app_context():
        db.session.execute(update(Organisation).where(Organisation.id == organisation.id).values(active=False))
        db.session.commit()
    refused = login(make_client(), worker).get_data(as_text=True)
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*>', "", html)  # noqa: E731
    assert strip(refused) == strip(wrong)


def test_a_member_signed_in_when_the_organisation_is_deactivated_elsewhere_is_out_on_the_next_request(
        app, make_client, factory):
    organisation = factory.organisation()
    coordinator = factory.user("coordinator", organisation=organisation)
    browser = make_client()
    login(browser, coordinator)
    with app.app_context():  # not through the administration pages: no session was ended
        db.session.execute(update(Organisation).where(Organisation.id == organisation.id).values(active=False))
        db.session.commit()
    response = browser.get("/cases")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        db.session.execute(update(Organisation).where(Organisation.id == organisation.id).values(active=True))
        db.session.commit()
    assert browser.get("/cases").status_code == 302  # reactivating does not revive that session


def test_deactivating_a_mission_signs_its_officers_out(app, make_client, factory):
    mission = factory.mission("Embassy of Kenya")
    consul = factory.user("consular", mission=mission)
    browser = make_client()
    login(browser, consul)
    assert browser.get("/consular").status_code == 200
    admin = make_client()
    login(admin, factory.user("admin"))
    form = {"name": mission.name, "represents": "PHL", "host_country": "KHM", "city": "Phnom Penh"}
    assert post_form(admin, f"/admin/missions/{mission.id}", form).status_code == 302
    with app.app_context():
        assert not db.session.get(Mission, mission.id).active
    assert browser.get("/consular").status_code == 302
    assert SIGN_IN_FAILED in login(make_client(), consul).get_data(as_text=True)
    assert {"reason": "mission_deactivated"} in [d for _, _, d in _entries(app, "login.failed")]
    assert post_form(admin, f"/admin/missions/{mission.id}", {**form, "active": "y"}).status_code == 302
    assert login(make_client(), consul).status_code == 302


# Receiving agencies


def test_a_receiving_agency_caseworker_is_asked_to_enrol_a_second_factor(app, client, factory):
    agency = factory.organisation("Returnee Reception Desk", kind="receiving_agency")
    worker = factory.user("caseworker", organisation=agency)
    response = post_form(client, "/login", {"email": worker.email, "password": worker.password})
    assert response.headers["Location"].endswith("/login/enrol")
    assert client.get("/cases").status_code == 302  # not signed in yet
    page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', page).group(1)
    done = post_form(client, "/login/enrol", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "Your recovery codes" in done.get_data(as_text=True)
    assert client.get("/cases").status_code == 200
    refused = post_form(client, "/account/two-factor/off", {}, token_from="/account")
    assert "it cannot be turned off" in client.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, worker.id).totp_secret == secret


def test_an_ngo_caseworker_is_not_asked_for_a_second_factor(client, factory):
    worker = factory.user("caseworker", organisation=factory.organisation(kind="ngo"))
    response = post_form(client, "/login", {"email": worker.email, "password": worker.password})
    assert response.headers["Location"].endswith("/cases")
