import pytest
from sqlalchemy import select

from rescue.audit.models import AuditEntry
from rescue.extensions import db
from tests.fixtures.factories import login


@pytest.fixture()
def world(factory):
    ngo, other_ngo = factory.organisation("Safe Return"), factory.organisation("Other NGO")
    mission, other_mission = factory.mission("Embassy A"), factory.mission("Embassy B")
    me = factory.user("caseworker", organisation=ngo)
    colleague = factory.user("caseworker", organisation=ngo)
    return {
        "me": me,
        "coordinator": factory.user("coordinator", organisation=ngo),
        "consul": factory.user("consular", mission=mission),
        "other_consul": factory.user("consular", mission=other_mission),
        "outsider": factory.user("coordinator", organisation=other_ngo),
        "mine": factory.case(ngo, assigned_to=me, family_name="MINE", referred_to=mission),
        "queue": factory.case(ngo, family_name="QUEUE"),
        "colleagues": factory.case(ngo, assigned_to=colleague, family_name="COLLEAGUE"),
        "elsewhere": factory.case(other_ngo, family_name="ELSEWHERE"),
    }


# who -> which cases they may open
EXPECTED = {
    "me": {"mine", "queue"},
    "coordinator": {"mine", "queue", "colleagues"},
    "consul": {"mine"},
    "other_consul": set(),
    "outsider": {"elsewhere"},
}


@pytest.mark.parametrize("who", EXPECTED)
@pytest.mark.parametrize("case", ["mine", "queue", "colleagues", "elsewhere"])
def test_case_page_follows_the_policy(client, world, who, case):
    login(client, world[who])
    response = client.get(f"/cases/{world[case].id}")
    assert response.status_code == (200 if case in EXPECTED[who] else 403)


@pytest.mark.parametrize("who", EXPECTED)
def test_case_list_shows_only_what_the_user_may_see(client, world, who):
    login(client, world[who])
    page = client.get("/cases").get_data(as_text=True)
    for case in ("mine", "queue", "colleagues", "elsewhere"):
        assert (world[case].number in page) == (case in EXPECTED[who]), case


def test_search_does_not_reach_beyond_scope(client, world):
    login(client, world["outsider"])
    page = client.get("/cases?q=MINE").get_data(as_text=True)
    assert world["mine"].number not in page
    assert "No case matches." in page


def test_search_finds_a_name_in_its_own_script(client, world):
    login(client, world["coordinator"])
    page = client.get("/cases?q=ដារ៉ា").get_data(as_text=True)
    assert world["mine"].number in page


def test_consul_sees_the_consular_field_set_only(client, world):
    login(client, world["consul"])
    page = client.get(f"/cases/{world['mine'].id}").get_data(as_text=True)
    assert "MINE" in page
    assert "Timeline" not in page and "Consents" not in page and "Assigned to" not in page


def test_consul_case_list_does_not_name_the_caseworker(client, world):
    login(client, world["consul"])
    page = client.get("/cases").get_data(as_text=True)
    assert world["mine"].number in page
    assert "Assigned to" not in page and "caseworker" not in page.lower().split("<table")[1]


def test_refusal_and_view_are_audited(app, make_client, world):
    intruder, consul = make_client(), make_client()
    login(intruder, world["other_consul"])
    assert intruder.get(f"/cases/{world['mine'].id}").status_code == 403
    login(consul, world["consul"])
    consul.get(f"/cases/{world['mine'].id}")
    with app.app_context():
        actions = [(e.action, e.actor_id, e.outcome) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "case").order_by(AuditEntry.id))]
    assert ("access.refused", world["other_consul"].id, "refused") in actions
    assert ("case.viewed", world["consul"].id, "ok") in actions


def test_unknown_case_is_not_found(client, world):
    login(client, world["coordinator"])
    assert client.get("/cases/999999").status_code == 404


def test_pages_with_case_data_are_not_cached(client, world):
    login(client, world["coordinator"])
    response = client.get(f"/cases/{world['mine'].id}")
    assert response.headers["Cache-Control"] == "no-store"
