import re

import pyotp
import pytest

from rescue.auth import passwords
from rescue.auth.models import User
from rescue.extensions import db
from tests.fixtures.factories import login, logout, post_form


def test_caseworker_signs_in_and_lands_on_cases(client, factory):
    account = factory.user("caseworker")
    response = login(client, account)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cases")
    page = client.get("/cases")
    assert page.status_code == 200
    assert "Cases" in page.get_data(as_text=True)


def test_wrong_password_is_refused_and_keeps_the_email(client, factory):
    account = factory.user("caseworker")
    response = login(client, account, password="not the right one")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email or the password is not right." in html
    assert f'value="{account.email}"' in html
    assert client.get("/cases").status_code == 302  # still signed out


def test_unknown_email_gets_the_same_answer(client, factory):
    response = post_form(client, "/login", {"email": "nobody@example.org", "password": "whatever it is"})
    assert response.status_code == 200
    assert "The email or the password is not right." in response.get_data(as_text=True)


def test_deactivated_account_cannot_sign_in(client, factory):
    account = factory.user("caseworker", active=False)
    response = login(client, account)
    assert response.status_code == 200
    assert "The email or the password is not right." in response.get_data(as_text=True)


def test_pages_need_sign_in(client):
    response = client.get("/cases")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_next_takes_the_user_back_on_this_site_only(client, factory):
    account = factory.user("caseworker")
    response = login(client, account, next_url="/account")
    assert response.headers["Location"].endswith("/account")
    logout(client)
    response = login(client, account, next_url="https://evil.example.com/x")
    assert response.headers["Location"].endswith("/cases")
    logout(client)
    response = login(client, account, next_url="//evil.example.com/x")
    assert response.headers["Location"].endswith("/cases")


def test_hash_is_upgraded_when_parameters_change(app, client, factory):
    account = factory.user("caseworker")
    with app.app_context():
        before = db.session.get(User, account.id).password_hash
    app.config["RESCUE_ARGON2_TIME_COST"] = 2
    try:
        assert login(client, account).status_code == 302
        with app.app_context():
            after = db.session.get(User, account.id).password_hash
            ok, _ = passwords.verify_password(after, account.password)
    finally:
        app.config["RESCUE_ARGON2_TIME_COST"] = 1
    assert after != before
    assert after.startswith("$argon2id$") and ",t=2," in after
    assert ok


def test_coordinator_needs_a_code(client, factory):
    account = factory.user("coordinator")
    response = post_form(client, "/login", {"email": account.email, "password": account.password})
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/cases").status_code == 302  # not signed in before the code
    wrong = post_form(client, "/login/code", {"code": "000000"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    right = post_form(client, "/login/code", {"code": pyotp.TOTP(account.totp_secret).now()})
    assert right.status_code == 302 and right.headers["Location"].endswith("/cases")
    assert client.get("/cases").status_code == 200


def test_a_code_is_accepted_once(make_client, factory):
    account = factory.user("consular")
    code = pyotp.TOTP(account.totp_secret).now()
    first, second = make_client(), make_client()
    post_form(first, "/login", {"email": account.email, "password": account.password})
    assert post_form(first, "/login/code", {"code": code}).status_code == 302
    post_form(second, "/login", {"email": account.email, "password": account.password})
    replay = post_form(second, "/login/code", {"code": code})
    assert replay.status_code == 200
    assert "used already" in replay.get_data(as_text=True)


def test_role_that_needs_two_factor_enrols_at_first_sign_in(app, client, factory):
    account = factory.user("admin", two_factor=False)
    response = post_form(client, "/login", {"email": account.email, "password": account.password})
    assert response.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    assert "data:image/svg+xml" in page  # the QR code is drawn by the app
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', page).group(1)
    done = post_form(client, "/login/enrol", {"code": pyotp.TOTP(secret).now()})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "Your recovery codes" in html
    assert len(re.findall(r"<li><code>[a-z0-9]{5}-[a-z0-9]{5}</code></li>", html)) == 10
    assert 'href="/admin/users"' in html
    assert client.get("/admin/users").status_code == 200
    with app.app_context():
        assert db.session.get(User, account.id).totp_secret == secret


def test_temporary_password_must_be_changed_first(client, factory):
    account = factory.user("caseworker", must_change_password=True)
    response = login(client, account)
    assert response.headers["Location"].endswith("/account/password")
    assert client.get("/cases").headers["Location"].endswith("/account/password")
    changed = post_form(client, "/account/password", {
        "current_password": account.password, "new_password": "a brand new passphrase 7",
        "confirm": "a brand new passphrase 7"})
    assert changed.status_code == 302
    assert client.get("/cases").status_code == 200


@pytest.mark.parametrize("new, message", [
    ("short", "Use at least 12 characters."),
    ("password1234", "This password is too common."),
    ("caseworkerjones-secret", None),
])
def test_new_password_rules(client, factory, new, message):
    account = factory.user("caseworker", email="caseworkerjones@example.org")
    login(client, account)
    response = post_form(client, "/account/password", {
        "current_password": account.password, "new_password": new, "confirm": new})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (message or "Do not use your email address in your password.") in html
