"""Rendered documents kept by their content: the same HTML and the same embedded files give the same
PDF, so printing an unchanged document again costs a file read. Entries are sealed like attachments
(they hold personal data), live under RESCUE_DOCUMENT_CACHE_DIR, expire after
RESCUE_DOCUMENT_CACHE_HOURS, and the whole cache is emptied when a case is erased or anonymised. On a
deployment of several machines, each with its own cache, an entry older than the latest erasure or
anonymisation anywhere (read from the audit trail) is never served and goes at once."""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from rescue import clock
from rescue.audit.models import AuditEntry
from rescue.core.sealing import SealError, keyring
from rescue.extensions import db

# Audit entries after which no document rendered earlier may be served: it may hold the person removed.
REMOVALS = ("case.erased", "case.anonymised")

log = logging.getLogger(__name__)


def key_for(html: str, memory: Mapping[str, tuple[bytes, str]], options: str = "") -> str:
    digest = hashlib.sha256()
    digest.update(html.encode("utf-8"))
    for name in sorted(memory):
        data, content_type = memory[name]
        digest.update(b"\0" + name.encode() + b"\0" + content_type.encode() + b"\0" + hashlib.sha256(data).digest())
    digest.update(b"\0" + options.encode())
    return digest.hexdigest()


def _folder() -> Path | None:
    folder = current_app.config.get("RESCUE_DOCUMENT_CACHE_DIR")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _lifetime() -> float:
    return float(current_app.config.get("RESCUE_DOCUMENT_CACHE_HOURS", 24)) * 3600


def _last_removal() -> float:
    """When a person's data was last erased or anonymised, on any machine (0 when never)."""
    at = db.session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action.in_(REMOVALS)))
    return at.replace(tzinfo=UTC).timestamp() if at is not None else 0.0


def _now() -> float:
    """The clock's time as a timestamp, comparable with a file's modification time."""
    return clock.utcnow().replace(tzinfo=UTC).timestamp()


def get(key: str) -> bytes | None:
    """The document kept under this key, or None: never kept, past its lifetime (then it goes at once,
    and the caller renders it again) or unreadable."""
    folder = _folder()
    if folder is None:
        return None
    path = folder / key[:2] / key
    try:
        written = path.stat().st_mtime
        if _now() - written >= _lifetime() or written <= _last_removal():
            path.unlink(missing_ok=True)
            return None
        return keyring().open(path.read_bytes())
    except FileNotFoundError:
        return None
    except SealError:
        log.warning("cached document %s could not be opened (damaged, or sealed with a retired key): rendered again",
                    key[:12])
        path.unlink(missing_ok=True)
        return None


def put(key: str, document: bytes) -> None:
    folder = _folder()
    if folder is None:
        return
    target = folder / key[:2] / key
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(keyring().seal(document))
    os.replace(temporary, target)


def clear() -> None:
    folder = _folder()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def prune() -> int:
    """Remove entries past their lifetime (and writes left half done as long ago); returns how many
    went. Safe beside running renders: a file being written is younger than any lifetime, and one that
    another process removed first is skipped."""
    folder = _folder()
    if folder is None:
        return 0
    removed, cutoff, removal = 0, _now() - _lifetime(), _last_removal()
    for path in folder.glob("*/*"):
        try:
            if path.is_file() and (path.stat().st_mtime <= cutoff or path.stat().st_mtime <= removal):
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
