"""A backup taken while the app writes restores into an empty database, complete and consistent."""
import threading

from flask_migrate import upgrade
from sqlalchemy import func, select

from rescue import create_app
from rescue.attachments import store
from rescue.audit import trail
from rescue.audit.models import AuditEntry
from rescue.cases.models import Attachment, Case
from rescue.extensions import db

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")


def _app(url, uploads):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RESCUE_UPLOAD_DIR": str(uploads)})


def _snapshot_of_records(app):
    with app.app_context():
        cases = [(c.number, c.family_name, c.native_name, c.status)
                 for c in db.session.scalars(select(Case).order_by(Case.id))]
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
                  for t in db.metadata.sorted_tables if t.name != "audit_entry"}
        return cases, counts


def test_backup_while_writing_then_restore_and_compare(databases, tmp_path):
    source = _app(databases.new("backup_source"), tmp_path / "uploads-source")
    with source.app_context():
        upgrade()
    assert source.test_cli_runner().invoke(args=["rescue", "seed-demo", "--cases", "25"]).exit_code == 0
    with source.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id))
        attachment = store.add(case, data=PNG, filename="face.png", kind="photo", actor_id=None, address=None)
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
        archive = tmp_path / "rescue-backup.tar.gz"
        result = source.test_cli_runner().invoke(args=["rescue", "backup", str(archive)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output

    target = _app(databases.new("backup_target"), tmp_path / "uploads-target")
    restored = target.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _snapshot_of_records(target) == records_before
    with target.app_context():
        # The audit trail came back whole: every entry written up to the snapshot, chain intact.
        assert trail.verify_all() is None
        assert db.session.scalar(select(func.count(AuditEntry.id))) > 0
        assert store.read(db.session.get(Attachment, attachment_id)) == PNG
    for app in (source, target):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_backup_of_another_engine_is_refused(databases, tmp_path):
    import io
    import json
    import tarfile

    archive = tmp_path / "other.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = json.dumps({"format": 1, "engine": "mysql"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    app = _app(databases.new("backup_refused"), tmp_path / "u")
    result = app.test_cli_runner().invoke(args=["rescue", "restore", str(archive), "--yes"])
    assert result.exit_code == 1
    assert "this backup is of a mysql database" in result.output
    with app.app_context():
        db.engine.dispose()
