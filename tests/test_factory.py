import os

import pytest

from rescue import create_app


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app("production")


@pytest.mark.parametrize("weak", ["dev", "changeme", "a" * 40, "short-but-random-9f"])
def test_production_refuses_a_weak_secret(monkeypatch, weak):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", weak)
    with pytest.raises(RuntimeError):
        create_app("production")


STRONG = "3f8a1c9e7b2d4f60a5c8e1b7d3f9a2c4e6b8d0f1a3c5e7"


def test_production_starts_with_a_strong_secret_and_an_encryption_key(monkeypatch):
    from config import ProductionConfig
    from rescue.core.sealing import new_key

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", STRONG)
    monkeypatch.setattr(ProductionConfig, "RESCUE_ENCRYPTION_KEY", new_key())
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    response = app.test_client().get("/login", base_url="https://rescue.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("key", [None, "", "short", "bm90LTMyLWJ5dGVz"])
def test_production_refuses_to_start_without_a_good_encryption_key(monkeypatch, key):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", STRONG)
    monkeypatch.setattr(ProductionConfig, "RESCUE_ENCRYPTION_KEY", key)
    with pytest.raises(RuntimeError, match="RESCUE_ENCRYPTION_KEY"):
        create_app("production")


def test_rescue_config_picks_the_configuration(monkeypatch):
    monkeypatch.setenv("RESCUE_CONFIG", "development")
    app = create_app()
    assert app.config["ENV_NAME"] == "development"
    monkeypatch.setenv("RESCUE_CONFIG", "nonsense")
    with pytest.raises(RuntimeError, match="RESCUE_CONFIG"):
        create_app()


def test_a_server_started_without_being_told_runs_in_production_and_refuses_without_its_secrets(tmp_path):
    """gunicorn wsgi:app with no RESCUE_CONFIG: production settings, which need a strong key to start."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESCUE_", "SECRET_KEY", "FLASK_"))}
    started = subprocess.run([sys.executable, "-c", "import wsgi; print(wsgi.app.config['ENV_NAME'])"],
                             cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode != 0
    assert "SECRET_KEY" in started.stderr
    flask = Path(sys.executable).with_name("flask")
    development = subprocess.run([str(flask), "--app", "wsgi", "shell"], input="print('ENV=' + app.config['ENV_NAME'])",
                                 cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert "ENV=development" in development.stdout, development.stderr[-2000:]


def test_blueprints_are_registered(app):
    assert {"auth", "admin", "cases", "health"} <= set(app.blueprints)


def test_health_check_answers_without_personal_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_pages_carry_no_inline_script(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html and "onclick" not in html


def test_not_found_page_in_the_users_language(client):
    response = client.get("/no-such-page?lang=fr")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert "There is no page at this address." not in html
    assert "Erreur" in html or "erreur" in html


def test_server_error_page_says_nothing_was_saved(app):
    from flask import Blueprint

    from rescue.auth.access import guarded

    # A fresh app so that the added failing route does not leak into other tests.
    broken = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    bp = Blueprint("broken", __name__)

    @bp.route("/explode")
    @guarded("public")
    def explode():
        raise ValueError("boom")

    broken.register_blueprint(bp)
    broken.config["PROPAGATE_EXCEPTIONS"] = False
    response = broken.test_client().get("/explode")
    assert response.status_code == 500
    assert "Nothing you typed was saved" in response.get_data(as_text=True)
