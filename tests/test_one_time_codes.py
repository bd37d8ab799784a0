"""A one-time code is used once, whatever the concurrency: several browsers sign in at the same moment, over
HTTP to a served app with real threads, each with the account's password and the same code. Exactly one gets
in; the others are told the code is not right. On SQLite and on PostgreSQL (TEST_DATABASE_URL)."""
from __future__ import annotations

import pyotp
import pytest

from tests.fixtures.http import Browser, all_at_once
from tests.fixtures.http import served as serving

BROWSERS = 5  # fewer than the five failed attempts that lock the account's sign-in


@pytest.fixture
def served(app):
    with serving(app) as base:
        yield base


def _at_the_code_step(served, account) -> list[Browser]:
    browsers = [Browser(served) for _ in range(BROWSERS)]
    for browser in browsers:
        status, location, _ = browser.post("/login", {"email": account.email, "password": account.password})
        assert status == 302 and location.endswith("/login/code"), (status, location)
    return browsers


def _signed_in(answers) -> int:
    return sum(1 for status, location, _ in answers if status == 302 and not location.endswith("/login"))


def test_one_code_signs_in_one_browser_of_many_at_once(served, factory):
    account = factory.user("coordinator")
    browsers = _at_the_code_step(served, account)
    code = pyotp.TOTP(account.totp_secret).now()
    # Each browser has its form's token first, so that the posts themselves race.
    tokens = [b.token("/login/code") for b in browsers]
    answers = all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
        "/login/code", {"code": code, "csrf_token": pair[1]}))
    assert _signed_in(answers) == 1, [(status, location) for status, location, _ in answers]
    refused = [page for status, _, page in answers if status == 200]
    assert len(refused) == BROWSERS - 1
    assert all("That code is not right, or it has been used already." in page for page in refused)


def test_one_recovery_code_signs_in_one_browser_of_many_at_once(served, factory, app):
    from rescue.auth import recovery
    from rescue.auth.models import User
    from rescue.extensions import db

    account = factory.user("coordinator")
    with app.app_context():
        codes = recovery.generate(db.session.get(User, account.id))
        db.session.commit()
    browsers = _at_the_code_step(served, account)
    tokens = [b.token("/login/code") for b in browsers]
    answers = all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
        "/login/code", {"code": codes[0], "csrf_token": pair[1]}))
    assert _signed_in(answers) == 1, [(status, location) for status, location, _ in answers]
    with app.app_context():
        assert recovery.remaining(db.session.get(User, account.id)) == len(codes) - 1
