"""The case list: filters, views, keyset pages, search by document number, exports by field set."""
import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select, update

from rescue.audit.models import AuditEntry
from rescue.cases.models import Case
from rescue.clock import utcnow
from rescue.consular.models import TravelDocument
from rescue.extensions import db
from tests.fixtures.factories import login


def test_filters_views_and_keyset_pages(app, client, factory):
    organisation = factory.organisation()
    me = factory.user("caseworker", organisation=organisation)
    mine = factory.case(organisation, assigned_to=me, family_name="MINE", nationality="PHL", birth_year=1990)
    minor = factory.case(organisation, family_name="YOUNG", nationality="VNM", birth_year=date.today().year - 16)
    stale = factory.case(organisation, assigned_to=me, family_name="STALE", nationality="PHL", birth_year=1985)
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == stale.id).values(status_changed_at=utcnow() - timedelta(days=40)))
        db.session.commit()
    login(client, me)
    assert "YOUNG" not in client.get("/cases?assigned=me").get_data(as_text=True)
    page = client.get("/cases?nationality=PHL").get_data(as_text=True)
    assert "MINE" in page and "STALE" in page and "YOUNG" not in page
    assert "YOUNG" in client.get("/cases?minors=1").get_data(as_text=True)
    assert "MINE" not in client.get("/cases?minors=1").get_data(as_text=True)
    needs_action = client.get("/cases?assigned=me&waiting=14&sort=waiting").get_data(as_text=True)
    assert "STALE" in needs_action and "MINE" not in needs_action
    queue = client.get("/cases?assigned=none&open=1").get_data(as_text=True)
    assert "YOUNG" in queue and "MINE" not in queue
    # Malformed filters are ignored, never an error.
    assert client.get("/cases?waiting=abc&assigned=%3Cx%3E&sort=drop&after=zz").status_code == 200
    assert mine.number and minor.number


def test_keyset_pages_cover_every_case_once(app, client, factory):
    organisation = factory.organisation()
    coordinator = factory.user("coordinator", organisation=organisation)
    numbers = {factory.case(organisation, family_name=f"P{i:03d}").number for i in range(120)}
    login(client, coordinator)
    for sort in ("newest", "waiting"):
        seen, url = [], f"/cases?sort={sort}"
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += [n for n in numbers if f">{n}<" in html]
            marker = 'rel="next"'
            url = None
            if marker in html:
                url = html.split(marker)[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
        assert sorted(seen) == sorted(numbers), sort


def test_search_by_travel_document_number(app, client, factory):
    organisation = factory.organisation()
    case = factory.case(organisation, family_name="TRAVELLER")
    with app.app_context():
        db.session.add(TravelDocument(case_id=case.id, kind="emergency_travel_document", number="ET1234567"))
        db.session.commit()
    login(client, factory.user("coordinator", organisation=organisation))
    assert case.number in client.get("/cases?q=et1234567").get_data(as_text=True)


def test_exports_honour_the_field_set_and_are_audited(app, make_client, factory):
    organisation, mission = factory.organisation(), factory.mission()
    worker = factory.user("caseworker", organisation=organisation, display_name="Srey Leak")
    factory.case(organisation, assigned_to=worker, referred_to=mission, family_name="=HYPERLINK(\"x\")",
                 given_names="Dara", birth_year=1990, birth_month=3)
    coordinator = make_client()
    login(coordinator, factory.user("coordinator", organisation=organisation))
    response = coordinator.get("/cases/export.csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Case number", "Family name", "Given names"] and "Assigned to" in rows[0]
    assert rows[1][1] == "'=HYPERLINK(\"x\")"  # never run as a formula
    assert rows[1][5] == "1990-03-??" and "Srey Leak" in rows[1]
    consul = make_client()
    login(consul, factory.user("consular", mission=mission))
    book = load_workbook(io.BytesIO(consul.get("/cases/export.xlsx").data))
    header = [cell.value for cell in next(book.active.iter_rows())]
    assert "Assigned to" not in header and "Case number" in header
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.exported")).all()
        assert len(entries) == 2 and all("HYPERLINK" not in (e.detail or "") for e in entries)


def test_exports_need_a_recent_sign_in(app, client, factory):
    account = factory.user("coordinator")
    login(client, account)
    with app.app_context():
        from rescue.auth.models import UserSession

        db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(minutes=30),
                                                      last_seen_at=utcnow()))
        db.session.commit()
    response = client.get("/cases/export.csv?status=in_care")
    assert response.status_code == 302 and "/reauthenticate?next=/cases/export.csv" in response.headers["Location"]


def test_names_are_found_after_every_migration_and_change(app, client, factory):
    """The name index is kept in step by the database itself: on insert, on correction, on erasure."""
    organisation = factory.organisation()
    case = factory.case(organisation, family_name="KOVALENKO", given_names="Olena", native_name="Олена Коваленко")
    login(client, factory.user("coordinator", organisation=organisation))
    for query in ("kovalenko", "Олена", "olena kovalenko"):
        assert case.number in client.get(f"/cases?q={query}").get_data(as_text=True), query
    with app.app_context():
        record = db.session.get(Case, case.id)
        record.family_name, record.native_name = "PETRENKO", "Олена Петренко"
        from rescue.cases.opening import refresh_name_key

        refresh_name_key(record)
        db.session.commit()
    assert case.number in client.get("/cases?q=petrenko").get_data(as_text=True)
    assert case.number not in client.get("/cases?q=kovalenko").get_data(as_text=True)


