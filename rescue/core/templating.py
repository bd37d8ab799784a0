"""What every template can use: language and direction, navigation by role, labels and formats."""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import format_date, format_datetime, format_number, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from rescue.attachments.forms import KIND_LABELS as ATTACHMENT_KIND_LABELS
from rescue.audit.labels import action_label, detail_text, is_sensitive, outcome_label, record_label
from rescue.auth import policy
from rescue.auth.labels import role_label
from rescue.cases.forms import NOTE_KIND_LABELS
from rescue.cases.labels import (
    DOCUMENT_KIND_LABELS,
    DOCUMENT_STATUS_LABELS,
    EXPLOITATION_LABELS,
    LEGAL_STATUS_LABELS,
    RECRUITMENT_CHANNEL_LABELS,
    RISK_LABELS,
    VULNERABILITY_LABELS,
    blocked_reason,
    consent_decision_label,
    consent_purpose_label,
    label,
    sex_label,
    status_label,
)
from rescue.consular.labels import (
    EVIDENCE_LABELS,
    FOLLOW_UP_OUTCOME_LABELS,
    REFERRAL_STATUS_LABELS,
    TIMELINE_LABELS,
    TRAVEL_DOCUMENT_KIND_LABELS,
    TRAVEL_DOCUMENT_STATUS_LABELS,
)
from rescue.consular.labels import label as consular_label
from rescue.documents.labels import DOCUMENT_NAMES, JOB_STATUS_LABELS, RECIPIENT_LABELS, STANDING_LABELS
from rescue.documents.pdf import asset_url
from rescue.i18n.choices import country_label, locale_choices
from rescue.i18n.locale import html_lang, text_direction
from rescue.jobs.forms import KIND_LABELS, OUTPUT_LABELS
from rescue.locating.forms import RELIABILITY_LABELS, REPORT_STATUS_LABELS, SOURCE_LABELS
from rescue.organisations.labels import kind_label

# (endpoint, label, action the policy must allow)
NAVIGATION = (
    ("consular.inbox", _l("Mission inbox"), "referral.inbox"),
    ("dashboard.index", _l("Dashboard"), "dashboard.view"),
    ("cases.index", _l("Cases"), "case.list"),
    ("intake.index", _l("Intake"), "case.create"),
    ("locating.reports", _l("Still held"), "report.list"),
    ("operations.index", _l("Operations"), "operation.list"),
    ("consular.organisation_referrals", _l("Referrals"), "referral.list"),
    ("returning.follow_ups", _l("Follow-ups"), "follow_up.list"),
    ("rolls.index", _l("Nominal rolls"), "roll.list"),
    ("jobs.index", _l("Printing"), "job.print"),
    ("consular.directory", _l("Consulates"), "mission.directory"),
    ("admin.users", _l("Users"), "admin.users"),
    ("admin.organisations", _l("Organisations"), "admin.organisations"),
    ("admin.missions", _l("Missions"), "admin.missions"),
    ("audit.index", _l("Audit trail"), "audit.view"),
)


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [(endpoint, str(label)) for endpoint, label, action in NAVIGATION if policy.allows(current_user, action)]


def _birth_text(parts) -> str:
    from rescue.cases.birth import Birth
    from rescue.cases.summary import describe_birth

    year, month, day, *rest = list(parts or []) + [None] * 4
    return describe_birth(Birth(year, month, day, rest[0] if rest else None, None))


def _language_name(code: str) -> str:
    from rescue.cases.summary import language_name

    return language_name(code)


def _unread() -> int | None:
    if not current_user.is_authenticated or not policy.allows(current_user, "inbox.view"):
        return None
    from rescue.inbox.notices import unread_count

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

    app.jinja_env.globals["pdf_asset"] = asset_url
    app.jinja_env.filters.update(
        country=country_label,
        status=status_label,
        sex=sex_label,
        consent_purpose=consent_purpose_label,
        blocked_reason=blocked_reason,
        note_kind=lambda kind: str(NOTE_KIND_LABELS.get(kind, kind)),
        report_source=lambda key: str(SOURCE_LABELS.get(key, key)),
        document_kind=lambda key: label(DOCUMENT_KIND_LABELS, key),
        document_status=lambda key: label(DOCUMENT_STATUS_LABELS, key),
        recruitment_channel=lambda key: label(RECRUITMENT_CHANNEL_LABELS, key) if key else "",
        exploitation=lambda key: label(EXPLOITATION_LABELS, key) if key else "",
        risk=lambda key: label(RISK_LABELS, key) if key else "",
        legal_status=lambda key: label(LEGAL_STATUS_LABELS, key) if key else "",
        vulnerability=lambda key: str(VULNERABILITY_LABELS.get(key, key)),
        report_reliability=lambda key: str(RELIABILITY_LABELS.get(key, key)),
        report_status=lambda key: str(REPORT_STATUS_LABELS.get(key, key)),
        consent_decision=consent_decision_label,
        referral_status=lambda key: consular_label(REFERRAL_STATUS_LABELS, key),
        evidence=lambda key: consular_label(EVIDENCE_LABELS, key),
        travel_document_kind=lambda key: consular_label(TRAVEL_DOCUMENT_KIND_LABELS, key),
        travel_document_status=lambda key: consular_label(TRAVEL_DOCUMENT_STATUS_LABELS, key),
        follow_up_outcome=lambda key: consular_label(FOLLOW_UP_OUTCOME_LABELS, key),
        timeline_kind=lambda key: consular_label(TIMELINE_LABELS, key) if key in TIMELINE_LABELS
        else str(NOTE_KIND_LABELS.get(key, key)),
        role=role_label,
        org_kind=kind_label,
        audit_action=action_label,
        attachment_kind=lambda kind: str(ATTACHMENT_KIND_LABELS.get(kind, kind)),
        audit_outcome=outcome_label,
        audit_record=record_label,
        audit_detail=detail_text,
        audit_sensitive=is_sensitive,
        birth=_birth_text,
        language=_language_name,
        document_name=lambda key: consular_label(DOCUMENT_NAMES, key),
        standing=lambda key: consular_label(STANDING_LABELS, key),
        recipient=lambda key: consular_label(RECIPIENT_LABELS, key),
        print_kind=lambda key: consular_label(KIND_LABELS, key),
        print_output=lambda key: consular_label(OUTPUT_LABELS, key),
        job_status=lambda key: consular_label(JOB_STATUS_LABELS, key),
        isodate=lambda value: format_date(date.fromisoformat(value)) if value else "",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        format_number=format_number,
        date=lambda value, fmt="medium": format_date(value, fmt) if value else "",
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # matches babel.cfg
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
