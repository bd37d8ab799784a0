"""The coordinator's dashboard: the figures a coordinator reads, as charts and as tables, in any direction."""
import html
import re
from datetime import timedelta

from rescue.cases.models import Case, TimelineEvent
from rescue.clock import utcnow
from rescue.consular.models import Referral
from rescue.extensions import db
from tests.fixtures.factories import login


def test_the_dashboard_counts_cases_where_they_wait_and_overdue_referrals(app, client, factory):
    ngo, other = factory.organisation("Hope"), factory.organisation("Elsewhere")
    mission = factory.mission("Philippine Embassy", represents="PHL")
    coordinator = factory.user("coordinator", organisation=ngo)
    for n in range(3):
        factory.case(ngo, status="in_care", nationality="PHL", family_name=f"CARE{n}")
    waiting = factory.case(ngo, status="consular_referral", nationality="VNM", referred_to=mission)
    factory.case(other, status="in_care", nationality="IDN")  # another organisation's: never counted
    with app.app_context():
        referral = db.session.query(Referral).filter_by(case_id=waiting.id).one()
        referral.referred_at = utcnow() - timedelta(days=40)
        case = db.session.get(Case, waiting.id)
        case.status_changed_at = utcnow() - timedelta(days=40)
        entered = utcnow() - timedelta(days=50)
        case.timeline.append(TimelineEvent(kind="status_change", from_status="rescued", to_status="in_care", at=entered))
        case.timeline.append(TimelineEvent(kind="status_change", from_status="in_care", to_status="return_decided",
                                           at=entered + timedelta(days=6)))
        db.session.commit()
    login(client, coordinator)
    page = html.unescape(client.get("/dashboard").get_data(as_text=True))
    table = lambda title: page.split(title, 1)[1].split("</table>", 1)[0]  # noqa: E731
    status_rows = re.findall(r"<th scope=\"row\">([^<]+)</th><td>(\d+)</td>", table("Cases by status"))
    assert ("In care", "3") in status_rows and ("Referred to consulate", "1") in status_rows
    nationality_rows = re.findall(r"<th scope=\"row\">([^<]+)</th><td>(\d+)</td>", table("Cases by nationality"))
    assert ("Philippines", "3") in nationality_rows and ("Vietnam", "1") in nationality_rows
    assert "Indonesia" not in table("Cases by nationality")
    assert re.search(r"In care</th><td>6</td><td>1</td>", table("Average days spent in each stage"))
    assert re.search(r"Philippine Embassy</th><td>1</td><td>1</td>", table("Referrals waiting at each mission"))
    assert waiting.number in page and "40 days" in page
    assert "<svg" in page and "cdn" not in page.lower()


def test_the_charts_read_right_to_left_in_arabic(app, client, factory):
    ngo = factory.organisation()
    coordinator = factory.user("coordinator", organisation=ngo, locale="ar")
    factory.case(ngo, status="in_care")
    login(client, coordinator)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'text-anchor="end" direction="rtl"' in page


def test_only_coordinators_see_the_dashboard(client, factory):
    ngo = factory.organisation()
    login(client, factory.user("caseworker", organisation=ngo))
    assert client.get("/dashboard").status_code == 403
