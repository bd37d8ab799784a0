"""End-to-end tests drive Debian's Chromium through Playwright against the real app served on loopback.
They run when Chromium is installed and are skipped otherwise, unless RESCUE_E2E=required (as in
.ci/run, which installs it), where a missing browser fails the run. Screenshots of key pages are kept
under tests/artifacts/screenshots/."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pyotp
import pytest
from werkzeug.serving import make_server

from rescue.auth.models import User
from rescue.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "axe.min.js"
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str | None:
    return next((path for path in CANDIDATES if os.path.exists(path)), None) or shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        if os.environ.get("RESCUE_E2E") == "required":
            pytest.fail("Chromium is required for the end-to-end tests (apt-get install chromium)")
        pytest.skip("browser journeys and accessibility not tested: Chromium is not installed (apt-get install chromium; .ci/run requires it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a loopback port in a thread, as a browser reaches it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def browser_context(chromium):
    contexts = []

    def make(**options):
        context = chromium.new_context(locale="en-GB", **options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, live: str, account, app) -> None:
    """Through the real pages: password, then the authenticator code when the account has one."""
    page.goto(f"{live}/login")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.locator("main form button[type=submit]").first.click()
    if "/login/code" in page.url:
        with app.app_context():
            db.session.get(User, account.id).totp_last_step = None
            db.session.commit()
        page.fill("#code", pyotp.TOTP(account.totp_secret).now())
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.url
