"""Template filters and globals for printed documents."""
from __future__ import annotations

from flask import Flask

from rescue.cases.labels import label
from rescue.documents.kinds import DocumentKind
from rescue.documents.labels import RECIPIENT_LABELS, STANDING_LABELS
from rescue.documents.pdf import asset_url


def register(app: Flask) -> None:
    app.jinja_env.globals["pdf_asset"] = asset_url
    app.jinja_env.filters.update(
        document_name=DocumentKind.label_of,
        standing=lambda key: label(STANDING_LABELS, key),
        recipient=lambda key: label(RECIPIENT_LABELS, key),
    )
