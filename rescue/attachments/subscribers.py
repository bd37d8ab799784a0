"""Sealed files leave with their case: on erasure and on anonymisation, the files of the case's attachments
are removed once the database change has committed. And the upload form on the case page (rescue/cases/page.py)."""
from __future__ import annotations

import logging

from sqlalchemy import select

from rescue.attachments import store
from rescue.attachments.forms import AttachmentForm
from rescue.cases import events, page
from rescue.cases.models import Attachment, Case
from rescue.core.after_commit import after_commit
from rescue.extensions import db

log = logging.getLogger(__name__)


@events.case_erasing.connect
@events.case_anonymising.connect
def discard_files(case: Case, **_details) -> None:
    keys = list(db.session.scalars(select(Attachment.storage_key).where(Attachment.case_id == case.id)))
    if not keys:
        return

    def remove() -> None:
        for key in keys:
            try:
                store.path_for(key).unlink(missing_ok=True)
            except OSError:
                log.exception("could not remove the sealed file of an attachment of case %s", case_id)

    case_id = case.id
    after_commit(db.session(), remove)


def _upload_form(case: Case, reader, today, bound: dict) -> AttachmentForm:
    return bound.get("attachment_form") or AttachmentForm()


page.register_panel("attachment_form", _upload_form)
