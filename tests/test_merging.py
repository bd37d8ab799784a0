"""Two records of the same person become one, and both histories are kept."""
from sqlalchemy import func, select

from rescue.audit.models import AuditEntry
from rescue.cases.models import Case, Consent, TimelineEvent
from rescue.extensions import db
from tests.fixtures.factories import login, post_form


def test_merging_keeps_both_histories(app, client, factory):
    organisation, mission = factory.organisation(), factory.mission()
    keep = factory.case(organisation, family_name="SOK", given_names="Dara", native_name=None, nationality="KHM")
    other = factory.case(organisation, family_name=None, given_names=None, native_name="សុខ ដារ៉ា",
                         nationality="THA", referred_to=mission, birth_year=1994)
    login(client, factory.user("coordinator", organisation=organisation))
    url = f"/cases/{keep.id}/merge"
    wrong = post_form(client, url, {"number": keep.number})
    assert "A case cannot be merged into itself." in wrong.get_data(as_text=True)
    preview = post_form(client, url, {"number": other.number.lower()})
    html = preview.get_data(as_text=True)
    assert "This case stays" in html and other.number in html
    with app.app_context():
        assert db.session.get(Case, other.id) is not None  # nothing before confirmation
    done = post_form(client, url, {"number": other.number, "confirm": "yes"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Case, other.id) is None
        case = db.session.get(Case, keep.id)
        assert case.birth_year == 1994 and case.native_name == "សុខ ដារ៉ា"  # filled from the other record
        assert sorted(n.country for n in case.nationalities) == ["KHM", "THA"]
        assert db.session.scalar(select(func.count(Consent.id)).where(Consent.case_id == keep.id)) == 1
        kinds = [e.kind for e in db.session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == keep.id))]
        assert kinds.count("created") == 2 and "merged" in kinds  # both histories
        assert case.referred_mission_ids == {mission.id}
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.merged")) is not None
    assert f"Merged with {other.number}" in client.get(f"/cases/{keep.id}").get_data(as_text=True)
    assert keep.number in client.get("/cases?q=ដារ៉ា").get_data(as_text=True)


def test_only_coordinators_merge_and_only_within_their_organisation(make_client, factory):
    organisation = factory.organisation()
    keep = factory.case(organisation)
    elsewhere = factory.case(factory.organisation())
    worker = make_client()
    login(worker, factory.user("caseworker", organisation=organisation))
    assert worker.get(f"/cases/{keep.id}/merge").status_code == 403
    coordinator = make_client()
    login(coordinator, factory.user("coordinator", organisation=organisation))
    refused = post_form(coordinator, f"/cases/{keep.id}/merge", {"number": elsewhere.number})
    assert "No case with this number is yours to merge." in refused.get_data(as_text=True)
