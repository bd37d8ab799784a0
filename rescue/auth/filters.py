"""Template filters for accounts."""
from __future__ import annotations

from flask import Flask

from rescue.auth.labels import role_label


def register(app: Flask) -> None:
    app.jinja_env.filters.update(role=role_label)
