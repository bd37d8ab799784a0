from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "reported": _l("Reported"),
    "located": _l("Located"),
    "rescued": _l("Rescued"),
    "in_care": _l("In care"),
    "return_decided": _l("Return decided"),
    "consular_referral": _l("Referred to consulate"),
    "nationality_confirmed": _l("Nationality confirmed"),
    "travel_document_issued": _l("Travel document issued"),
    "ready_to_travel": _l("Ready to travel"),
    "departed": _l("Departed"),
    "arrived": _l("Arrived"),
    "follow_up": _l("Follow-up"),
    "closed": _l("Closed"),
    "on_hold": _l("On hold"),
    "declined_return": _l("Declined return"),
    "withdrawn": _l("Consent withdrawn"),
    "lost_contact": _l("Lost contact"),
    "nationality_rejected": _l("Nationality not confirmed"),
}

SEX_LABELS = {"F": _l("Female"), "M": _l("Male"), "X": _l("Unspecified"), "U": _l("Unknown")}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def sex_label(sex: str) -> str:
    return str(SEX_LABELS.get(sex or "U", sex))

CONSENT_PURPOSE_LABELS = {
    "processing": _l("Processing of personal data"),
    "interview": _l("Interview"),
    "sharing": _l("Sharing with a named recipient"),
    "voluntary_return": _l("Voluntary return"),
}

CONSENT_DECISION_LABELS = {"given": _l("given"), "refused": _l("refused"), "withdrawn": _l("withdrawn")}


def consent_purpose_label(purpose: str) -> str:
    return str(CONSENT_PURPOSE_LABELS.get(purpose, purpose))


def consent_decision_label(decision: str) -> str:
    return str(CONSENT_DECISION_LABELS.get(decision, decision))

BLOCKED_REASONS = {
    "needs_reason": _l("Say why: this status needs a reason."),
    "needs_voluntary_return_consent": _l("Record the person's consent to voluntary return first."),
    "needs_best_interests_note": _l("The person is, or may be, a minor: add a best-interests assessment first."),
    "needs_sharing_consent": _l("Record the person's consent to share their data with this mission first."),
    "needs_identity": _l("Names and a date of birth (or an approximate age) are needed first."),
    "needs_photo_or_reason": _l("Add a photo of the person first, or say why there is none."),
    "needs_valid_travel_document": _l("A valid travel document is needed first."),
    "needs_fit_to_travel": _l("A fit-to-travel assessment is needed first."),
    "needs_exit_clearance": _l("Exit clearance is needed first."),
    "needs_booking": _l("A travel booking is needed first."),
    "needs_receiving_agency_consent": _l("Record the person's consent to share their data with the receiving agency named in the plan first."),
    "not_your_step": _l("This step belongs to someone else."),
    "arrival_confirmed_by_receiving_side": _l("Arrival is confirmed by the mission or the receiving agency, not by the sending side."),
    "through_referral": _l("Refer the case to a mission to take this step."),
    "not_from_here": _l("The case cannot move to that status from where it is."),
}


def blocked_reason(code: str) -> str:
    return str(BLOCKED_REASONS.get(code, code))

RECRUITMENT_CHANNEL_LABELS = {
    "social_media": _l("A job advertisement on social media"),
    "messaging_app": _l("A message from a stranger"),
    "acquaintance": _l("Someone the person knew"),
    "agency": _l("A recruitment agency"),
    "other": _l("Another way"),
}
EXPLOITATION_LABELS = {
    "forced_criminality_scam": _l("Forced criminality: online scams"),
    "forced_labour": _l("Forced labour"),
    "sexual_exploitation": _l("Sexual exploitation"),
    "domestic_servitude": _l("Domestic servitude"),
    "other": _l("Other exploitation"),
}
RISK_LABELS = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High")}
LEGAL_STATUS_LABELS = {
    "regular": _l("No legal obstacle known"),
    "overstay": _l("Overstayed their visa"),
    "detained": _l("Held by the authorities"),
    "exit_clearance_pending": _l("Waiting for exit clearance"),
    "witness_hold": _l("Held as a witness"),
}
DOCUMENT_KIND_LABELS = {
    "passport": _l("Passport"),
    "national_id": _l("National identity card"),
    "birth_certificate": _l("Birth certificate"),
    "other": _l("Other document"),
}
DOCUMENT_STATUS_LABELS = {
    "held": _l("Held by the person"),
    "confiscated": _l("Confiscated"),
    "lost": _l("Lost"),
}


VULNERABILITY_LABELS = {"pregnant": _l("Pregnant"), "medical_needs": _l("Needs medical care"),
                       "disability": _l("Has a disability")}


def label(mapping: dict, key: str | None) -> str:
    return str(mapping.get(key, key or ""))
