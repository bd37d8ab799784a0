"""Backups: a snapshot taken while the app writes restores into an empty database, complete and consistent;
the archive is encrypted with RESCUE_BACKUP_KEY and readable by its owner only from its first byte; restore
refuses a missing or wrong key and a damaged file and then leaves everything as it was; PostgreSQL's tools
never see the database password on their command line."""
import base64
import gzip
import hashlib
import io
import json
import os
import stat
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from rescue import create_app
from rescue.attachments import store
from rescue.audit import trail
from rescue.audit.models import AuditEntry
from rescue.backups import crypt, snapshot
from rescue.cases.models import Attachment, Case
from rescue.core.sealing import new_key
from rescue.extensions import db
from tests.fixtures.factories import Factory
from tests.fixtures.scenarios import pdf_with_text

PDF = pdf_with_text("A letter from the embassy")
TEST_BACKUP_KEY = "dGVzdCBiYWNrdXAga2V5LCBmb3IgdGhlIHN1aXRlISE="  # config.TestConfig's
FAMILY, GIVEN, NATIVE = "QXMARKERFAMILYQX", "QXMARKERGIVENQX", "ឃឃឃសម្គាល់ឃឃឃ"


def _app(url, uploads, **settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RESCUE_UPLOAD_DIR": str(uploads), **settings})


def _close(*apps):
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _snapshot_of_records(app):
    with app.app_context():
        cases = [(c.number, c.family_name, c.native_name, c.status)
                 for c in db.session.scalars(select(Case).order_by(Case.id))]
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
                  for t in db.metadata.sorted_tables if t.name != "audit_entry"}
        return cases, counts


def _files_under(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _decrypt_independently(blob: bytes, key_text: str) -> bytes:
    """The documented format, read without the app's code: header, then AES-256-GCM chunks under a key
    derived with HKDF-SHA256 from the backup key and the file's salt, the last chunk marked in its nonce."""
    key = base64.urlsafe_b64decode(key_text)
    header = blob[:49]
    assert header[:4] == b"RSBK" and header[4] == 1
    assert header[5:13] == hashlib.sha256(b"rescue key id:" + key).hexdigest()[:8].encode()
    salt, chunk = header[13:45], int.from_bytes(header[45:49], "big")
    file_key = AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                           info=b"rescue backup file key v1").derive(key))
    body = blob[49:]
    pieces = [body[i:i + chunk + 16] for i in range(0, len(body), chunk + 16)]
    return b"".join(file_key.decrypt(n.to_bytes(11, "big") + (b"\x01" if n == len(pieces) - 1 else b"\x00"),
                                     piece, header) for n, piece in enumerate(pieces))


