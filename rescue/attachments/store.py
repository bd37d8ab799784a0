"""Attachments on disk: sealed, outside static/, named by a random key, written atomically."""
from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from rescue.attachments import content, images
from rescue.audit import trail
from rescue.cases.models import Attachment, Case
from rescue.core.sealing import keyring
from rescue.extensions import db


class AttachmentRefused(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _folder() -> Path:
    folder = Path(current_app.config["RESCUE_UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def path_for(storage_key: str) -> Path:
    if not storage_key.isalnum():
        raise ValueError("bad storage key")
    return _folder() / storage_key[:2] / storage_key


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add(case: Case, *, data: bytes, filename: str | None, kind: str, actor_id: int | None,
        address: str | None) -> Attachment:
    """Check, seal and store a file for `case`; the caller commits (and the file is removed if it does not)."""
    from flask_babel import lazy_gettext as _l
    from flask_babel import lazy_ngettext

    limit_mb = current_app.config["RESCUE_MAX_ATTACHMENT_MB"]
    if not data:
        raise AttachmentRefused(_l("The file is empty."))
    if len(data) > limit_mb * 1024 * 1024:
        raise AttachmentRefused(lazy_ngettext("This file is too large: the limit is %(num)s MB.",
                                              "This file is too large: the limit is %(num)s MB.", limit_mb))
    content_type = content.sniff(data[:content.SNIFF_BYTES])
    if content_type is None:
        raise AttachmentRefused(_l("Only photos (JPEG, PNG, WebP, HEIC) and PDF documents can be added."))
    if content_type == "application/pdf":
        if kind == "photo":
            raise AttachmentRefused(_l("A photo of the person must be a picture (JPEG, PNG, WebP or HEIC)."))
        problem = content.pdf_problem(data)
        if problem == "active":
            raise AttachmentRefused(_l("This PDF holds programs or actions that open with it, so it cannot be "
                                       "added. Print it to a new PDF, or scan the paper, and add that."))
        if problem == "unreadable":
            raise AttachmentRefused(_l("This PDF cannot be read: the file may be damaged or not really a PDF."))
    size = None
    if content_type in images.INPUT_TYPES:
        # Pictures are stored as their pixels only: no location, device, dates or comments (images.py).
        try:
            picture = images.clean(data, content_type)
        except images.PictureRefused as refusal:
            if refusal.reason == "too_many_pixels":
                raise AttachmentRefused(_l(
                    "This picture has too many pixels to be processed. Please add a smaller picture.")) from None
            raise AttachmentRefused(_l(
                "This picture cannot be read: the file may be damaged or not really a picture.")) from None
        data, content_type, size = picture.data, picture.content_type, (picture.width, picture.height)
    ring = keyring()
    storage_key = secrets.token_hex(16)
    _write_atomically(path_for(storage_key), ring.seal(data))
    attachment = Attachment(
        case_id=case.id, kind=kind, width=size[0] if size else None, height=size[1] if size else None, filename=content.display_name(filename, content_type),
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        storage_key=storage_key, key_id=ring.current_id, uploaded_by_id=actor_id,
    )
    db.session.add(attachment)
    db.session.flush()
    trail.record("attachment.uploaded", actor_id=actor_id, object_type="case", object_id=case.id,
                 address=address, detail={"attachment": attachment.id, "kind": kind, "size": len(data)})
    return attachment


def discard_file(attachment: Attachment) -> None:
    path_for(attachment.storage_key).unlink(missing_ok=True)


def read(attachment: Attachment) -> bytes:
    data = keyring().open(path_for(attachment.storage_key).read_bytes())
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValueError("the stored file does not match its record")
    return data


def rotate() -> int:
    """Re-seal every file that is not sealed with the current key. Old keys must still be configured
    (RESCUE_ENCRYPTION_OLD_KEYS) until this has finished. Each file is replaced atomically, so an
    interrupted rotation loses nothing and can simply be run again."""
    ring = keyring()
    rotated = 0
    for attachment in db.session.scalars(select(Attachment).where(
            (Attachment.key_id != ring.current_id) | Attachment.key_id.is_(None))):
        path = path_for(attachment.storage_key)
        data = ring.open(path.read_bytes())
        _write_atomically(path, ring.seal(data))
        attachment.key_id = ring.current_id
        db.session.commit()
        rotated += 1
    if rotated:
        trail.record("encryption.key_rotated", detail={"files": rotated, "key": ring.current_id})
        db.session.commit()
    return rotated
