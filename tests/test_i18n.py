"""Language choice, direction, and complete catalogs."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rescue import paths
from tests.fixtures.factories import login, post_form

LOCALES = ["en", "ar", "fr", "es", "pt", "vi", "th", "km", "my", "lo", "id", "fil", "zh_Hans", "ko"]


def translation(locale: str, msgid: str) -> str:
    if locale == "en":
        return msgid
    path = Path(paths.TRANSLATIONS_DIR) / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle)[msgid].string


def test_every_supported_locale_is_offered(app):
    assert app.config["RESCUE_LOCALES"] == LOCALES


def test_arabic_reads_right_to_left(client):
    html = client.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_chosen_language_is_remembered_for_the_session(client):
    client.get("/login?lang=km")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="km" dir="ltr">' in html


def test_accept_language_is_used_when_nothing_was_chosen(client):
    html = client.get("/login", headers={"Accept-Language": "zh-Hans-CN,zh;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="zh-Hans"' in html
    html = client.get("/login", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="en"' in html  # not supported: the default


def test_saved_preference_wins_over_the_browser(client, factory):
    account = factory.user("caseworker", locale="th")
    login(client, account)
    html = client.get("/cases", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="th"' in html


def test_preferences_change_the_interface_language(client, factory):
    account = factory.user("caseworker")
    login(client, account)
    post_form(client, "/account", {"display_name": "Dara", "locale": "vi", "timezone": "Asia/Ho_Chi_Minh"})
    html = client.get("/cases").get_data(as_text=True)
    assert '<html lang="vi"' in html
    assert translation("vi", "Cases") in html


@pytest.mark.parametrize("locale", LOCALES)
def test_sign_in_page_in_every_locale(client, locale):
    response = client.get(f"/login?lang={locale}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert translation(locale, "Sign in") in html
    assert translation(locale, "Skip to the main content") in html


@pytest.mark.parametrize("locale", LOCALES)
def test_main_pages_render_in_every_locale(client, factory, locale):
    organisation = factory.organisation()
    worker = factory.user("coordinator", organisation=organisation)
    case = factory.case(organisation, status="consular_referral")
    login(client, worker)
    client.get(f"/cases?lang={locale}")
    for url in ("/cases", f"/cases/{case.id}", "/account", "/account/password", "/no-such-page"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.get_data(as_text=True)
        assert translation(locale, "Sign out") in html, url
    assert translation(locale, "Referred to consulate") in client.get("/cases").get_data(as_text=True)


def test_catalogs_are_complete_and_in_step_with_the_code(app):
    result = app.test_cli_runner().invoke(args=["translate", "check"])
    assert result.exit_code == 0, result.output


def test_form_errors_are_translated(client):
    response = post_form(client, "/login?lang=km", {"email": "", "password": ""}, token_from="/login?lang=km")
    html = response.get_data(as_text=True)
    assert translation("km", "Fill in this field.") in html
    assert "This field is required." not in html


def test_wtforms_own_messages_come_from_our_catalogs(client, factory):
    login(client, factory.user("admin"))
    client.get("/admin/users/new?lang=es")
    response = post_form(client, "/admin/users/new", {
        "email": "a@example.org", "display_name": "", "role": "superuser", "organisation_id": "",
        "mission_id": "", "locale": "", "timezone": "UTC"})
    html = response.get_data(as_text=True)
    assert translation("es", "Not a valid choice.") in html


def test_a_fuzzy_or_incomplete_catalog_fails_the_check(app, tmp_path, monkeypatch):
    import shutil

    from rescue.i18n import catalogs

    copy = tmp_path / "translations"
    shutil.copytree(paths.TRANSLATIONS_DIR, copy)
    po = copy / "fr" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8").replace('msgstr "Première page"', 'msgstr ""')
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "TRANSLATIONS_DIR", copy)
    report = catalogs.check(["fr"])
    assert "fr: untranslated: 'First page'" in report.problems
