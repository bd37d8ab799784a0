"""The command-line contract of docs/operations.md."""
import re

import pytest
from sqlalchemy import func, select, update

from rescue.audit.models import AuditEntry
from rescue.auth.models import User
from rescue.cases.models import Case
from rescue.extensions import db
from rescue.organisations.models import Mission, Organisation
from tests.fixtures.factories import Account, login


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


def test_operator_sets_up_an_organisation_a_mission_and_accounts(app, runner, client):
    result = runner.invoke(args=["rescue", "create-organisation", "Safe Return Cambodia", "--country", "KHM"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["rescue", "create-mission", "Embassy of the Philippines", "--represents", "PHL",
                                 "--host-country", "KHM", "--city", "Phnom Penh"])
    assert result.exit_code == 0, result.output

    result = runner.invoke(args=["rescue", "create-user", "Worker@Example.org", "--role", "caseworker",
                                 "--organisation", "safe return cambodia", "--locale", "km"],
                           input="a long and unusual passphrase\n")
    assert result.exit_code == 0, result.output
    assert "otpauth://" not in result.output  # caseworkers are offered two-factor, not required

    result = runner.invoke(args=["rescue", "create-user", "consul@example.org", "--role", "consular",
                                 "--mission", "Embassy of the Philippines"],
                           input="another long unusual passphrase\n")
    assert result.exit_code == 0, result.output
    uri = re.search(r"otpauth://totp/\S+", result.output).group(0)
    assert "issuer=rescue" in uri

    with app.app_context():
        worker = db.session.scalar(select(User).where(User.email == "worker@example.org"))
        assert worker.role == "caseworker" and worker.locale == "km" and not worker.must_change_password
        account = Account(worker.id, worker.email, "a long and unusual passphrase", "caseworker", None)
    assert login(client, account).status_code == 302


@pytest.mark.parametrize("args, stdin, message", [
    (["--role", "caseworker", "--organisation", "Nowhere"], "a long and unusual passphrase\n", "No organisation is named"),
    (["--role", "consular"], "a long and unusual passphrase\n", "Consular officers belong to a mission"),
    (["--role", "admin"], "password1234\n", "This password is too common"),
    (["--role", "admin"], "short\n", "Use at least 12 characters"),
    (["--role", "admin", "--locale", "xx"], "a long and unusual passphrase\n", "not a supported locale"),
    (["--role", "admin"], "\n", "No password on standard input"),
])
def test_create_user_refuses_bad_input(app, runner, args, stdin, message):
    result = runner.invoke(args=["rescue", "create-user", "someone@example.org", *args], input=stdin)
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_mission_refuses_an_unknown_country(runner):
    result = runner.invoke(args=["rescue", "create-mission", "X", "--represents", "ZZZ", "--host-country", "KHM",
                                 "--city", "Phnom Penh"])
    assert result.exit_code == 1
    assert "Choose a country from the list." in result.output


def test_seed_demo_creates_every_role_with_random_passwords_once(app, runner):
    result = runner.invoke(args=["rescue", "seed-demo", "--cases", "40"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
        assert roles == {"caseworker", "coordinator", "consular", "admin"}
        assert db.session.scalar(select(func.count(Case.id))) == 40
        assert len(set(db.session.scalars(select(Case.status)))) >= 15
        assert db.session.scalar(select(func.count(Organisation.id))) >= 2
        assert db.session.scalar(select(func.count(Mission.id))) >= 2
    passwords = re.findall(r"example\.org\s+(\S{16})\s", result.output)
    assert len(passwords) == len(set(passwords)) >= 10
    again = runner.invoke(args=["rescue", "seed-demo"])
    assert again.exit_code == 0 and "nothing was added" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 40


def test_audit_verify_detects_a_changed_entry(app, runner):
    runner.invoke(args=["rescue", "create-organisation", "One"])
    runner.invoke(args=["rescue", "create-organisation", "Two"])
    intact = runner.invoke(args=["rescue", "audit", "verify"])
    assert intact.exit_code == 0 and "intact" in intact.output
    with app.app_context():
        first = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id))
        db.session.execute(update(AuditEntry).where(AuditEntry.id == first).values(action="organisation.deleted"))
        db.session.commit()
    broken = runner.invoke(args=["rescue", "audit", "verify"])
    assert broken.exit_code == 1
    assert f"broken at entry #{first}" in broken.output
