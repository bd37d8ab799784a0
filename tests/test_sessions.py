from datetime import timedelta

from sqlalchemy import select, update

from rescue.auth.models import UserSession
from rescue.clock import utcnow
from rescue.extensions import db
from tests.fixtures.factories import login, logout, post_form


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_logout_ends_the_session_on_the_server(app, client, factory):
    account = factory.user("caseworker")
    login(client, account)
    stolen_cookie = client.get_cookie("rescue_session").value
    logout(client)
    assert not _signed_in(client)
    # Replaying the cookie captured before logout does not bring the session back.
    thief = app.test_client()
    thief.set_cookie("rescue_session", stolen_cookie)
    assert thief.get("/account").status_code == 302


def test_signing_out_ends_the_sessions_on_every_device(make_client, factory):
    account = factory.user("caseworker")
    phone, laptop = make_client(), make_client()
    login(phone, account)
    login(laptop, account)
    logout(phone)
    assert not _signed_in(phone)
    assert not _signed_in(laptop)


def test_password_change_ends_every_other_session(make_client, factory):
    account = factory.user("caseworker")
    laptop, phone = make_client(), make_client()
    login(laptop, account)
    login(phone, account)
    response = post_form(laptop, "/account/password", {
        "current_password": account.password, "new_password": "an entirely new passphrase 9",
        "confirm": "an entirely new passphrase 9"})
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)


def test_deactivation_ends_every_session(make_client, factory):
    account = factory.user("caseworker")
    admin = factory.user("admin")
    victim_browser, admin_browser = make_client(), make_client()
    login(victim_browser, account)
    login(admin_browser, admin)
    assert _signed_in(victim_browser)
    response = post_form(admin_browser, f"/admin/users/{account.id}/deactivate", {},
                         token_from=f"/admin/users/{account.id}")
    assert response.status_code == 302
    assert not _signed_in(victim_browser)
    assert login(make_client(), account).status_code == 200  # refused


def test_role_change_ends_sessions(make_client, factory):
    organisation = factory.organisation()
    account = factory.user("caseworker", organisation=organisation)
    admin = factory.user("admin")
    browser, admin_browser = make_client(), make_client()
    login(browser, account)
    login(admin_browser, admin)
    response = post_form(admin_browser, f"/admin/users/{account.id}", {
        "email": account.email, "display_name": "", "role": "coordinator", "organisation_id": organisation.id,
        "mission_id": "", "locale": "", "timezone": "UTC"})
    assert response.status_code == 302
    assert not _signed_in(browser)


def test_idle_session_expires(app, client, factory):
    account = factory.user("caseworker")
    login(client, account)
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
        db.session.commit()
    assert not _signed_in(client)
    with app.app_context():
        reasons = db.session.scalars(select(UserSession.end_reason)).all()
    assert reasons == ["idle"]


def test_session_has_an_absolute_lifetime(app, client, factory):
    account = factory.user("caseworker")
    login(client, account)
    with app.app_context():
        db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(hours=13)))
        db.session.commit()
    assert not _signed_in(client)


def test_user_can_sign_out_everywhere_else(make_client, factory):
    account = factory.user("caseworker")
    here, elsewhere = make_client(), make_client()
    login(here, account)
    login(elsewhere, account)
    page = here.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in page
    post_form(here, "/account/sessions/end-others", {}, token_from="/account")
    assert _signed_in(here)
    assert not _signed_in(elsewhere)


def test_new_session_at_sign_in(client, factory):
    account = factory.user("caseworker")
    client.get("/login")
    before = client.get_cookie("rescue_session").value
    login(client, account)
    assert client.get_cookie("rescue_session").value != before
