"""Template filters for the way home: referrals, evidence, travel documents, follow-ups, the timeline."""
from __future__ import annotations

from flask import Flask

from rescue.cases.forms import NOTE_KIND_LABELS
from rescue.consular.labels import (
    EVIDENCE_LABELS,
    FOLLOW_UP_OUTCOME_LABELS,
    TIMELINE_LABELS,
    TRAVEL_DOCUMENT_KIND_LABELS,
    label,
)
from rescue.consular.models import ReferralStatus, TravelDocumentStatus


def timeline_kind(key: str) -> str:
    return label(TIMELINE_LABELS, key) if key in TIMELINE_LABELS else str(NOTE_KIND_LABELS.get(key, key))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        referral_status=ReferralStatus.label_of,
        evidence=lambda key: label(EVIDENCE_LABELS, key),
        travel_document_kind=lambda key: label(TRAVEL_DOCUMENT_KIND_LABELS, key),
        travel_document_status=TravelDocumentStatus.label_of,
        follow_up_outcome=lambda key: label(FOLLOW_UP_OUTCOME_LABELS, key),
        timeline_kind=timeline_kind,
    )
