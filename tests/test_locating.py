"""Reports of people still held, gathered by site, and a report becoming a rescued case."""
from sqlalchemy import select

from rescue.cases.models import Case
from rescue.extensions import db
from rescue.locating.models import Report
from tests.fixtures.factories import login, post_form


def _site(client, name="KK Park"):
    response = post_form(client, "/sites/new", {"name": name, "country": "MMR", "city": "Myawaddy",
                                                "latitude": "16.69", "longitude": "98.51"})
    assert response.status_code == 302
    page = client.get("/sites").get_data(as_text=True)
    return int(page.split(f">{name}<")[0].rsplit("/sites/", 1)[1].split('"')[0])


def _report(client, site_id, **person):
    data = {"source": "relative", "reliability": "likely", "reporter_contact": "Sister, via Signal",
            "family_name": "", "given_names": "", "native_name": "", "sex": "U", "approximate_age": "",
            "nationality": "", "site_id": site_id, "last_known_location": "Building 4", "safe_contact": "",
            "notes": "", "status": "open", **person}
    assert post_form(client, "/reports/new", data).status_code == 302


def test_sites_gather_reports_for_the_police(client, factory):
    login(client, factory.user("coordinator"))
    site = _site(client)
    _report(client, site, family_name="SANTOSO", nationality="IDN", approximate_age="30")
    _report(client, site, native_name="សុខ ដារ៉ា", nationality="KHM", approximate_age="16")
    _report(client, site, family_name="WULANDARI", nationality="IDN", approximate_age="15")
    page = client.get("/sites").get_data(as_text=True)
    row = page.split(">KK Park<")[1].split("</tr>")[0]
    assert "<td>3</td>" in row and "<td>2</td>" in row  # three held, two possible minors
    assert "Indonesia: 2" in row and "Cambodia: 1" in row
    assert "3 people still held here" in client.get(f"/sites/{site}").get_data(as_text=True)


def test_a_reported_person_becomes_a_rescued_case_without_retyping(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    login(client, worker)
    site = _site(client)
    _report(client, site, family_name="SANTOSO", given_names="Budi", nationality="IDN", sex="M", approximate_age="31")
    with app.app_context():
        report_id = db.session.scalar(select(Report.id))
    opened = post_form(client, f"/reports/{report_id}/rescued", {}, token_from=f"/reports/{report_id}")
    assert "/edit" in opened.headers["Location"]
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.family_name, case.given_names, case.sex, case.approximate_age) == ("SANTOSO", "Budi", "M", 31)
        assert case.status == "rescued" and case.site_id == site and case.found_country == "MMR"
        assert [n.country for n in case.nationalities] == ["IDN"] and case.assigned_to_id == worker.id
        assert db.session.get(Report, report_id).case_id == case.id
    again = post_form(client, f"/reports/{report_id}/rescued", {}, token_from=f"/reports/{report_id}",
                      follow_redirects=True)
    assert "This report is not open any more." in again.get_data(as_text=True)


def test_bad_coordinates_are_explained(client, factory):
    login(client, factory.user("coordinator"))
    response = post_form(client, "/sites/new", {"name": "X", "country": "MMR", "latitude": "123", "longitude": "east"})
    html = response.get_data(as_text=True)
    assert "Write a number between -90 and 90." in html and "Write a number between -180 and 180." in html
    assert 'value="east"' in html


def test_reports_stay_within_their_organisation(make_client, factory):
    author = make_client()
    login(author, factory.user("coordinator"))
    site = _site(author)
    _report(author, site, family_name="HIDDEN")
    for role in ("coordinator", "consular", "admin"):
        other = make_client()
        login(other, factory.user(role))
        listing = other.get("/reports")
        assert listing.status_code == 403 or "HIDDEN" not in listing.get_data(as_text=True)
        assert other.get(f"/sites/{site}").status_code == 403


def test_an_empty_report_is_not_saved(app, client, factory):
    organisation = factory.organisation()
    login(client, factory.user("caseworker", organisation=organisation))
    page = post_form(client, "/reports/new", {"source": "relative", "reliability": "likely", "sex": "U",
                                              "status": "open"})
    assert page.status_code == 400
    assert "Say who or where: a name, the site, the last known location, the nationality or a note." in \
        page.get_data(as_text=True)
    with app.app_context():
        from sqlalchemy import func, select

        from rescue.extensions import db
        from rescue.locating.models import Report
        assert db.session.scalar(select(func.count(Report.id))) == 0
