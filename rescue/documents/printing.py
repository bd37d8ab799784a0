"""Printing one document: the template gets plain data built for one recipient, in the language chosen
at print time; the renderer (pdf.py) lays it out; the cache keeps it by content; the timeline and the
audit trail say who printed what, for whom, in which language."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Response, render_template
from flask_babel import force_locale
from markupsafe import Markup

from rescue.audit import trail
from rescue.cases.models import TimelineEvent
from rescue.documents import cache, pdf
from rescue.i18n.choices import locale_choices


def print_languages() -> list[str]:
    return [code for code, _name in locale_choices()]


def language_or(default: str, wanted: str | None) -> str:
    return wanted if wanted in print_languages() else default


def html_for(template: str, *, language: str, **data) -> str:
    with force_locale(language):
        return render_template(f"pdf/{template}.html", **data)


def part(template: str, *, language: str, **data) -> Markup:
    """A piece of a document in one language (bilingual forms put two side by side)."""
    return Markup(html_for(template, language=language, **data))


def render(html: str, *, memory: Mapping[str, tuple[bytes, str]] | None = None, isolated: bool = True) -> bytes:
    memory = dict(memory or {})
    key = cache.key_for(html, memory)
    cached = cache.get(key)
    if cached is not None:
        return cached
    document = pdf.render_pdf(html, memory=memory, isolated=isolated).pdf
    cache.put(key, document)
    return document


def record(case, *, kind: str, user, language: str, recipient: str | None = None, address: str | None = None,
           batch: int | None = None) -> None:
    """Every document generated is on the case's timeline and in the audit trail."""
    case.timeline.append(TimelineEvent(kind="document_printed", actor_id=user.id, text=kind))
    trail.record("document.printed", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"document": kind, "recipient": recipient, "language": language, "batch": batch})


def record_for(case_id: int, *, kind: str, user_id: int, language: str, recipient: str | None = None,
               batch: int | None = None) -> None:
    """The same, by the case's id, for batches that do not keep every case in memory."""
    from rescue.extensions import db

    db.session.add(TimelineEvent(case_id=case_id, kind="document_printed", actor_id=user_id, text=kind))
    trail.record("document.printed", actor_id=user_id, object_type="case", object_id=case_id,
                 detail={"document": kind, "recipient": recipient, "language": language, "batch": batch})


def pdf_response(document: bytes, filename: str) -> Response:
    response = Response(document, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
