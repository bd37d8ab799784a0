"""The coordinator's dashboard: charts drawn here as SVG (no script, no outside assets), each with its table."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from rescue.auth.access import guarded
from rescue.cases.labels import status_label
from rescue.dashboard import figures
from rescue.i18n.choices import country_label

bp = Blueprint("dashboard", __name__)


def bars(rows: list[figures.Row], label) -> list[dict]:
    """Rows for a bar chart: label, value and the bar's length as a share of the largest."""
    largest = max((row.value for row in rows), default=0) or 1
    return [{"label": label(row.key), "value": row.value, "extra": row.extra, "share": row.value / largest}
            for row in rows]


@bp.route("/dashboard")
@guarded("dashboard.view")
def index():
    organisation = current_user.organisation_id
    overdue_days = current_app.config["RESCUE_REFERRAL_OVERDUE_DAYS"]
    return render_template(
        "dashboard/index.html",
        by_status=bars(figures.by_status(organisation), status_label),
        by_nationality=bars(figures.by_nationality(organisation),
                            lambda code: country_label(code) if code else _("Other nationalities")),
        waiting=bars(figures.waiting_now(organisation), status_label),
        stages=bars(figures.time_in_stage(organisation), status_label),
        missions=bars(figures.referrals_by_mission(organisation, overdue_days), str),
        operations=figures.operations(organisation),
        overdue=figures.overdue_referrals(organisation, overdue_days),
        overdue_days=overdue_days,
    )
