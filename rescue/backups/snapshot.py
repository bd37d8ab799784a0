"""Backups: a consistent snapshot of the database taken while the app runs (SQLite's online backup,
or pg_dump's snapshot), together with the sealed attachment files, in one archive encrypted with
RESCUE_BACKUP_KEY (rescue/backups/crypt.py); and its restore, which checks the whole file before it
touches anything.

Every file is its owner's only from the moment it exists: the archive, the database copy and the
password file for PostgreSQL's tools. Those tools get the password from that file (PGPASSFILE), never on
their command line, where any user of the machine could read it."""
from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from rescue.backups import crypt
from rescue.clock import utcnow
from rescue.core.sealing import key_id, parse_key
from rescue.extensions import db

FORMAT = 1


class BackupError(RuntimeError):
    pass


def backup_key(*, restoring: bool = False) -> bytes:
    """RESCUE_BACKUP_KEY, or a BackupError that says what to do."""
    configured = current_app.config.get("RESCUE_BACKUP_KEY")
    if not configured:
        if restoring:
            raise BackupError("RESCUE_BACKUP_KEY is not set. Backups are encrypted: set it to the key the backup "
                              "was taken with. Nothing was restored.")
        raise BackupError("RESCUE_BACKUP_KEY is not set. Backups are encrypted with it: set it to 32 random bytes, "
                          "base64 (flask --app wsgi rescue new-encryption-key makes one), and keep a copy apart "
                          "from the backups. Nothing was written.")
    try:
        return parse_key(configured)
    except ValueError as error:
        raise BackupError(f"RESCUE_BACKUP_KEY: {error}") from None


def _engine_name() -> str:
    return db.engine.dialect.name


def _private_file(path: Path) -> Path:
    """Create an empty file readable and writable by its owner only (before anything is written to it)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _libpq(work: Path) -> tuple[str, dict[str, str]]:
    """The database URL for pg_dump and pg_restore, without its password, and their environment, which
    gives the password through a password file of the work folder (0600), if the URL had one."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    password = url.password if url.password is not None else url.query.get("password")
    url = url._replace(password=None).difference_update_query(["password"])  # (.set ignores None)
    environment = dict(os.environ)
    if password is not None:
        passfile = _private_file(work / "pgpass")
        escaped = str(password).replace("\\", "\\\\").replace(":", "\\:")
        passfile.write_text(f"*:*:*:*:{escaped}\n")
        environment["PGPASSFILE"] = str(passfile)
        environment.pop("PGPASSWORD", None)
    return url.render_as_string(hide_password=False), environment


def _last_line(stderr: str) -> str:
    lines = (stderr or "").strip().splitlines()
    return lines[-1] if lines else "?"


def _sqlite_path() -> str:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database


def _counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _uploads() -> Path:
    return Path(current_app.config["RESCUE_UPLOAD_DIR"])


def take(destination: Path, key: bytes) -> dict:
    """Write an encrypted archive to `destination` (0600 from its creation); returns its manifest."""
    destination = Path(destination)
    engine = _engine_name()
    with tempfile.TemporaryDirectory(prefix="rescue-backup-") as work:  # 0700
        work = Path(work)
        if engine == "sqlite":
            dump = _private_file(work / "database.sqlite3")
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
            dump = _private_file(work / "database.pgdump")
            url, environment = _libpq(work)
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                                     f"--file={dump}", f"--dbname={url}"],
                                    capture_output=True, text=True, env=environment)
            if result.returncode != 0:
                raise BackupError("pg_dump failed: " + _last_line(result.stderr))
            counts, revision = None, db.session.scalar(text("SELECT version_num FROM alembic_version"))
        else:
            raise BackupError(f"backups of {engine} databases are not supported")
        manifest = {"format": FORMAT, "engine": engine, "taken_at": utcnow().isoformat(), "revision": revision,
                    "counts": counts, "key": key_id(key)}
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.",
                                           suffix=".partial")  # 0600 from the start
        try:
            with os.fdopen(handle, "wb") as stream:
                sealed = crypt.EncryptingWriter(stream, key)
                with tarfile.open(fileobj=sealed, mode="w|gz") as archive:
                    data = json.dumps(manifest, indent=2).encode()
                    info = tarfile.TarInfo("manifest.json")
                    info.size = len(data)
                    info.mode = 0o600
                    archive.addfile(info, io.BytesIO(data))
                    archive.add(dump, arcname=dump.name)
                    if _uploads().is_dir():
                        archive.add(_uploads(), arcname="uploads")
                sealed.finish()
                os.fsync(stream.fileno())
            os.replace(partial, destination)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


