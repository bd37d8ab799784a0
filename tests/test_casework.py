"""Moving a case along, with the guards explained; notes and consents on the timeline."""
from sqlalchemy import select

from rescue.audit.models import AuditEntry
from rescue.cases.models import Case
from rescue.extensions import db
from tests.fixtures.factories import login, post_form


def _version(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).version


def _move(client, app, case, target, reason="", version=None):
    return post_form(client, f"/cases/{case.id}/status", {
        "target": target, "reason": reason, "version": version or _version(app, case.id)},
        token_from=f"/cases/{case.id}")


def test_a_caseworker_moves_a_case_and_the_timeline_says_so(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation, display_name="Srey Leak")
    case = factory.case(organisation, assigned_to=worker, status="rescued")
    login(client, worker)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert '<option value="in_care">In care</option>' in page
    assert '<option value="departed"' not in page  # only the moves that exist from here
    response = _move(client, app, case, "in_care")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The status is now: In care." in page
    assert "Status changed from Rescued to In care" in page and "Srey Leak" in page
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "case.status_changed"))


def test_a_blocked_move_is_explained_and_consent_unblocks_it(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, status="in_care", birth_year=1990)
    login(client, worker)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Not possible yet" in page
    assert "Record the person&#39;s consent to voluntary return first." in page
    refused = _move(client, app, case, "return_decided")
    assert refused.status_code == 409
    assert "Record the person&#39;s consent to voluntary return first." in refused.get_data(as_text=True)
    recorded = post_form(client, f"/cases/{case.id}/consents", {
        "purpose": "voluntary_return", "decision": "given", "mission_id": "", "recipient": "", "language": "km",
        "interpreter": "Mr Chea", "witness": "", "given_on": "2026-11-20"}, token_from=f"/cases/{case.id}")
    assert recorded.status_code == 302
    assert _move(client, app, case, "return_decided").status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Consent recorded: Voluntary return: given" in page


def test_a_minor_needs_a_best_interests_assessment(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, status="in_care", birth_year=2012)
    login(client, worker)
    post_form(client, f"/cases/{case.id}/consents", {"purpose": "voluntary_return", "decision": "given"},
              token_from=f"/cases/{case.id}")
    refused = _move(client, app, case, "return_decided")
    assert "add a best-interests assessment first" in refused.get_data(as_text=True)
    post_form(client, f"/cases/{case.id}/notes", {"kind": "best_interests", "text": "Family traced; return is in her interest."},
              token_from=f"/cases/{case.id}")
    assert _move(client, app, case, "return_decided").status_code == 302


def test_side_states_need_a_reason_and_keep_what_was_typed(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, status="in_care")
    login(client, worker)
    refused = _move(client, app, case, "on_hold", reason="   ")
    assert "Say why: this status needs a reason." in refused.get_data(as_text=True)
    done = _move(client, app, case, "on_hold", reason="Witness in the trial of the recruiters")
    assert done.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Witness in the trial of the recruiters" in page
    assert '<option value="in_care">In care</option>' in page  # back where it was, when the hold ends


