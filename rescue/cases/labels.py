from flask_babel import lazy_gettext as _l

from rescue.cases.models import ConsentDecision, ConsentPurpose
from rescue.cases.workflow import Blocked, CaseStatus

SEX_LABELS = {"F": _l("Female"), "M": _l("Male"), "X": _l("Unspecified"), "U": _l("Unknown")}


def status_label(status: str) -> str:
    return CaseStatus.label_of(status)


def sex_label(sex: str) -> str:
    return str(SEX_LABELS.get(sex or "U", sex))

def consent_purpose_label(purpose: str) -> str:
    return ConsentPurpose.label_of(purpose)


def consent_decision_label(decision: str) -> str:
    return ConsentDecision.label_of(decision)

def blocked_reason(code: str) -> str:
    return Blocked.label_of(code)

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
