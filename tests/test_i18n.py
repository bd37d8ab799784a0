"""Language choice, direction, and complete catalogs."""
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rescue import paths
from tests.fixtures.factories import choose_language, login, post_form

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


def test_a_signed_in_users_language_changes_only_through_the_language_form(client, factory, app):
    from rescue.auth.models import User
    from rescue.extensions import db

    account = factory.user("caseworker", locale="en")
    login(client, account)
    # A link from anywhere shows that page in Thai and nothing more.
    assert '<html lang="th"' in client.get("/cases?lang=th").get_data(as_text=True)
    assert '<html lang="en"' in client.get("/cases").get_data(as_text=True)
    # A cross-site form without the page's token changes nothing.
    assert client.post("/language", data={"lang": "th", "next": "/cases"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, account.id).locale == "en"
    # The header's form saves it, and brings the person back to the page they were on, without ?lang.
    answer = choose_language(client, "km", on="/cases?status=in_care&lang=fr")
    assert answer.headers["Location"].endswith("/cases?status=in_care")
    assert '<html lang="km"' in client.get("/cases").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, account.id).locale == "km"


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
    choose_language(client, locale)
    for url in ("/cases", f"/cases/{case.id}", "/account", "/account/password", "/no-such-page"):
        response = client.get(url)
        assert response.status_code in (200, 404, 409), url
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
    choose_language(client, "es", on="/admin/users/new")
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


