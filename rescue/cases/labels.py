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
