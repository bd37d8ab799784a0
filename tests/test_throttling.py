from tests.fixtures.factories import login, post_form


def _fail(client, email):
    return post_form(client, "/login", {"email": email, "password": "wrong password here"})


def test_account_is_throttled_after_five_failures(app, make_client, factory):
    account = factory.user("caseworker")
    attacker = make_client()
    for _ in range(5):
        assert _fail(attacker, account.email).status_code == 200
    blocked = _fail(attacker, account.email)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Even the right password waits, from any address: the limit is on the account.
    other = make_client()
    response = post_form(other, "/login", {"email": account.email, "password": account.password},
                         environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429


def test_other_accounts_are_not_locked_by_one_account_being_attacked(make_client, factory):
    target, bystander = factory.user("caseworker"), factory.user("caseworker")
    attacker = make_client()
    for _ in range(6):
        _fail(attacker, target.email)
    response = login(make_client(), bystander)
    assert response.status_code == 302


def test_address_is_throttled_across_accounts(app, make_client, factory):
    app.config["RESCUE_LOGIN_LIMIT_ADDRESS"] = "8 per 15 minutes"
    try:
        attacker = make_client()
        for n in range(8):
            assert _fail(attacker, f"guess{n}@example.org").status_code == 200
        assert _fail(attacker, "guess-last@example.org").status_code == 429
    finally:
        app.config["RESCUE_LOGIN_LIMIT_ADDRESS"] = "30 per 15 minutes"


def test_successful_sign_ins_do_not_count(make_client, factory):
    account = factory.user("caseworker")
    for _ in range(7):
        assert login(make_client(), account).status_code == 302


def test_throttling_is_audited_without_the_email(app, make_client, factory):
    from sqlalchemy import select

    from rescue.audit.models import AuditEntry
    from rescue.extensions import db

    account = factory.user("caseworker")
    attacker = make_client()
    for _ in range(6):
        _fail(attacker, account.email)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.throttled")).all()
        assert entries
        assert all(account.email not in (e.detail or "") for e in entries)


def test_behind_a_trusted_proxy_the_client_address_counts(app, factory):
    from rescue import create_app

    proxied = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "RESCUE_TRUSTED_PROXIES": 1, "RESCUE_LOGIN_LIMIT_ADDRESS": "2 per 15 minutes"})
    client = proxied.test_client()
    for n in range(2):
        assert _fail(client, f"guess{n}@example.org").status_code == 200
    # A different client behind the same proxy is not blocked by the first one's failures.
    other = proxied.test_client()
    response = post_form(other, "/login", {"email": "x@example.org", "password": "wrong password here"},
                         headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 200
    assert _fail(client, "guess-last@example.org").status_code == 429


def test_a_burst_of_parallel_guesses_gets_no_more_checks_than_the_limit(app, factory):
    """Forty browsers guess one account's password at the same moment, over HTTP to a served app: five
    guesses are checked, the others are refused before the password is looked at."""
    from sqlalchemy import func, select

    from rescue.audit.models import AuditEntry
    from rescue.extensions import db
    from tests.fixtures.http import Browser, all_at_once, served

    account = factory.user("caseworker")
    try:
        with served(app) as base:
            browsers = [Browser(base) for _ in range(40)]
            tokens = [b.token("/login") for b in browsers]
            app.config["RESCUE_LOGIN_LIMIT_ADDRESS"] = "1000 per 15 minutes"  # the account's limit is the one tried
            answers = all_at_once(list(zip(browsers, tokens, strict=True)), lambda pair: pair[0].request(
                "/login", {"email": account.email, "password": "not the password", "csrf_token": pair[1]}))
    finally:
        app.config["RESCUE_LOGIN_LIMIT_ADDRESS"] = "30 per 15 minutes"
    statuses = sorted(status for status, _, _ in answers)
    assert statuses.count(200) == 5 and statuses.count(429) == 35, statuses
    with app.app_context():
        checked = db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "login.failed", AuditEntry.object_id == account.id))
    assert checked == 5


def test_a_field_added_to_the_code_step_does_not_give_a_fresh_count(make_client, factory):
    account = factory.user("coordinator")
    browser = make_client()
    post_form(browser, "/login", {"email": account.email, "password": account.password})
    answers = [post_form(browser, "/login/code", {"code": "000000", "email": f"random{n}@example.org"}).status_code
               for n in range(7)]
    assert answers[:5] == [200] * 5 and answers[5:] == [429, 429], answers
