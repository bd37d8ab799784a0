import re

import pytest
from sqlalchemy import select

from rescue.auth.models import User
from rescue.extensions import db
from rescue.organisations.models import Mission
from tests.fixtures.factories import login, post_form

ADMIN_PAGES = [
    "/admin/users", "/admin/users/new", "/admin/users/{user}", "/admin/organisations",
    "/admin/organisations/new", "/admin/organisations/{organisation}", "/admin/missions",
    "/admin/missions/new", "/admin/missions/{mission}",
]
ADMIN_ACTIONS = [
    "/admin/users/{user}/deactivate", "/admin/users/{user}/reactivate", "/admin/users/{user}/reset-password",
    "/admin/users/{user}/reset-two-factor",
]


@pytest.fixture()
def world(factory):
    organisation = factory.organisation("Safe Return")
    mission = factory.mission("Embassy of the Philippines")
    target = factory.user("caseworker", organisation=organisation)
    return {"organisation": organisation.id, "mission": mission.id, "user": target.id}


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "consular"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_are_refused_to_other_roles(client, factory, world, role, page):
    login(client, factory.user(role))
    response = client.get(page.format(**world))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "consular"])
@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_admin_actions_are_refused_to_other_roles(app, client, factory, world, role, action):
    login(client, factory.user(role))
    response = post_form(client, action.format(**world), {}, token_from="/account")
    assert response.status_code == 403
    with app.app_context():
        target = db.session.get(User, world["user"])
        assert target.active and not target.must_change_password


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_need_sign_in(client, world, page):
    response = client.get(page.format(**world))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_creates_a_caseworker_who_must_change_the_temporary_password(app, client, make_client, factory, world):
    login(client, factory.user("admin"))
    response = post_form(client, "/admin/users/new", {
        "email": "New.Worker@Example.org", "display_name": "Srey Leak", "role": "caseworker",
        "organisation_id": world["organisation"], "mission_id": "", "locale": "km", "timezone": "Asia/Phnom_Penh"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "It is shown only once" in html
    password = re.search(r'<p class="secret-box" dir="ltr"><code>([^<]+)</code>', html).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    worker = make_client()
    first = post_form(worker, "/login", {"email": "new.worker@example.org", "password": password})
    assert first.headers["Location"].endswith("/account/password")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.worker@example.org"))
        assert user.role == "caseworker" and user.locale == "km" and user.timezone == "Asia/Phnom_Penh"


def test_duplicate_email_is_refused_and_what_was_typed_is_kept(client, factory, world):
    existing = factory.user("caseworker")
    login(client, factory.user("admin"))
    response = post_form(client, "/admin/users/new", {
        "email": existing.email.upper(), "display_name": "Typed Name", "role": "caseworker",
        "organisation_id": world["organisation"], "mission_id": "", "locale": "", "timezone": "UTC"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An account with this email exists already." in html
    assert 'value="Typed Name"' in html


def test_consular_officer_needs_a_mission(app, client, factory, world):
    login(client, factory.user("admin"))
    response = post_form(client, "/admin/users/new", {
        "email": "consul@example.org", "display_name": "", "role": "consular",
        "organisation_id": "", "mission_id": "", "locale": "", "timezone": "UTC"})
    assert "Consular officers belong to a mission. Choose one." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "consul@example.org")) is None


def test_admin_cannot_deactivate_themselves(client, factory):
    admin = factory.user("admin")
    login(client, admin)
    response = post_form(client, f"/admin/users/{admin.id}/deactivate", {}, token_from=f"/admin/users/{admin.id}")
    follow = client.get(response.headers["Location"])
    assert "You cannot deactivate your own account." in follow.get_data(as_text=True)


def test_reset_password_shows_a_new_one_once_and_ends_sessions(make_client, factory, world):
    admin_browser, worker_browser = make_client(), make_client()
    target = factory.user("caseworker")
    login(worker_browser, target)
    login(admin_browser, factory.user("admin"))
    response = post_form(admin_browser, f"/admin/users/{target.id}/reset-password", {},
                         token_from=f"/admin/users/{target.id}")
    assert "Password reset" in response.get_data(as_text=True)
    assert worker_browser.get("/account").status_code == 302
    assert login(make_client(), target).status_code == 200  # the old password no longer works


def test_users_list_filters_by_role(client, factory, world):
    factory.user("consular", email="the.consul@example.org")
    login(client, factory.user("admin"))
    page = client.get("/admin/users?role=consular").get_data(as_text=True)
    assert "the.consul@example.org" in page
    assert "caseworker" not in re.sub(r"<option.*?</option>", "", page.split("<table")[1])


def test_missions_show_country_names_in_the_reader_language(client, factory):
    factory.mission("Embassy of Cambodia, Bangkok", represents="KHM", host_country="THA", city="Bangkok")
    login(client, factory.user("admin"))
    assert "Cambodia" in client.get("/admin/missions?lang=en").get_data(as_text=True)
    assert "Cambodge" in client.get("/admin/missions?lang=fr").get_data(as_text=True)


def test_admin_creates_and_edits_a_mission(app, client, factory):
    login(client, factory.user("admin"))
    response = post_form(client, "/admin/missions/new", {
        "name": "Embassy of Kenya, Bangkok", "represents": "KEN", "host_country": "THA", "city": "Bangkok",
        "address": "", "phones": "+66 2 000 0000", "email": "", "hours": "", "languages": "sw en",
        "contact_persons": "", "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        mission = db.session.scalar(select(Mission).where(Mission.name == "Embassy of Kenya, Bangkok"))
        assert mission.represents == "KEN" and mission.languages == "sw en"
        mission_id = mission.id
    bad = post_form(client, f"/admin/missions/{mission_id}", {
        "name": "Embassy of Kenya, Bangkok", "represents": "ZZZ", "host_country": "THA", "city": "",
        "languages": "not a code!", "active": "y"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "Use language codes such as km, th, fil" in html
    assert 'value="not a code!"' in html


def test_organisation_names_are_unique(client, factory):
    factory.organisation("Safe Return")
    login(client, factory.user("admin"))
    response = post_form(client, "/admin/organisations/new", {"name": " safe return ", "kind": "ngo",
                                                              "country": "KHM", "active": "y"})
    assert "An organisation with this name exists already." in response.get_data(as_text=True)


def test_admin_sees_no_case_contents(client, factory):
    organisation = factory.organisation()
    case = factory.case(organisation)
    login(client, factory.user("admin"))
    assert client.get("/cases").status_code == 403
    assert client.get(f"/cases/{case.id}").status_code == 403


def test_the_accounts_page_counts_its_accounts_in_words(client, factory):
    admin = factory.user("admin", two_factor=True)
    factory.user("caseworker")
    login(client, admin)
    page = client.get("/admin/users?lang=km").get_data(as_text=True)
    assert "%(" not in page
    english = client.get("/admin/users?lang=en").get_data(as_text=True)
    assert "2 accounts" in english
