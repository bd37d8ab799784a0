"""Rendered documents kept by their content: the same HTML and the same embedded files give the same
PDF, so printing an unchanged document again costs a file read. Entries are sealed like attachments
(they hold personal data), live under RESCUE_DOCUMENT_CACHE_DIR, expire after
RESCUE_DOCUMENT_CACHE_HOURS, and the whole cache is emptied when a case is erased."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from flask import current_app

from rescue.attachments.sealing import SealError
from rescue.attachments.store import keyring


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


def get(key: str) -> bytes | None:
    folder = _folder()
    if folder is None:
        return None
    path = folder / key[:2] / key
    try:
        if time.time() - path.stat().st_mtime > _lifetime():
            path.unlink(missing_ok=True)
            return None
        return keyring().open(path.read_bytes())
    except (FileNotFoundError, SealError):
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
    """Remove expired entries; returns how many went."""
    folder = _folder()
    if folder is None:
        return 0
    removed, cutoff = 0, time.time() - _lifetime()
    for path in folder.glob("*/*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
