"""What every page knows: the reader's language and direction, the places the policy lets them go, and how
many notices wait for them. Part of the composition root: it names endpoints of every capability."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from rescue.auth import policy
from rescue.i18n.choices import locale_choices
from rescue.i18n.locale import html_lang, text_direction
from rescue.inbox.notices import unread_count

# (endpoint, label, action the policy must allow)
NAVIGATION = (
    ("consular.inbox", _l("Mission inbox"), "referral.inbox"),
    ("dashboard.index", _l("Dashboard"), "dashboard.view"),
    ("cases.index", _l("Cases"), "case.list"),
    ("intake.index", _l("Intake"), "case.create"),
    ("locating.reports", _l("Still held"), "report.list"),
    ("operations.index", _l("Operations"), "operation.list"),
    ("consular.organisation_referrals", _l("Referrals"), "referral.list"),
    ("consular.returning.follow_ups", _l("Follow-ups"), "follow_up.list"),
    ("consular.rolls.index", _l("Nominal rolls"), "roll.list"),
    ("jobs.index", _l("Printing"), "job.print"),
    ("consular.directory", _l("Consulates"), "mission.directory"),
    ("admin.users", _l("Users"), "admin.users"),
    ("admin.organisations", _l("Organisations"), "admin.organisations"),
    ("admin.missions", _l("Missions"), "admin.missions"),
    ("admin.audit.index", _l("Audit trail"), "audit.view"),
)


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [(endpoint, str(label)) for endpoint, label, action in NAVIGATION if policy.allows(current_user, action)]


def _unread() -> int | None:
    if not current_user.is_authenticated or not policy.allows(current_user, "inbox.view"):
        return None
    return unread_count(current_user.id)


def register(app: Flask) -> None:
    @app.context_processor
    def page_context():
        locale = get_locale()
        return {
            "html_lang": html_lang(locale),
            "text_direction": text_direction(locale),
            "current_locale": str(locale),
            "locales": locale_choices(),
            "navigation": navigation(),
            "unread_notices": _unread(),
        }

    app.jinja_env.policies["ext.i18n.trimmed"] = True  # matches babel.cfg
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
