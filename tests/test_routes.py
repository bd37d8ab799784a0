"""Every route declares the policy it enforces (docs/security.md): a route without one fails here."""
from rescue.auth import policy


def test_every_route_declares_its_policy(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "policy", None)
        if declared is None:
            missing.append(rule.rule)
        elif declared not in (policy.PUBLIC, policy.ANY_SIGNED_IN):
            assert declared in policy.RULES, f"{rule.rule} declares unknown action {declared!r}"
    assert not missing, f"routes without a policy: {missing}"


def test_public_routes_are_few_and_known(app):
    public = sorted(
        rule.rule for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and getattr(app.view_functions[rule.endpoint], "policy", None) == policy.PUBLIC
    )
    assert public == ["/healthz", "/language", "/login", "/login/code", "/login/enrol", "/logout", "/verify/<token>"]
