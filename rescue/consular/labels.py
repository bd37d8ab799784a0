"""What the consular pages call things, in the reader's language."""
from flask_babel import lazy_gettext as _l

from rescue.consular.refusals import ReturnRefusal

EVIDENCE_LABELS = {
    "passport_copy": _l("Copy of a passport"),
    "civil_registry": _l("Civil registry record"),
    "interview": _l("Interview with the person"),
}

TRAVEL_DOCUMENT_KIND_LABELS = {
    "passport_returned": _l("Passport returned"),
    "emergency_travel_document": _l("Emergency travel document"),
    "laissez_passer": _l("Laissez-passer"),
}

FOLLOW_UP_OUTCOME_LABELS = {
    "reached": _l("The person was reached"),
    "not_reached": _l("The person could not be reached"),
}

TIMELINE_LABELS = {
    "created": _l("Case opened"),
    "consent": _l("Consent recorded"),
    "assignment": _l("Assignment changed"),
    "document_printed": _l("Document printed"),
    "merged": _l("Merged with another record"),
    "from_report": _l("Opened from a report of a person held"),
    "details_changed": _l("Details corrected"),
    "intake_linked": _l("A new intake was found to be this person; its names were added"),
    "referral_message": _l("Message to the mission"),
    "referral_withdrawn": _l("Referral withdrawn: consent to share was withdrawn"),
    "roll_lines_withdrawn": _l("Lines on the mission's nominal rolls withdrawn: consent to share was withdrawn"),
    "stateless_path": _l("Stateless path followed"),
    "travel_document": _l("Travel document recorded"),
    "plan_updated": _l("Repatriation plan updated"),
    "follow_up_done": _l("Follow-up after return recorded"),
}


def label(labels: dict, key: str | None) -> str:
    return str(labels.get(key, key or ""))


def refusal(code: str) -> str:
    from rescue.cases.labels import blocked_reason

    return ReturnRefusal.label_of(code) if code in ReturnRefusal.values() else blocked_reason(code)


def explain_refusal(field, reasons, explain=None) -> None:
    """Put the reasons a step was refused beside the form field they concern, in the reader's language."""
    field.errors = list(field.errors) + [(explain or refusal)(code) for code in reasons]
