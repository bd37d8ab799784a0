"""No page asks the database once per row: the number of queries a page makes does not grow with the
number of cases, referrals or events it shows."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from rescue.cases.models import Consent, TimelineEvent
from rescue.extensions import db
from tests.fixtures.factories import login


@contextmanager
def counted(app):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries(app, client, url) -> int:
    client.get(url)  # warm: sessions, caches
    with counted(app) as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)


@pytest.mark.parametrize("page", ["/cases", "/cases?q=santos", "/referrals", "/inbox", "/dashboard", "case"])
def test_coordinator_pages_make_as_many_queries_for_many_rows_as_for_few(app, make_client, factory, page):
    counts = []
    for size in (3, 30):
        ngo = factory.organisation(f"NGO {size}")
        mission = factory.mission(f"Mission {size}")
        coordinator = factory.user("coordinator", organisation=ngo)
        cases = [factory.case(ngo, status="consular_referral", referred_to=mission, family_name="SANTOS")
                 for _ in range(size)]
        # Distinct authors on the timeline: the page must not ask once per author either.
        authors = [factory.user("caseworker", organisation=ngo) for _ in range(size)]
        # And consents to share with as many distinct missions, each named on the page.
        missions = [factory.mission(f"Mission {size}-{n}") for n in range(size)]
        with app.app_context():
            for author in authors:
                db.session.add(TimelineEvent(case_id=cases[0].id, kind="note", actor_id=author.id, text="seen"))
            for other in missions:
                db.session.add(Consent(case_id=cases[0].id, purpose="sharing", decision="given",
                                       recipient_mission_id=other.id, recorded_by_id=authors[0].id))
            db.session.commit()
        client = make_client()
        login(client, coordinator)
        counts.append(queries(app, client, f"/cases/{cases[0].id}" if page == "case" else page))
    assert counts[1] <= counts[0] + 1, f"{page}: {counts[0]} queries for 3 rows, {counts[1]} for 30"


def test_the_mission_inbox_makes_as_many_queries_for_many_referrals_as_for_few(app, make_client, factory):
    counts = []
    for size in (3, 30):
        ngo = factory.organisation(f"NGO {size}")
        mission = factory.mission(f"Mission {size}")
        consul = factory.user("consular", mission=mission)
        for _ in range(size):
            factory.case(ngo, status="consular_referral", referred_to=mission)
        client = make_client()
        login(client, consul)
        counts.append(queries(app, client, "/consular"))
    assert counts[1] <= counts[0] + 1, counts
