"""Template filters for organisations."""
from __future__ import annotations

from flask import Flask

from rescue.organisations.labels import kind_label


def register(app: Flask) -> None:
    app.jinja_env.filters.update(org_kind=kind_label)