class _TextNodes(__import__("html.parser").parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "alt", "title", "placeholder") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _english_left_untranslated(html: str, locale: str) -> list[str]:
    """Text on the page that is an English message of ours, not translated into `locale` (a
    translation identical to the English, such as a loanword, does not count)."""
    with (Path(paths.TRANSLATIONS_DIR) / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    with (Path(paths.TRANSLATIONS_DIR) / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    same = {m.id for m in catalog if isinstance(m.id, str) and m.string == m.id}
    english = {m.id for m in template if isinstance(m.id, str) and m.id and "%(" not in m.id} - same
    parser = _TextNodes()
    parser.feed(html)
    return sorted({text for text in parser.texts if text in english})


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_no_english_is_left_on_any_page(make_client, factory, locale):
    organisation = factory.organisation()
    mission = factory.mission()
    coordinator = factory.user("coordinator", organisation=organisation, locale=locale)
    admin = factory.user("admin", locale=locale)
    case = factory.case(organisation, referred_to=mission, status="consular_referral")
    anonymous = make_client()
    pages = {"/login": anonymous.get(f"/login?lang={locale}")}
    staff = make_client()
    login(staff, coordinator)
    for url in ("/cases", f"/cases/{case.id}", "/cases?q=zzz", "/account", "/account/password", "/nowhere",
                "/account/two-factor", "/reauthenticate", f"/cases/{case.id}/access", f"/cases/{case.id}/erase",
                f"/cases/{case.id}/edit", f"/cases/{case.id}/situation", f"/cases/{case.id}/merge", "/intake", "/reports", "/reports/new", "/sites", "/sites/new",
                "/operations", "/operations/new"):
        pages[url] = staff.get(url)
    draft = post_form(staff, "/intake/new", {}, token_from="/intake").headers["Location"]
    for step in ("person", "birth", "found", "situation", "documents"):
        pages[f"intake {step}"] = staff.get(draft.replace("/person", f"/{step}"))
    operation = post_form(staff, "/operations/new", {"name": "Dawn"}).headers["Location"]
    for suffix in ("", "/intake", "/import"):
        pages[f"operation{suffix}"] = staff.get(operation + suffix)
    pages["/account/password (errors)"] = post_form(staff, "/account/password", {
        "current_password": "", "new_password": "x", "confirm": "y"})
    deciding = factory.case(organisation, status="return_decided", family_name="RETURN")
    pages["case to refer"] = staff.get(f"/cases/{deciding.id}")
    pages["refused referral"] = post_form(staff, f"/cases/{deciding.id}/referrals", {"mission_id": mission.id},
                                          token_from=f"/cases/{deciding.id}")
    roll = post_form(staff, "/rolls", {"mission_id": mission.id}).headers["Location"]
    referral = staff.get("/referrals").get_data(as_text=True).split('href="/referrals/')[1].split('"')[0]
    for url in ("/missions", "/referrals", "/referrals?show=all", f"/referrals/{referral}", "/follow-ups", "/rolls", "/dashboard",
                roll, "/inbox"):
        pages[url] = staff.get(url)
    pages["documents"] = staff.get(f"/cases/{case.id}/documents")
    job = post_form(staff, "/print-jobs", {"case": [str(case.id)], "kind": "packet", "recipient": "full",
                                           "mission": "", "language": locale, "output": "pdf"},
                    token_from="/cases").headers["Location"]
    pages["/print-jobs"] = staff.get("/print-jobs")
    pages["print job"] = staff.get(job)
    for _ in range(300):  # let the background job finish before the test's data is cleared
        if staff.get(job + ".json").get_json()["finished"]:
            break
        time.sleep(0.1)
    pages["/verify (unknown)"] = anonymous.get("/verify/unknown")
    consul = make_client()
    login(consul, factory.user("consular", mission=mission, locale=locale))
    pages["consul documents"] = consul.get(f"/cases/{case.id}/documents")
    for url in ("/consular", f"/referrals/{referral}", "/rolls", "/inbox"):
        pages[f"consul {url}"] = consul.get(url)
    administrator = make_client()
    login(administrator, admin)
    for url in ("/admin/users", "/admin/users/new", f"/admin/users/{coordinator.id}", "/admin/organisations",
                "/admin/organisations/new", "/admin/missions", f"/admin/missions/{mission.id}", "/admin/audit"):
        pages[url] = administrator.get(url)
    for url, response in pages.items():
        assert response.status_code in (200, 404, 409), url
        left = _english_left_untranslated(response.get_data(as_text=True), locale)
        assert not left, f"{url} in {locale} shows English: {left}"


def test_times_show_in_the_users_time_zone(app, client, factory):
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime
    from sqlalchemy import select

    from rescue.auth.models import UserSession
    from rescue.extensions import db

    account = factory.user("caseworker", timezone="Asia/Bangkok")
    login(client, account)
    html = client.get("/account").get_data(as_text=True)
    with app.app_context():
        started = db.session.scalar(select(UserSession.created_at))
    local = format_datetime(started.replace(tzinfo=UTC), "medium", tzinfo=ZoneInfo("Asia/Bangkok"), locale="en")
    assert local in html


def test_arabic_has_six_plural_forms(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("ar"):
        forms = {n: ngettext("%(count)s account", "%(count)s accounts", n, count=n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 6, forms


def test_a_name_written_only_in_its_own_script_is_found_by_its_latin_form(client, factory):
    organisation = factory.organisation()
    case = factory.case(organisation, family_name=None, given_names=None, native_name="សុខ ដារ៉ា")
    login(client, factory.user("coordinator", organisation=organisation))
    assert case.number in client.get("/cases?q=sokh+dara").get_data(as_text=True)
    assert case.number in client.get("/cases?q=ដារ៉ា").get_data(as_text=True)


def test_country_lists_follow_the_readers_collation(client, factory):
    login(client, factory.user("admin"))
    html = client.get("/admin/missions/new?lang=zh_Hans").get_data(as_text=True)
    assert html.index(">阿富汗<") < html.index(">巴西<") < html.index(">中国<")


def test_the_english_detector_sees_english():
    html = '<nav aria-label="Main"><a>Cases</a></nav><p>SOK Dara</p><script>var x = "Cases";</script>'
    assert _english_left_untranslated(html, "fr") == ["Cases", "Main"]
