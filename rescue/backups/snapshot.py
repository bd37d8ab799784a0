"""Backups: a consistent snapshot of the database taken while the app runs (SQLite's online backup,
or pg_dump's snapshot), together with the sealed attachment files, in one archive; and its restore."""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from rescue.clock import utcnow
from rescue.extensions import db

FORMAT = 1


class BackupError(RuntimeError):
    pass


def _engine_name() -> str:
    return db.engine.dialect.name


def _libpq_url() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sqlite_path() -> str:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database


def _counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _uploads() -> Path:
    return Path(current_app.config["RESCUE_UPLOAD_DIR"])


def take(destination: Path) -> dict:
    """Write a .tar.gz archive to `destination`; returns its manifest."""
    destination = Path(destination)
    engine = _engine_name()
    with tempfile.TemporaryDirectory(prefix="rescue-backup-") as work:
        work = Path(work)
        if engine == "sqlite":
            dump = work / "database.sqlite3"
            source = sqlite3.connect(_sqlite_path())
            target = sqlite3.connect(dump)
            with target:
                source.backup(target)  # online and consistent, even while the app writes
            source.close()
            target.close()
            snapshot = sqlite3.connect(dump)
            counts = {t.name: snapshot.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
                      for t in db.metadata.sorted_tables}
            revision = snapshot.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            snapshot.close()
        elif engine == "postgresql":
            dump = work / "database.pgdump"
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                                     f"--file={dump}", f"--dbname={_libpq_url()}"], capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError("pg_dump failed: " + result.stderr.strip().splitlines()[-1:][0]
                                  if result.stderr.strip() else "pg_dump failed")
            counts, revision = None, db.session.scalar(text("SELECT version_num FROM alembic_version"))
        else:
            raise BackupError(f"backups of {engine} databases are not supported")
        manifest = {"format": FORMAT, "engine": engine, "taken_at": utcnow().isoformat(), "revision": revision,
                    "counts": counts}
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            if _uploads().is_dir():
                archive.add(_uploads(), arcname="uploads")
        os.replace(partial, destination)
        os.chmod(destination, 0o600)
    return manifest


def restore(source: Path) -> dict:
    """Bring back a snapshot taken by `take` into the configured database and upload folder."""
    engine = _engine_name()
    with tempfile.TemporaryDirectory(prefix="rescue-restore-") as work:
        work = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT or manifest.get("engine") != engine:
            raise BackupError(f"this backup is of a {manifest.get('engine')} database; this app uses {engine}")
        db.session.remove()
        db.engine.dispose()
        if engine == "sqlite":
            source_db = sqlite3.connect(work / "database.sqlite3")
            target = sqlite3.connect(_sqlite_path())
            with target:
                source_db.backup(target)
            source_db.close()
            target.close()
        else:
            result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                     "--single-transaction", f"--dbname={_libpq_url()}",
                                     str(work / "database.pgdump")], capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError("pg_restore failed: " + (result.stderr.strip().splitlines() or ["?"])[-1])
        uploads = _uploads()
        if uploads.exists():
            shutil.rmtree(uploads)
        if (work / "uploads").is_dir():
            shutil.copytree(work / "uploads", uploads)
    return manifest


def counts() -> dict[str, int]:
    return _counts()
