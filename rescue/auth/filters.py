"""Template filters and terms for accounts: `{{ user.role|role }}`, `current_user.role == Role.COORDINATOR`."""
from __future__ import annotations

from flask import Flask

from rescue.auth.labels import role_label
from rescue.auth.roles import Role


def register(app: Flask) -> None:
    app.jinja_env.filters.update(role=role_label)
    app.jinja_env.globals.update(Role=Role)
