"""Template filters for attachments."""
from __future__ import annotations

from flask import Flask

from rescue.attachments.forms import KIND_LABELS


def register(app: Flask) -> None:
    app.jinja_env.filters.update(attachment_kind=lambda kind: str(KIND_LABELS.get(kind, kind)))
