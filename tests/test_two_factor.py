"""Recovery codes, two-factor sign-in offered to everyone, and confirming who you are again."""
import re
from datetime import timedelta

import pyotp
from sqlalchemy import update

from rescue.auth.models import User, UserSession
from rescue.clock import utcnow
from rescue.extensions import db
from tests.fixtures.factories import login, post_form


def _enrol(client) -> list[str]:
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', page).group(1)
    done = post_form(client, "/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.get_data(as_text=True))


def _make_stale(app, user_id):
    with app.app_context():
        old = utcnow() - timedelta(minutes=20)
        db.session.execute(update(UserSession).where(UserSession.user_id == user_id)
                           .values(created_at=old, reauthenticated_at=None, last_seen_at=utcnow()))
        db.session.commit()


def test_a_caseworker_can_turn_on_two_factor_and_gets_recovery_codes(app, make_client, factory):
    account = factory.user("caseworker")
    browser = make_client()
    login(browser, account)
    codes = _enrol(browser)
    assert len(codes) == len(set(codes)) == 10
    assert "Two-factor sign-in is on. 10 recovery codes are left." in browser.get("/account").get_data(as_text=True)
    # From now on, signing in asks for the second step.
    other = make_client()
    response = post_form(other, "/login", {"email": account.email, "password": account.password})
    assert response.headers["Location"].endswith("/login/code")


def test_a_recovery_code_signs_in_once(app, make_client, factory):
    account = factory.user("caseworker")
    browser = make_client()
    login(browser, account)
    codes = _enrol(browser)
    phone_lost = make_client()
    post_form(phone_lost, "/login", {"email": account.email, "password": account.password})
    used = post_form(phone_lost, "/login/code", {"code": codes[0].upper()})
    assert used.status_code == 302
    assert "9 codes are left" in phone_lost.get("/cases").get_data(as_text=True)
    again = make_client()
    post_form(again, "/login", {"email": account.email, "password": account.password})
    refused = post_form(again, "/login/code", {"code": codes[0]})
    assert refused.status_code == 200 and "That code is not right" in refused.get_data(as_text=True)


def test_recovery_codes_of_another_user_do_not_work(make_client, factory):
    alice, bob = factory.user("caseworker"), factory.user("coordinator")
    browser = make_client()
    login(browser, alice)
    codes = _enrol(browser)
    attacker = make_client()
    post_form(attacker, "/login", {"email": bob.email, "password": bob.password})
    response = post_form(attacker, "/login/code", {"code": codes[1]})
    assert response.status_code == 200


def test_coordinators_cannot_turn_two_factor_off(client, factory):
    account = factory.user("coordinator")
    login(client, account)
    assert "Turn off two-factor sign-in" not in client.get("/account").get_data(as_text=True)
    response = post_form(client, "/account/two-factor/off", {}, token_from="/account")
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your role needs two-factor sign-in: it cannot be turned off." in follow


def test_a_caseworker_can_turn_it_off_again(app, client, factory):
    account = factory.user("caseworker")
    login(client, account)
    _enrol(client)
    post_form(client, "/account/two-factor/off", {}, token_from="/account")
    with app.app_context():
        assert db.session.get(User, account.id).totp_secret is None


def test_changing_rights_needs_a_recent_sign_in(app, client, factory):
    organisation = factory.organisation()
    target = factory.user("caseworker", organisation=organisation)
    admin = factory.user("admin")
    login(client, admin)
    _make_stale(app, admin.id)
    form = {"email": target.email, "display_name": "", "role": "coordinator", "organisation_id": organisation.id,
            "mission_id": "", "locale": "", "timezone": "UTC"}
    response = post_form(client, f"/admin/users/{target.id}", form)
    assert response.status_code == 302
    assert "/reauthenticate?next=/admin/users/" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(User, target.id).role == "caseworker"  # nothing changed
    # Wrong password: refused.
    reauth_url = response.headers["Location"]
    wrong = post_form(client, reauth_url, {"password": "not it", "code": pyotp.TOTP(admin.totp_secret).now()})
    assert "That did not match" in wrong.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(User).where(User.id == admin.id).values(totp_last_step=None))
        db.session.commit()
    confirmed = post_form(client, reauth_url, {"password": admin.password,
                                               "code": pyotp.TOTP(admin.totp_secret).now()})
    assert confirmed.headers["Location"].endswith(f"/admin/users/{target.id}")
    assert post_form(client, f"/admin/users/{target.id}", form).status_code == 302
    with app.app_context():
        assert db.session.get(User, target.id).role == "coordinator"


def test_deactivation_needs_a_recent_sign_in(app, client, factory):
    target = factory.user("caseworker")
    admin = factory.user("admin")
    login(client, admin)
    _make_stale(app, admin.id)
    response = post_form(client, f"/admin/users/{target.id}/deactivate", {}, token_from=f"/admin/users/{target.id}")
    assert "/reauthenticate" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(User, target.id).active


def test_recovery_codes_are_kept_as_hashes_only(app, make_client, factory):
    from sqlalchemy import text

    account = factory.user("caseworker")
    browser = make_client()
    login(browser, account)
    codes = _enrol(browser)
    with app.app_context():
        stored = db.session.execute(text("SELECT code_hash FROM recovery_code WHERE user_id = :id"),
                                    {"id": account.id}).scalars().all()
    assert len(stored) == 10
    for value in stored:
        assert re.fullmatch(r"[0-9a-f]{64}", value)
        for code in codes:
            assert code not in value and code.replace("-", "") not in value
