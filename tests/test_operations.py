"""Rescue operations: headcounts, mass intake and spreadsheet import, all or nothing."""
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from rescue.cases.models import Case
from rescue.extensions import db
from rescue.operations.models import Operation
from tests.fixtures.factories import csrf_token, login, post_form


def _operation(client):
    response = post_form(client, "/operations/new", {"name": "Operation Dawn", "planned_on": "2026-11-20",
                                                      "site_id": "", "lead_agency": "Police", "notes": ""})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _rows(people):
    data = {"rows": 10, "go": "save"}
    for n, person in enumerate(people):
        for key, value in person.items():
            data[f"{key}-{n}"] = value
    return data


def test_mass_intake_opens_every_case_or_none(app, client, factory):
    login(client, factory.user("coordinator"))
    operation = _operation(client)
    url = f"/operations/{operation}/intake"
    bad = post_form(client, url, _rows([
        {"tag": "1", "family_name": "SANTOSO", "sex": "M", "age": "31", "nationality": "IDN"},
        {"tag": "2", "native_name": "សុខ ដារ៉ា", "sex": "F", "age": "16", "nationality": "KHM"},
        {"tag": "2", "family_name": "DUP", "sex": "Q", "age": "300", "nationality": "ZZZ"},
    ]))
    html = bad.get_data(as_text=True)
    assert "Some rows need correcting. Nothing was saved yet." in html
    assert "This number is used twice." in html and "Sex is F, M, X or empty." in html
    assert 'value="SANTOSO"' in html  # what was typed stays
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0
    good = post_form(client, url, _rows([
        {"tag": "1", "family_name": "SANTOSO", "sex": "M", "age": "31", "nationality": "IDN"},
        {"tag": "2", "native_name": "សុខ ដារ៉ា", "sex": "F", "age": "16", "nationality": "khm"},
        {"tag": "3", "given_names": "Awa", "sex": "", "age": "", "nationality": ""},
    ]))
    assert good.status_code == 302
    listing = client.get(good.headers["Location"]).get_data(as_text=True)
    assert "3 cases opened for this operation." in listing and "SANTOSO" in listing
    page = client.get(f"/operations/{operation}").get_data(as_text=True)
    assert "Indonesia: 1" in page and "Cambodia: 1" in page
    with app.app_context():
        tags = sorted(db.session.scalars(select(Case.operation_tag)))
        assert tags == ["1", "2", "3"]
        assert all(c.status == "rescued" for c in db.session.scalars(select(Case)))


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_checks_every_row_then_opens_the_cases_after_confirmation(app, client, factory):
    login(client, factory.user("coordinator"))
    operation = _operation(client)
    url = f"/operations/{operation}/import"
    broken = _xlsx([["Tag", "Family name", "Nationality", "Age"], ["7", "REYES", "PHL", "40"], ["8", "", "PHL", "x"]])
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(broken), "list.xlsx")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "Nothing was saved." in html and "Write at least one name" in html and "REYES" in html
    good = "tag,family_name,given_names,nationality,sex\n7,REYES,Jose,PHL,M\n8,DELA CRUZ,Maria,PHL,F\n"
    preview = client.post(url, data={"csrf_token": csrf_token(client, url),
                                     "file": (io.BytesIO(good.encode()), "list.csv")}, content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert "2 people are ready to be added." in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0  # nothing before confirmation
    payload = html.split('name="payload" value="')[1].split('"')[0]
    done = client.post(url, data={"csrf_token": csrf_token(client, url), "payload": payload})
    assert done.status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(select(Case.family_name))) == ["DELA CRUZ", "REYES"]
    tampered = client.post(url, data={"csrf_token": csrf_token(client, url), "payload": payload[:-3] + "abc"})
    assert tampered.status_code == 400


def test_caseworkers_see_operations_but_coordinators_run_them(app, make_client, factory):
    organisation = factory.organisation()
    coordinator = make_client()
    login(coordinator, factory.user("coordinator", organisation=organisation))
    operation = _operation(coordinator)
    worker = make_client()
    login(worker, factory.user("caseworker", organisation=organisation))
    assert worker.get(f"/operations/{operation}").status_code == 200
    assert worker.get(f"/operations/{operation}/intake").status_code == 403
    outsider = make_client()
    login(outsider, factory.user("coordinator"))
    assert outsider.get(f"/operations/{operation}").status_code == 403
    with app.app_context():
        assert db.session.get(Operation, operation).name == "Operation Dawn"


def test_the_same_list_imported_twice_does_not_open_the_same_people_twice(app, client, factory):
    login(client, factory.user("coordinator"))
    operation = _operation(client)
    url = f"/operations/{operation}/import"
    data = b"tag,family_name,nationality,language\n11,REYES,PHL,fil\n12,SANTOS,PHL,tl\n"

    def send():
        return client.post(url, data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), "l.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)

    first = send()
    payload = first.split('name="payload" value="')[1].split('"')[0]
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "payload": payload}).status_code == 302
    second = send()
    assert "This number is used twice." in second and 'name="payload"' not in second
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "payload": payload}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 2
        assert sorted(lang.language for c in db.session.scalars(select(Case)) for lang in c.languages) == ["fil", "tl"]


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_not_an_error_page(client, factory):
    login(client, factory.user("coordinator"))
    operation = _operation(client)
    url = f"/operations/{operation}/import"
    for name, data in (("fake.xlsx", b"PK\x03\x04 not really a zip"),
                       ("huge-cell.csv", b"tag,family_name\n1," + b"A" * 200_000 + b"\n")):
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 200, name
        assert "This file cannot be read as a spreadsheet: save it as CSV or XLSX and try again." in \
            response.get_data(as_text=True), name


def test_a_list_longer_than_one_import_takes_is_refused_in_words_and_not_read_to_its_end(client, factory):
    login(client, factory.user("coordinator"))
    operation = _operation(client)
    url = f"/operations/{operation}/import"
    header = ["tag", "family_name", "nationality"]
    long_csv = "\n".join([",".join(header)] + [f"{n},PERSON{n},PHL" for n in range(2001)]).encode()
    long_xlsx = _xlsx([header] + [[str(n), f"PERSON{n}", "PHL"] for n in range(5000)])
    for name, data in (("long.csv", long_csv), ("long.xlsx", long_xlsx)):
        response = client.post(url, data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert "This file is too long for one import (at most 2000 people): split it into files of 2000 rows or fewer." in html, name
        assert "PERSON1999" not in html, name


def test_a_manifest_asked_for_a_date_that_is_not_one_prints_the_whole_operation(client, factory):
    login(client, factory.user("coordinator"))
    operation = _operation(client)
    for value in ("abc", "2026-13-01", "0"):
        assert client.get(f"/operations/{operation}/manifest.pdf?departure_on={value}").status_code == 200
