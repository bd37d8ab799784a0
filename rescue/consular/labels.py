"""What the consular pages call things, in the reader's language."""
from flask_babel import lazy_gettext as _l

REFERRAL_STATUS_LABELS = {
    "pending": _l("Waiting for the mission"),
    "information_requested": _l("More information requested"),
    "confirmed": _l("Nationality confirmed"),
    "rejected": _l("Nationality not confirmed"),
    "withdrawn": _l("Withdrawn"),
}

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

TRAVEL_DOCUMENT_STATUS_LABELS = {
    "valid": _l("Valid"),
    "used": _l("Used"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
}

FOLLOW_UP_OUTCOME_LABELS = {
    "reached": _l("The person was reached"),
    "not_reached": _l("The person could not be reached"),
}

# Why a step of the return path is refused, beside the workflow's own reasons (cases/labels.py).
REFUSAL_LABELS = {
    "caseworkers_may_not_refer": _l("In your organisation, coordinators refer cases to missions."),
    "mission_inactive": _l("This mission no longer takes referrals."),
    "referral_closed": _l("This referral already has an outcome."),
    "needs_evidence": _l("Say how the nationality was confirmed."),
    "needs_message": _l("Write a message."),
    "nationality_not_confirmed": _l("Your mission has not confirmed this person's nationality."),
    "already_arrived": _l("The arrival is already confirmed."),
}

NOTICE_LABELS = {
    "referral_received": _l("Case %(number)s was referred to your mission."),
    "information_requested": _l("The mission asks for more information on case %(number)s."),
    "information_sent": _l("The organisation answered about case %(number)s."),
    "nationality_confirmed": _l("The mission confirmed the nationality in case %(number)s."),
    "nationality_rejected": _l("The mission did not confirm the nationality in case %(number)s."),
    "referral_withdrawn": _l("The referral of case %(number)s was withdrawn."),
    "referral_overdue": _l("The referral of case %(number)s is overdue."),
    "travel_document_recorded": _l("A travel document was recorded in case %(number)s."),
    "plan_confirmed": _l("The return of case %(number)s is planned and ready."),
    "departed": _l("The person of case %(number)s has departed."),
    "arrival_confirmed": _l("The arrival of case %(number)s is confirmed."),
    "follow_up_due": _l("A follow-up is due in case %(number)s."),
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

    return str(REFUSAL_LABELS[code]) if code in REFUSAL_LABELS else blocked_reason(code)


def explain_refusal(field, reasons, explain=None) -> None:
    """Put the reasons a step was refused beside the form field they concern, in the reader's language."""
    field.errors = list(field.errors) + [(explain or refusal)(code) for code in reasons]


def notice_text(kind: str, number: str | None) -> str:
    text = NOTICE_LABELS.get(kind)
    return str(text) % {"number": number or "—"} if text is not None else kind