def _open_archive(source: Path, key: bytes, into: Path) -> dict:
    """Decrypt and unpack the archive into `into`, checking every byte of it; returns its manifest."""
    try:
        with open(source, "rb") as stream:
            reader = crypt.DecryptingReader(stream, key)
            with tarfile.open(fileobj=reader, mode="r|gz") as archive:
                archive.extractall(into, filter="data")
            reader.read_to_end()
    except crypt.NotABackup:
        raise BackupError("This file is not an encrypted backup of rescue. Nothing was restored.") from None
    except crypt.WrongKey as wrong:
        raise BackupError(f"This backup was encrypted with another key (key id {wrong.sealed_with}; "
                          f"RESCUE_BACKUP_KEY has key id {wrong.configured}). Nothing was restored.") from None
    except (crypt.Damaged, tarfile.TarError, EOFError, zlib.error):
        raise BackupError("The backup file is damaged, cut short or was changed after it was written. "
                          "Nothing was restored.") from None
    try:
        return json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError("The backup file has no manifest. Nothing was restored.") from None


def restore(source: Path, key: bytes) -> dict:
    """Bring back a snapshot taken by `take` into the configured database and upload folder. The whole
    archive is decrypted and checked first, then the files are put aside, then the database is replaced
    in one transaction, and only then do the files take the place of the current ones."""
    engine = _engine_name()
    with tempfile.TemporaryDirectory(prefix="rescue-restore-") as work:  # 0700
        work = Path(work)
        unpacked = work / "archive"
        unpacked.mkdir(mode=0o700)
        manifest = _open_archive(Path(source), key, unpacked)
        if manifest.get("format") != FORMAT or manifest.get("engine") != engine:
            raise BackupError(f"this backup is of a {manifest.get('engine')} database; this app uses {engine}")
        dump = unpacked / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        if not dump.is_file():
            raise BackupError("The backup file holds no database. Nothing was restored.")
        uploads = _uploads()
        uploads.parent.mkdir(parents=True, exist_ok=True)
        staging = uploads.parent / f".{uploads.name}.restoring-{secrets.token_hex(4)}"
        if (unpacked / "uploads").is_dir():
            shutil.copytree(unpacked / "uploads", staging)
        else:
            staging.mkdir(mode=0o700)
        try:
            db.session.remove()
            db.engine.dispose()
            if engine == "sqlite":
                target_path = Path(_sqlite_path())
                if not target_path.exists():
                    _private_file(target_path)
                source_db = sqlite3.connect(dump)
                target = sqlite3.connect(target_path)
                try:
                    with target:
                        source_db.backup(target)  # one step: all pages or none
                finally:
                    source_db.close()
                    target.close()
            else:
                url, environment = _libpq(work)
                result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                         "--single-transaction", f"--dbname={url}", str(dump)],
                                        capture_output=True, text=True, env=environment)
                if result.returncode != 0:
                    raise BackupError("pg_restore failed: " + _last_line(result.stderr))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        previous = uploads.parent / f".{uploads.name}.replaced-{secrets.token_hex(4)}"
        if uploads.exists():
            os.rename(uploads, previous)
        os.rename(staging, uploads)
        shutil.rmtree(previous, ignore_errors=True)
    return manifest


def counts() -> dict[str, int]:
    return _counts()
