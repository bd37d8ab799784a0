"""Template filters for what cases say: statuses, sexes, consents, the situation, births and languages."""
from __future__ import annotations

from flask import Flask

from rescue.cases.birth import Birth
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
from rescue.cases.summary import describe_birth, language_name


def birth_text(parts) -> str:
    """A stored [year, month, day, approximate age] as words in the reader's language."""
    year, month, day, *rest = list(parts or []) + [None] * 4
    return describe_birth(Birth(year, month, day, rest[0] if rest else None, None))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        status=status_label,
        sex=sex_label,
        consent_purpose=consent_purpose_label,
        consent_decision=consent_decision_label,
        blocked_reason=blocked_reason,
        note_kind=lambda kind: str(NOTE_KIND_LABELS.get(kind, kind)),
        document_kind=lambda key: label(DOCUMENT_KIND_LABELS, key),
        document_status=lambda key: label(DOCUMENT_STATUS_LABELS, key),
        recruitment_channel=lambda key: label(RECRUITMENT_CHANNEL_LABELS, key) if key else "",
        exploitation=lambda key: label(EXPLOITATION_LABELS, key) if key else "",
        risk=lambda key: label(RISK_LABELS, key) if key else "",
        legal_status=lambda key: label(LEGAL_STATUS_LABELS, key) if key else "",
        vulnerability=lambda key: str(VULNERABILITY_LABELS.get(key, key)),
        birth=birth_text,
        language=language_name,
    )
