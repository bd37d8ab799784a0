from tests.fixtures.factories import login, post_form


def test_sign_in_without_csrf_token_is_refused(client, factory):
    account = factory.user("caseworker")
    response = client.post("/login", data={"email": account.email, "password": account.password})
    assert response.status_code == 400
    assert "This form has expired or was sent from another site" in response.get_data(as_text=True)
    assert client.get("/cases").status_code == 302


def test_logout_without_token_is_refused(client, factory):
    account = factory.user("caseworker")
    login(client, account)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200  # still signed in


def test_admin_action_with_a_forged_token_is_refused(client, factory):
    admin = factory.user("admin")
    target = factory.user("caseworker")
    login(client, admin)
    response = client.post(f"/admin/users/{target.id}/deactivate", data={"csrf_token": "forged"})
    assert response.status_code == 400
    page = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "Deactivate" in page  # still active


def test_token_from_another_session_is_refused(make_client, factory):
    admin = factory.user("admin")
    target = factory.user("caseworker")
    attacker, victim = make_client(), make_client()
    login(victim, admin)
    foreign_token_page = attacker.get("/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', foreign_token_page).group(1)
    response = victim.post(f"/admin/users/{target.id}/deactivate", data={"csrf_token": token})
    assert response.status_code == 400
    assert post_form(victim, f"/admin/users/{target.id}/deactivate", {},
                     token_from=f"/admin/users/{target.id}").status_code == 302
