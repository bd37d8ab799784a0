"""The person's situation and identity documents, and what a consul may see of them."""
import re

from tests.fixtures.factories import login, post_form


def test_situation_and_documents_by_field_set(make_client, factory):
    organisation, mission = factory.organisation(), factory.mission()
    worker = factory.user("caseworker", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker, referred_to=mission)
    browser = make_client()
    login(browser, worker)
    saved = post_form(browser, f"/cases/{case.id}/situation", {
        "next_of_kin": "Mother, Ms Chan, +855 12 000 000", "recruitment_channel": "social_media",
        "recruitment_details": "Offered a call-centre job in Bangkok; debt of 2,000 USD", "exploitation":
        "forced_criminality_scam", "medical_needs": "y", "needs": "Insulin", "risk_level": "high",
        "risk_notes": "Recruiter knows the family", "legal_status": "overstay", "legal_notes": ""})
    assert saved.status_code == 302
    post_form(browser, f"/cases/{case.id}/documents", {"kind": "passport", "status": "confiscated",
                                                       "number": "n1234567", "issuing_country": "KHM",
                                                       "expires_on": "2030-01-31"}, token_from=f"/cases/{case.id}")
    page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    for text in ("Forced criminality: online scams", "Needs medical care", "Recruiter knows the family",
                 "Overstayed their visa", "Passport · Confiscated", "N1234567", "Mother, Ms Chan"):
        assert text in page, text
    consul = make_client()
    login(consul, factory.user("consular", mission=mission))
    seen = consul.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "N1234567" in seen and "Passport" in seen  # identity documents are theirs to verify
    for hidden in ("call-centre", "Forced criminality", "Insulin", "Recruiter knows", "Overstayed", "Mother, Ms Chan",
                   "Needs medical care"):
        assert hidden not in seen, hidden
    assert consul.get(f"/cases/{case.id}/situation").status_code == 403
    # Once the person agrees, the consulate may see how to reach their next of kin.
    post_form(browser, f"/cases/{case.id}/situation", {"next_of_kin": "Mother, Ms Chan, +855 12 000 000",
                                                       "next_of_kin_shareable": "y", "medical_needs": "y"})
    assert "Mother, Ms Chan" in consul.get(f"/cases/{case.id}").get_data(as_text=True)


def test_a_travel_document_number_search_finds_identity_documents_too(app, client, factory):
    organisation = factory.organisation()
    case = factory.case(organisation)
    login(client, factory.user("coordinator", organisation=organisation))
    post_form(client, f"/cases/{case.id}/documents", {"kind": "national_id", "status": "held", "number": "ID998877"},
              token_from=f"/cases/{case.id}")
    assert case.number in client.get("/cases?q=id998877").get_data(as_text=True)


def test_a_stale_copy_of_the_situation_never_wipes_what_a_colleague_saved(make_client, factory):
    organisation = factory.organisation()
    worker = factory.user("caseworker", organisation=organisation)
    coordinator = factory.user("coordinator", organisation=organisation)
    case = factory.case(organisation, assigned_to=worker)
    mine, theirs = make_client(), make_client()
    login(mine, worker)
    login(theirs, coordinator)
    url = f"/cases/{case.id}/situation"
    stale = mine.get(url).get_data(as_text=True)  # the caseworker opens the page and talks with the person
    version = re.search(r'name="version" type="hidden" value="(\d+)"', stale).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', stale).group(1)
    assert post_form(theirs, url, {"risk_level": "high", "risk_notes": "The recruiter called her brother."}
                     ).status_code == 302
    answer = mine.post(url, data={"csrf_token": token, "version": version, "needs": "Insulin",
                                  "risk_level": "low", "risk_notes": ""})
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Someone else changed this case while you were reading it." in page
    assert "The recruiter called her brother." in page and "High" in page  # what is saved now, shown
    assert "Insulin" in page  # what she typed is still in the form
    saved = mine.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "The recruiter called her brother." in saved and "Insulin" not in saved
    # Saving again with both versions in view is a deliberate choice, and it is kept.
    again = post_form(mine, url, {"needs": "Insulin", "risk_level": "high",
                                  "risk_notes": "The recruiter called her brother."})
    assert again.status_code == 302
    assert "Insulin" in mine.get(f"/cases/{case.id}").get_data(as_text=True)