def test_a_second_writer_gets_a_conflict_not_a_silent_overwrite(app, make_client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    coordinator = factory.user("coordinator", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, status="rescued")
    first, second = make_client(), make_client()
    login(first, worker)
    login(second, coordinator)
    seen = _version(app, case.id)
    assert _move(second, app, case, "in_care", version=seen).status_code == 302
    conflict = _move(first, app, case, "lost_contact", reason="Phone off", version=seen)
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Someone else changed this case while you were reading it." in html
    assert "Phone off" in html
    with app.app_context():
        assert db.session.get(Case, case.id).status == "in_care"


def test_notes_need_text_and_show_on_the_timeline(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker)
    login(client, worker)
    empty = post_form(client, f"/cases/{case.id}/notes", {"kind": "note", "text": ""}, token_from=f"/cases/{case.id}")
    assert empty.status_code == 400 and "Fill in this field." in empty.get_data(as_text=True)
    post_form(client, f"/cases/{case.id}/notes", {"kind": "assessment", "text": "Sleeping badly; referred to counsellor."},
              token_from=f"/cases/{case.id}")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Assessment" in page and "Sleeping badly; referred to counsellor." in page


def test_consent_to_share_names_a_recipient(client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker)
    login(client, worker)
    response = post_form(client, f"/cases/{case.id}/consents", {"purpose": "sharing", "decision": "given"},
                         token_from=f"/cases/{case.id}")
    assert "Consent to share names a recipient" in response.get_data(as_text=True)


def test_consuls_do_not_move_an_ngo_case(client, factory):
    organisation, mission = factory.organisation(), factory.mission()
    case = factory.case(organisation, referred_to=mission, status="consular_referral")
    login(client, factory.user("consular", mission=mission))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Change status" not in page and "Add a note" not in page
    response = post_form(client, f"/cases/{case.id}/status", {"target": "arrived", "version": 1},
                         token_from="/account")
    assert response.status_code == 403


def test_coordinators_assign_and_reassign(app, make_client, factory):
    organisation = factory.organisation()
    coordinator = factory.user("coordinator", organisation=organisation)
    dara = factory.user("caseworker", organisation=organisation, display_name="Dara Chan")
    outsider = factory.user("caseworker", display_name="Someone Else")
    case = factory.case(organisation)
    browser = make_client()
    login(browser, coordinator)
    page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Dara Chan" in page and "Someone Else" not in page
    done = post_form(browser, f"/cases/{case.id}/assign", {"assignee": dara.id}, token_from=f"/cases/{case.id}")
    assert done.status_code == 302
    assert "Assigned to Dara Chan" in browser.get(f"/cases/{case.id}").get_data(as_text=True)
    refused = post_form(browser, f"/cases/{case.id}/assign", {"assignee": outsider.id}, token_from=f"/cases/{case.id}")
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(Case, case.id).assigned_to_id == dara.id
    worker = make_client()
    login(worker, dara)
    assert case.number in worker.get("/cases?assigned=me").get_data(as_text=True)
    assert post_form(worker, f"/cases/{case.id}/assign", {"assignee": ""}, token_from=f"/cases/{case.id}").status_code == 403


def test_details_are_corrected_with_the_fields_audited_and_conflicts_refused(app, make_client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, family_name="SOK", given_names="Dara", nationality="KHM")
    browser = make_client()
    login(browser, worker)
    page = browser.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    assert 'value="SOK"' in page and '<option selected value="KHM">' in page
    version = _version(app, case.id)
    form = {"version": version, "family_name": "SOKH", "given_names": "Dara", "native_name": "សុខ ដារ៉ា",
            "aliases": "Ah Dara", "sex": "M", "birth_year": "1994", "birth_month": "", "birth_day": "",
            "approximate_age": "", "nationalities": ["KHM", "THA"], "languages": ["km"], "found_country": "",
            "found_city": "", "rescued_on": "", "phone": ""}
    saved = post_form(browser, f"/cases/{case.id}/edit", form)
    assert saved.status_code == 302
    with app.app_context():
        record = db.session.get(Case, case.id)
        assert record.family_name == "SOKH" and [n.country for n in record.nationalities] == ["KHM", "THA"]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.changed"))
        assert "family_name" in entry.detail and "SOKH" not in entry.detail
    stale = post_form(browser, f"/cases/{case.id}/edit", {**form, "family_name": "OLD COPY"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else changed this case" in html
    conflict = html.split("What is saved now")[1].split("</table>")[0]
    assert "OLD COPY" in conflict and "SOKH" in conflict  # both versions, side by side
    with app.app_context():
        assert db.session.get(Case, case.id).family_name == "SOKH"  # nothing overwritten silently
    newest = html.split('name="version"')[1].split('value="')[1].split('"')[0]
    assert int(newest) == _version(app, case.id)  # saving again is now a deliberate choice
    bad = post_form(browser, f"/cases/{case.id}/edit", {**form, "version": _version(app, case.id), "birth_year": "2001",
                                                        "birth_month": "2", "birth_day": "31"})
    assert bad.status_code == 400 and "This date does not exist." in bad.get_data(as_text=True)


def test_the_details_of_a_case_with_a_rescue_date_can_be_corrected(app, factory, client):
    """Every case opened after a rescue has a rescue date; its correction page must open and save."""
    from datetime import date

    from tests.fixtures.factories import login

    organisation = factory.organisation()
    caseworker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=caseworker, rescued_on=date(2026, 11, 2))
    login(client, caseworker)
    page = client.get(f"/cases/{case.id}/edit")
    assert page.status_code == 200
    assert 'value="2026-11-02"' in page.get_data(as_text=True)


def test_notes_sent_at_the_same_moment_are_all_kept_and_the_audit_trail_holds(app, factory):
    """Eight colleagues save at once, over HTTP to a served app: every save succeeds, none is lost, and the
    audit trail still proves itself."""
    from sqlalchemy import func, select

    from rescue.audit import trail
    from rescue.cases.models import TimelineEvent
    from tests.fixtures.http import Browser, all_at_once, served

    organisation = factory.organisation()
    case = factory.case(organisation)
    workers = [factory.user("caseworker", organisation=organisation) for _ in range(8)]
    with served(app) as base:
        browsers, tokens = [], []
        for worker in workers:
            browser = Browser(base)
            browser.post("/login", {"email": worker.email, "password": worker.password})
            tokens.append(browser.token(f"/cases/{case.id}"))
            browsers.append(browser)
        answers = all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
            f"/cases/{case.id}/notes", {"csrf_token": pair[1], "kind": "note", "text": "Seen today."}))
    assert [status for status, _, _ in answers] == [302] * 8
    with app.app_context():
        assert db.session.scalar(select(func.count(TimelineEvent.id)).where(
            TimelineEvent.case_id == case.id, TimelineEvent.text == "Seen today.")) == 8
        assert trail.verify_all() is None


def test_reloading_a_page_that_came_back_from_a_form_goes_back_to_the_case(app, client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, status="in_care")
    login(client, worker)
    refused = _move(client, app, case, "on_hold", reason="")  # the page comes back at /cases/<id>/status
    assert refused.status_code in (400, 409)
    reloaded = client.get(f"/cases/{case.id}/status")
    assert reloaded.status_code == 302 and reloaded.headers["Location"].endswith(f"/cases/{case.id}")
    assert client.get("/cases/999999/notes").headers["Location"].endswith("/cases/999999")  # then 404 as usual
    assert client.get("/admin/users/1/deactivate").status_code == 405
