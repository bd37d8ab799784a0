"""Adding an attachment to a case, and opening one. Files leave the server only through here,
after the policy agreed, with no-store and nosniff."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from rescue.attachments import store
from rescue.attachments.forms import AttachmentForm
from rescue.audit import trail
from rescue.auth import policy
from rescue.auth.access import authorised, refuse
from rescue.cases.models import Attachment, Case
from rescue.extensions import db

bp = Blueprint("attachments", __name__, url_prefix="/cases/<int:case_id>/attachments")


@bp.route("", methods=["POST"])
@authorised("attachment.add", Case)
def add(case: Case):
    form = AttachmentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="attachments"))
    upload = form.file.data
    try:
        attachment = store.add(case, data=upload.read(), filename=upload.filename, kind=form.kind.data,
                               actor_id=current_user.id, address=request.remote_addr)
    except store.AttachmentRefused as refusal:
        db.session.rollback()
        flash(str(refusal.message), "error")
        return redirect(url_for("cases.show", case_id=case.id, _anchor="attachments"))
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        store.discard_file(attachment)  # nothing half-saved: no row, no file
        raise
    flash(_("The attachment is added."), "success")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="attachments"))


@bp.route("/<int:attachment_id>")
@authorised("case.view", Attachment, parent=(Case, "case_id"))
def open_file(case: Case, attachment: Attachment):
    if not policy.may_open_attachment(current_user, case, attachment.kind):
        refuse("attachment.open", case)
    data = store.read(attachment)
    trail.record("attachment.viewed", actor_id=current_user.id, object_type="case", object_id=case.id,
                 address=request.remote_addr, detail={"attachment": attachment.id})
    db.session.commit()
    disposition = "inline" if attachment.content_type.startswith("image/") else "attachment"
    response = Response(data, mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"attachment{attachment.filename[attachment.filename.rfind('.'):]}\"; "
        f"filename*=UTF-8''{quote(attachment.filename)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
