"""Secrets at rest: two-factor keys are sealed in the database with the app's encryption key (and still
sign people in, through a key rotation too); the SQLite database and the instance folder are their owner's
only; development keeps a random backup key in the instance folder; production starts without a backup key
and refuses to back up without one."""
import os
import re
import stat

import pyotp
from sqlalchemy import text

import config
from rescue import create_app
from rescue.auth.models import UserSession
from rescue.core.sealing import new_key, parse_key
from rescue.extensions import db
from tests.fixtures.factories import Account, login, post_form


def _stored(app, user_id):
    """The two-factor columns as the database holds them, read with plain SQL."""
    with app.app_context():
        row = db.session.execute(text('SELECT totp_secret, totp_secret_sealed FROM "user" WHERE id = :id'),
                                 {"id": user_id}).one()
        return row[0], row[1]


def _assert_not_in_clear(app, user_id, secret):
    plain, sealed = _stored(app, user_id)
    assert plain is None
    assert sealed and secret.lower() not in sealed.lower()


def _signs_in(make_client, account: Account) -> bool:
    browser = make_client()
    response = login(browser, account)
    return response.status_code == 302 and "/login" not in response.headers["Location"] \
        and browser.get("/account").status_code == 200


def _enrol(client) -> str:
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', page).group(1)
    done = post_form(client, "/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert "recovery" in done.get_data(as_text=True).lower()
    return secret


def test_a_key_set_up_in_the_app_is_sealed_in_the_database_and_signs_in(app, make_client, factory):
    account = factory.user("caseworker")
    browser = make_client()
    login(browser, account)
    secret = _enrol(browser)
    _assert_not_in_clear(app, account.id, secret)
    enrolled = Account(account.id, account.email, account.password, account.role, secret)
    assert _signs_in(make_client, enrolled)
    # A wrong code still does not.
    other = make_client()
    post_form(other, "/login", {"email": account.email, "password": account.password})
    refused = post_form(other, "/login/code", {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert refused.status_code == 200 and "That code is not right" in refused.get_data(as_text=True)


def test_a_coordinators_key_is_sealed_and_signs_in(app, make_client, factory):
    coordinator = factory.user("coordinator")
    _assert_not_in_clear(app, coordinator.id, coordinator.totp_secret)
    assert _signs_in(make_client, coordinator)


def test_a_key_kept_in_clear_before_this_release_is_sealed_at_its_first_sign_in(app, make_client, factory):
    coordinator = factory.user("coordinator")
    legacy = pyotp.random_base32()
    with app.app_context():
        db.session.execute(text('UPDATE "user" SET totp_secret = :s, totp_secret_sealed = NULL WHERE id = :id'),
                           {"s": legacy, "id": coordinator.id})
        db.session.commit()
    assert _stored(app, coordinator.id) == (legacy, None)
    old_style = Account(coordinator.id, coordinator.email, coordinator.password, coordinator.role, legacy,
                        coordinator.organisation_id)
    assert _signs_in(make_client, old_style)
    _assert_not_in_clear(app, coordinator.id, legacy)
    assert _signs_in(make_client, old_style)


def test_rotating_the_key_reseals_two_factor_keys_and_sign_in_keeps_working(app, make_client, factory):
    sealed_user = factory.user("admin")
    legacy_user = factory.user("consular")
    legacy = pyotp.random_base32()
    with app.app_context():
        db.session.execute(text('UPDATE "user" SET totp_secret = :s, totp_secret_sealed = NULL WHERE id = :id'),
                           {"s": legacy, "id": legacy_user.id})
        db.session.commit()
    legacy_account = Account(legacy_user.id, legacy_user.email, legacy_user.password, legacy_user.role, legacy,
                             mission_id=legacy_user.mission_id)
    before = _stored(app, sealed_user.id)[1]
    old_key, fresh = app.config["RESCUE_ENCRYPTION_KEY"], new_key()
    app.config.update(RESCUE_ENCRYPTION_KEY=fresh, RESCUE_ENCRYPTION_OLD_KEYS=old_key)
    try:
        result = app.test_cli_runner().invoke(args=["rescue", "rotate-encryption-key"])
        assert result.exit_code == 0, result.output
        assert "2 two-factor key(s) sealed with the current key." in result.output
        app.config["RESCUE_ENCRYPTION_OLD_KEYS"] = ""  # the old key is gone now
        after = _stored(app, sealed_user.id)[1]
        assert after != before
        _assert_not_in_clear(app, sealed_user.id, sealed_user.totp_secret)
        _assert_not_in_clear(app, legacy_user.id, legacy)
        assert _signs_in(make_client, sealed_user)
        assert _signs_in(make_client, legacy_account)
        again = app.test_cli_runner().invoke(args=["rescue", "rotate-encryption-key"])
        assert "0 two-factor key(s) sealed with the current key." in again.output
    finally:
        app.config.update(RESCUE_ENCRYPTION_KEY=old_key, RESCUE_ENCRYPTION_OLD_KEYS="")


def test_without_the_key_that_sealed_it_nobody_passes_the_second_step(app, make_client, factory):
    coordinator = factory.user("coordinator")
    old_key = app.config["RESCUE_ENCRYPTION_KEY"]
    app.config["RESCUE_ENCRYPTION_KEY"] = new_key()  # rotated, but the old key was dropped too early
    try:
        browser = make_client()
        failed = post_form(browser, "/login", {"email": coordinator.email, "password": coordinator.password})
        assert failed.status_code == 500  # an error page, never a way around the second step
        assert browser.get("/account").status_code == 302
        refused = app.test_cli_runner().invoke(args=["rescue", "rotate-encryption-key"])
        assert refused.exit_code == 1
        assert "RESCUE_ENCRYPTION_OLD_KEYS" in refused.output
    finally:
        app.config["RESCUE_ENCRYPTION_KEY"] = old_key
    with app.app_context():
        assert db.session.query(UserSession).filter_by(user_id=coordinator.id).count() == 0
    assert _signs_in(make_client, coordinator)


def test_the_sqlite_database_and_the_instance_folder_are_private(tmp_path, monkeypatch):
    from flask_migrate import upgrade

    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    monkeypatch.setenv("RESCUE_INSTANCE_DIR", str(instance))
    database = instance / "rescue.sqlite3"
    previous_umask = os.umask(0)  # a careless umask: files would be created 0666
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                          "RESCUE_UPLOAD_DIR": str(tmp_path / "uploads")})
        assert stat.S_IMODE(database.stat().st_mode) == 0o600  # before the first connection
        with app.app_context():
            upgrade()
            db.session.execute(text("SELECT 1")).all()
            written = [p for p in instance.iterdir() if p.name.startswith("rescue.sqlite3")]
            assert database.with_name("rescue.sqlite3-wal") in written
            assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: 0o600 for p in written}
            db.session.remove()
            db.engine.dispose()
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700

    # A database and write-ahead log left readable by an older version are tightened at start.
    instance.chmod(0o755)
    database.chmod(0o644)
    wal = database.with_name("rescue.sqlite3-wal")
    wal.touch()
    wal.chmod(0o644)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "RESCUE_UPLOAD_DIR": str(tmp_path / "uploads")})
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    with app.app_context():
        db.engine.dispose()