def test_a_misspelt_name_is_offered_as_a_close_match(client, factory):
    organisation = factory.organisation()
    case = factory.case(organisation, family_name="SANTOSO", given_names="Budi", native_name=None, nationality="IDN")
    factory.case(organisation, family_name="NGUYEN", given_names="Anh", native_name=None)
    factory.case(factory.organisation(), family_name="SANTOSSO", given_names="Hidden", native_name=None)
    login(client, factory.user("coordinator", organisation=organisation))
    page = client.get("/cases?q=santosso").get_data(as_text=True)
    assert "No exact match. These names are close:" in page
    close = page.split("These names are close:")[1]
    assert case.number in close and "NGUYEN" not in close and "Hidden" not in close
    assert "These names are close" not in client.get("/cases?q=zzzzzz").get_data(as_text=True)


def test_a_common_name_pages_through_every_match_once_within_scope(app, client, factory, monkeypatch):
    from rescue.cases import listing

    monkeypatch.setattr(listing, "CHUNK", 7)  # many small chunks: the reading in order is exercised
    organisation, other = factory.organisation(), factory.organisation()
    mine = set()
    for i in range(120):
        target = organisation if i % 3 else other
        case = factory.case(target, family_name="SANTOSO", given_names=f"N{i}", native_name=None)
        if target is organisation:
            mine.add(case.number)
    login(client, factory.user("coordinator", organisation=organisation))
    seen, url = [], "/cases?q=santoso"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += [n for n in mine if f">{n}<" in html]
        url = None
        if 'rel="next"' in html:
            url = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert sorted(seen) == sorted(mine)  # every case of mine once, none of the other organisation's


def test_a_consul_cannot_learn_the_operation_or_the_caseworker_through_filters(app, client, factory):
    """The list's filters on columns a consul may not read are ignored for them, so they tell nothing."""
    from tests.fixtures.factories import login

    ngo, mission = factory.organisation(), factory.mission()
    worker = factory.user("caseworker", organisation=ngo)
    consul = factory.user("consular", mission=mission, two_factor=True)
    case = factory.case(ngo, assigned_to=worker, referred_to=mission, status="consular_referral",
                        family_name="FILTERED")
    login(client, consul)
    for query in (f"assigned={worker.id}", f"assigned={worker.id + 1000}", "operation=987", "site=654"):
        page = client.get(f"/cases?{query}").get_data(as_text=True)
        assert "FILTERED" in page, query
    assert case


def _numbers_on(client, url) -> set[str]:
    import re

    return set(re.findall(r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}", client.get(url).get_data(as_text=True)))


def test_names_are_found_in_the_order_people_type_them(client, factory):
    organisation = factory.organisation()
    sreymom = factory.case(organisation, family_name="CHHUN", given_names="Sreymom", native_name=None)
    rahul = factory.case(organisation, family_name="KUMAR", given_names="Rahul", native_name=None, nationality="IND")
    awa = factory.case(organisation, family_name="Diop", given_names="Awa", native_name=None, nationality="SEN")
    other = factory.case(organisation, family_name="CHHUN", given_names="Dara", native_name=None)
    login(client, factory.user("coordinator", organisation=organisation))
    for typed, expected in (("CHHUN Sreymom", sreymom), ("Sreymom CHHUN", sreymom), ("KUMAR Rahul", rahul),
                            ("rahul kumar", rahul), ("Diop Awa", awa), ("awa DIOP", awa)):
        for sort in ("newest", "name"):
            found = _numbers_on(client, f"/cases?q={typed}&sort={sort}")
            assert expected.number in found and other.number not in found, (typed, sort, found)
    assert {sreymom.number, other.number} <= _numbers_on(client, "/cases?q=CHHUN")


def test_two_words_with_a_slip_are_offered_as_a_close_match(client, factory):
    organisation = factory.organisation()
    rahul = factory.case(organisation, family_name="KUMAR", given_names="Rahul", native_name=None, nationality="IND")
    login(client, factory.user("coordinator", organisation=organisation))
    page = client.get("/cases?q=KUMAR Rahull").get_data(as_text=True)
    assert "No exact match. These names are close:" in page
    assert rahul.number in page.split("These names are close:")[1]


def test_the_number_given_on_the_day_and_part_of_a_case_number_find_the_person(app, client, factory):
    organisation, mission = factory.organisation(), factory.mission()
    tagged = factory.case(organisation, family_name="REYES", given_names="Ana", operation_tag="GF-003",
                          referred_to=mission)
    factory.case(organisation, family_name="SANTOS", given_names="Jose", operation_tag="GF-004")
    login(client, factory.user("coordinator", organisation=organisation))
    assert _numbers_on(client, "/cases?q=GF-003") == {tagged.number}
    assert _numbers_on(client, "/cases?q=gf-003") == {tagged.number}
    part = tagged.number.split("-")[1]  # RC-9PR5-YU32 read out as "9PR5"
    if any(c.isdigit() for c in part):
        assert tagged.number in _numbers_on(client, f"/cases?q={part}")
    # A consul may not read the number given on the day: it finds nothing for them.
    consul = factory.user("consular", mission=mission)
    from tests.fixtures.factories import login as sign_in
    other = client.application.test_client()
    sign_in(other, consul)
    assert _numbers_on(other, "/cases?q=GF-003") == set()
    assert tagged.number in _numbers_on(other, f"/cases?q={tagged.number}")
