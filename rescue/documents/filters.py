"""Template filters and globals for printed documents."""
from __future__ import annotations

from flask import Flask

from rescue.documents.labels import DOCUMENT_NAMES, RECIPIENT_LABELS, STANDING_LABELS
from rescue.documents.pdf import asset_url


def _label(labels: dict, key: str | None) -> str:
    return str(labels.get(key, key or ""))


def register(app: Flask) -> None:
    app.jinja_env.globals["pdf_asset"] = asset_url
    app.jinja_env.filters.update(
        document_name=lambda key: _label(DOCUMENT_NAMES, key),
        standing=lambda key: _label(STANDING_LABELS, key),
        recipient=lambda key: _label(RECIPIENT_LABELS, key),
    )