def test_development_keeps_a_random_backup_key_in_the_instance_folder(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setattr(config, "INSTANCE_DIR", instance)
    for name in ("SECRET_KEY", "RESCUE_ENCRYPTION_KEY", "RESCUE_BACKUP_KEY"):
        monkeypatch.delenv(name, raising=False)
    previous_umask = os.umask(0)
    try:
        first = config.DevelopmentConfig()
    finally:
        os.umask(previous_umask)
    key_file = instance / "development_backup_key"
    assert len(parse_key(first.RESCUE_BACKUP_KEY)) == 32
    assert key_file.read_text() == first.RESCUE_BACKUP_KEY
    assert first.RESCUE_BACKUP_KEY != first.RESCUE_ENCRYPTION_KEY
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    for name in ("development_backup_key", "development_encryption_key", "development_secret_key"):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600
    assert config.DevelopmentConfig().RESCUE_BACKUP_KEY == first.RESCUE_BACKUP_KEY  # kept across restarts


def test_production_starts_without_a_backup_key_and_refuses_to_back_up(tmp_path):
    class Production(config.ProductionConfig):
        SECRET_KEY = "a9f3c2e1b7d64058a9f3c2e1b7d64058-production-like"
        RESCUE_ENCRYPTION_KEY = new_key()
        RESCUE_BACKUP_KEY = None
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'production.sqlite3'}"
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(Production)
    assert app.test_client().get("/healthz").status_code in (200, 503)
    target = tmp_path / "backups" / "rescue.backup"
    result = app.test_cli_runner().invoke(args=["rescue", "backup", str(target)])
    assert result.exit_code == 1
    assert "RESCUE_BACKUP_KEY is not set" in result.output
    assert not target.parent.exists() or list(target.parent.iterdir()) == []
    restore = app.test_cli_runner().invoke(args=["rescue", "restore", str(tmp_path / "production.sqlite3"), "--yes"])
    assert restore.exit_code == 1
    assert "RESCUE_BACKUP_KEY is not set" in restore.output
    with app.app_context():
        db.engine.dispose()
