"""A one-time code is used once, whatever the concurrency: several browsers sign in at the same moment, over
HTTP to a served app with real threads, each with the account's password and the same code. Exactly one gets
in; the others are told the code is not right. On SQLite and on PostgreSQL (TEST_DATABASE_URL)."""
from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pyotp
import pytest
from werkzeug.serving import make_server

BROWSERS = 5  # fewer than the five failed attempts that lock the account's sign-in


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _Stay())

    def request(self, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get("Location", ""), answer.read().decode()

    def post(self, path: str, fields: dict) -> tuple[int, str, str]:
        _, _, page = self.request(path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return self.request(path, {**fields, "csrf_token": token})


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def _all_at_once(browsers, send) -> list[tuple[int, str, str]]:
    start = threading.Barrier(len(browsers))
    answers: list = [None] * len(browsers)

    def run(index: int) -> None:
        start.wait()
        answers[index] = send(browsers[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


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
    tokens = [re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', b.request("/login/code")[2]).group(1)
              for b in browsers]
    answers = _all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
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
    tokens = [re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', b.request("/login/code")[2]).group(1)
              for b in browsers]
    answers = _all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
        "/login/code", {"code": codes[0], "csrf_token": pair[1]}))
    assert _signed_in(answers) == 1, [(status, location) for status, location, _ in answers]
    with app.app_context():
        assert recovery.remaining(db.session.get(User, account.id)) == len(codes) - 1