def test_backup_while_writing_then_restore_and_compare(databases, tmp_path):
    source = _app(databases.new("backup_source"), tmp_path / "uploads-source")
    with source.app_context():
        upgrade()
    assert source.test_cli_runner().invoke(args=["rescue", "seed-demo", "--cases", "25"]).exit_code == 0
    with source.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id))
        attachment = store.add(case, data=PDF, filename="letter.pdf", kind="scan", actor_id=None, address=None)
        db.session.commit()
        attachment_id = attachment.id
    records_before = _snapshot_of_records(source)

    stop = threading.Event()

    def keep_writing():
        with source.app_context():
            while not stop.is_set():
                trail.record("case.viewed", object_type="case", object_id=1)
                db.session.commit()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        archive = tmp_path / "rescue.backup"
        result = source.test_cli_runner().invoke(args=["rescue", "backup", str(archive)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    target = _app(databases.new("backup_target"), tmp_path / "uploads-target")
    restored = target.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _snapshot_of_records(target) == records_before
    with target.app_context():
        # The audit trail came back whole: every entry written up to the snapshot, chain intact.
        assert trail.verify_all() is None
        assert db.session.scalar(select(func.count(AuditEntry.id))) > 0
        assert store.read(db.session.get(Attachment, attachment_id)) == PDF
    _close(source, target)


def test_the_archive_is_private_from_its_first_byte_and_holds_nothing_readable(databases, tmp_path, monkeypatch):
    source = _app(databases.new("backup_private"), tmp_path / "uploads")
    with source.app_context():
        upgrade()
    factory = Factory(source)
    organisation = factory.organisation()
    factory.case(organisation, family_name=FAMILY, given_names=GIVEN, native_name=NATIVE)
    coordinator = factory.user("coordinator", organisation=organisation)

    modes = []
    real_write = crypt.EncryptingWriter.write

    def watching_write(self, data):
        modes.append(stat.S_IMODE(os.fstat(self._stream.fileno()).st_mode))
        return real_write(self, data)

    monkeypatch.setattr(crypt.EncryptingWriter, "write", watching_write)
    archive = tmp_path / "out" / "rescue.backup"
    previous_umask = os.umask(0)  # even a careless umask does not widen it
    try:
        result = source.test_cli_runner().invoke(args=["rescue", "backup", str(archive)])
    finally:
        os.umask(previous_umask)
    assert result.exit_code == 0, result.output
    assert modes and set(modes) == {0o600}  # while it was written
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in archive.parent.iterdir()) == ["rescue.backup"]  # no partial file left

    blob = archive.read_bytes()
    secret = coordinator.totp_secret
    for needle in (FAMILY, GIVEN, NATIVE, secret, coordinator.email):
        assert needle.encode() not in blob
        assert needle.lower().encode() not in blob.lower()
    # Yet it is all there for the holder of the key, and even inside, the two-factor key is sealed.
    inner = tarfile.open(fileobj=io.BytesIO(gzip.decompress(_decrypt_independently(blob, TEST_BACKUP_KEY))))  # noqa: SIM115
    names = inner.getnames()
    assert "manifest.json" in names
    if databases.dialect == "sqlite":
        database = inner.extractfile("database.sqlite3").read()
    else:
        inner.extractall(tmp_path / "inner", filter="data")
        dump = str(tmp_path / "inner" / "database.pgdump")
        database = subprocess.run(["pg_restore", "--data-only", "--file=-", dump], capture_output=True, check=True).stdout
    assert FAMILY.encode() in database and NATIVE.encode() in database
    assert secret.encode() not in database
    _close(source)


def test_backup_refuses_without_a_key(databases, tmp_path):
    app = _app(databases.new("backup_nokey"), tmp_path / "u", RESCUE_BACKUP_KEY=None)
    with app.app_context():
        upgrade()
    folder = tmp_path / "backups"
    folder.mkdir()
    result = app.test_cli_runner().invoke(args=["rescue", "backup", str(folder / "rescue.backup")])
    assert result.exit_code == 1
    assert "RESCUE_BACKUP_KEY is not set" in result.output
    assert "Nothing was written." in result.output
    assert list(folder.iterdir()) == []
    _close(app)


def test_restore_refuses_a_missing_or_wrong_key_and_a_damaged_file_and_changes_nothing(databases, tmp_path):
    source = _app(databases.new("restore_source"), tmp_path / "uploads-source")
    with source.app_context():
        upgrade()
    source_factory = Factory(source)
    written = source_factory.case(source_factory.organisation(), family_name=FAMILY, given_names=GIVEN,
                                  native_name=NATIVE)
    with source.app_context():  # a large scan makes an archive of several chunks
        store.add(db.session.get(Case, written.id), data=pdf_with_text("A large scan", padding=os.urandom(2_500_000).replace(b"/", b"x")),
                  filename="scan.pdf", kind="scan", actor_id=None, address=None)
        db.session.commit()
    archive = tmp_path / "good.backup"
    taken = source.test_cli_runner().invoke(args=["rescue", "backup", str(archive)])
    assert taken.exit_code == 0, taken.output
    records_of_source = _snapshot_of_records(source)

    target = _app(databases.new("restore_target"), tmp_path / "uploads-target")
    with target.app_context():
        upgrade()
    target_factory = Factory(target)
    kept = target_factory.case(target_factory.organisation(), family_name="KEPT", given_names="Here")
    with target.app_context():
        store.add(db.session.get(Case, kept.id), data=PDF, filename="kept.pdf", kind="scan", actor_id=None,
                  address=None)
        db.session.commit()
    records_of_target = _snapshot_of_records(target)
    uploads_of_target = _files_under(tmp_path / "uploads-target")
    assert records_of_target != records_of_source and uploads_of_target

    good = archive.read_bytes()
    chunk = int.from_bytes(good[45:49], "big")
    assert len(good) > 49 + 2 * (chunk + 16)

    def variant(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    def flipped(position):
        data = bytearray(good)
        data[position] ^= 0x01
        return bytes(data)

    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        data = json.dumps({"format": 1, "engine": databases.dialect}).encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

    damaged = "The backup file is damaged, cut short or was changed after it was written. Nothing was restored."
    attempts = [
        ("no key", archive, {"RESCUE_BACKUP_KEY": None}, "RESCUE_BACKUP_KEY is not set"),
        ("wrong key", archive, {"RESCUE_BACKUP_KEY": new_key()}, "This backup was encrypted with another key"),
        ("cut in the middle", variant("cut.backup", good[:len(good) // 2]), {}, damaged),
        ("cut after the header", variant("header.backup", good[:49]), {}, damaged),
        ("cut at a chunk's end", variant("boundary.backup", good[:49 + 2 * (chunk + 16)]), {}, damaged),
        ("last byte cut", variant("short.backup", good[:-1]), {}, damaged),
        ("byte added", variant("long.backup", good + b"\x00"), {}, damaged),
        ("byte flipped in the salt", variant("salt.backup", flipped(20)), {}, damaged),
        ("byte flipped in the middle", variant("middle.backup", flipped(len(good) // 2)), {}, damaged),
        ("last byte flipped", variant("tag.backup", flipped(len(good) - 1)), {}, damaged),
        ("not encrypted", variant("plain.tar.gz", plain.getvalue()), {}, "This file is not an encrypted backup"),
    ]
    for label, path, settings, message in attempts:
        saved = {name: target.config.get(name) for name in settings}
        target.config.update(settings)
        try:
            result = target.test_cli_runner().invoke(args=["rescue", "restore", str(path), "--yes"])
        finally:
            target.config.update(saved)
        assert result.exit_code == 1, label
        assert message in result.output, (label, result.output)
        assert _snapshot_of_records(target) == records_of_target, label
        assert _files_under(tmp_path / "uploads-target") == uploads_of_target, label
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], label

    restored = target.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _snapshot_of_records(target) == records_of_source
    _close(source, target)


def test_a_backup_of_another_engine_is_refused(databases, tmp_path):
    manifest = io.BytesIO()
    with tarfile.open(fileobj=manifest, mode="w:gz") as tar:
        data = json.dumps({"format": 1, "engine": "mysql"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    archive = tmp_path / "other.backup"
    with open(archive, "wb") as stream:
        writer = crypt.EncryptingWriter(stream, base64.urlsafe_b64decode(TEST_BACKUP_KEY))
        writer.write(manifest.getvalue())
        writer.finish()
    app = _app(databases.new("backup_refused"), tmp_path / "u")
    result = app.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert result.exit_code == 1
    assert "this backup is of a mysql database" in result.output
    _close(app)


PASSWORD = "s3cr:et\\pw@/x%20y"


def _spy_on_tools(monkeypatch, *, fake: bool):
    """Record every command the backup runs, its environment and the password file it was given;
    run the real tool unless `fake`."""
    calls = []
    real_run = subprocess.run

    def run(argv, **kwargs):
        env = kwargs.get("env") or {}
        passfile = env.get("PGPASSFILE")
        seen = {"argv": list(argv), "env": dict(env), "passfile": None, "passfile_mode": None}
        if passfile:
            seen["passfile"] = Path(passfile).read_text()
            seen["passfile_mode"] = stat.S_IMODE(os.stat(passfile).st_mode)
        calls.append(seen)
        if not fake:
            return real_run(argv, **kwargs)
        if argv[0] == "pg_dump":
            dump = next(a.split("=", 1)[1] for a in argv if a.startswith("--file="))
            with open(dump, "wb") as stream:
                stream.write(b"PGDMP pretend dump")
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(snapshot.subprocess, "run", run)
    return calls


def _assert_no_password_on_the_command_line(calls, password, database_argument):
    for call in calls:
        command_line = " ".join(call["argv"])
        assert password not in command_line
        assert password.split(":")[0] not in command_line
        assert f"--dbname={database_argument}" in call["argv"]
        escaped = password.replace("\\", "\\\\").replace(":", "\\:")
        assert call["passfile"] == f"*:*:*:*:{escaped}\n"
        assert call["passfile_mode"] == 0o600
        assert "PGPASSWORD" not in call["env"]
        assert not os.path.exists(call["env"]["PGPASSFILE"])  # gone with the work folder


def test_pg_dump_and_pg_restore_get_the_password_from_a_private_file(databases, tmp_path, monkeypatch):
    app = _app(databases.new("pg_arguments"), tmp_path / "u")
    with app.app_context():
        upgrade()
    monkeypatch.setenv("PGPASSWORD", "inherited-from-the-shell")
    monkeypatch.setattr(snapshot, "_engine_name", lambda: "postgresql")
    monkeypatch.setitem(app.config, "SQLALCHEMY_DATABASE_URI", make_url(
        "postgresql+psycopg://rescue@db.internal:5432/rescue").set(password=PASSWORD).render_as_string(False))
    calls = _spy_on_tools(monkeypatch, fake=True)
    archive = tmp_path / "pg.backup"
    taken = app.test_cli_runner().invoke(args=["rescue", "backup", str(archive)])
    assert taken.exit_code == 0, taken.output
    restored = app.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert [c["argv"][0] for c in calls] == ["pg_dump", "pg_restore"]
    _assert_no_password_on_the_command_line(calls, PASSWORD, "postgresql://rescue@db.internal:5432/rescue")
    _close(app)


def test_a_real_postgresql_backup_with_a_password_in_the_url(databases, tmp_path, monkeypatch):
    if databases.dialect != "postgresql":
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    source_url = make_url(databases.new("pg_real_source")).set(password=PASSWORD)
    target_url = make_url(databases.new("pg_real_target")).set(password=PASSWORD)
    source = _app(source_url.render_as_string(False), tmp_path / "us")
    with source.app_context():
        upgrade()
    factory = Factory(source)
    factory.case(factory.organisation(), family_name=FAMILY, given_names=GIVEN, native_name=NATIVE)
    records = _snapshot_of_records(source)
    calls = _spy_on_tools(monkeypatch, fake=False)
    archive = tmp_path / "real.backup"
    taken = source.test_cli_runner().invoke(args=["rescue", "backup", str(archive)])
    assert taken.exit_code == 0, taken.output
    target = _app(target_url.render_as_string(False), tmp_path / "ut")
    restored = target.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _snapshot_of_records(target) == records
    assert [c["argv"][0] for c in calls] == ["pg_dump", "pg_restore"]
    for call, url in zip(calls, (source_url, target_url), strict=False):
        without_password = f"postgresql://{url.username}@{url.host}:{url.port or 5432}/{url.database}"
        _assert_no_password_on_the_command_line([call], PASSWORD, without_password)
    _close(source, target)
