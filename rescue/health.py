"""The health check, for load balancers and monitors: part of the composition root, beside the app factory."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from rescue.auth.access import guarded
from rescue.auth.policy import PUBLIC
from rescue.extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@guarded(PUBLIC)
def healthz():
    """For load balancers and monitors: no personal data, only whether the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "unavailable", database=database), status
