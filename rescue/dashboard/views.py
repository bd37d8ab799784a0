"""The coordinator's dashboard: charts drawn here as SVG (no script, no outside assets), each with its table."""
from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from rescue.auth.access import guarded
from rescue.cases.labels import status_label
from rescue.clock import utcnow
from rescue.dashboard import figures
from rescue.i18n.choices import country_label

bp = Blueprint("dashboard", __name__)


def bars(rows: list[figures.Row], label) -> list[dict]:
    """Rows for a bar chart: label, value and the bar's length as a share of the largest."""
    largest = max((row.value for row in rows), default=0) or 1
    return [{"label": label(row.key), "value": row.value, "extra": row.extra, "share": row.value / largest}
            for row in rows]


_computed: dict[int, tuple[float, object, dict]] = {}
_lock = threading.Lock()


def _figures(organisation: int, overdue_days: int) -> tuple[object, dict]:
    """The organisation's figures, computed at most every RESCUE_DASHBOARD_SECONDS per process: a
    hub's coordinators opening the page together do not each scan a year of timelines."""
    lifetime = current_app.config["RESCUE_DASHBOARD_SECONDS"]
    now = time.monotonic()
    with _lock:
        cached = _computed.get(organisation)
        if cached and cached[0] > now:
            return cached[1], cached[2]
    data = {"status": figures.by_status(organisation), "nationality": figures.by_nationality(organisation),
            "waiting": figures.waiting_now(organisation), "stages": figures.time_in_stage(organisation),
            "missions": figures.referrals_by_mission(organisation, overdue_days),
            "operations": figures.operations(organisation),
            "overdue": figures.overdue_referrals(organisation, overdue_days)}
    taken = utcnow()
    if lifetime > 0:
        with _lock:
            _computed[organisation] = (now + lifetime, taken, data)
    return taken, data


@bp.route("/dashboard")
@guarded("dashboard.view")
def index():
    organisation = current_user.organisation_id
    overdue_days = current_app.config["RESCUE_REFERRAL_OVERDUE_DAYS"]
    taken, data = _figures(organisation, overdue_days)
    return render_template(
        "dashboard/index.html", taken=taken,
        by_status=bars(data["status"], status_label),
        by_nationality=bars(data["nationality"],
                            lambda code: country_label(code) if code else _("Other nationalities")),
        waiting=bars(data["waiting"], status_label),
        stages=bars(data["stages"], status_label),
        missions=bars(data["missions"], str),
        operations=data["operations"],
        overdue=data["overdue"],
        overdue_days=overdue_days,
    )
