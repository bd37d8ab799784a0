from flask_babel import lazy_gettext as _l

RECIPIENT_LABELS = {
    "full": _l("Complete file (our organisation)"),
    "shelter": _l("Shelter: care information, without the story or legal notes"),
    "consulate": _l("Consulate: identity, documents and travel only"),
}

LAYOUT_LABELS = {
    "td3": _l("Emergency passport page (PE, two lines of 44)"),
    "td2": _l("Single-sheet emergency travel document (PU, two lines of 36)"),
}

STANDING_LABELS = {
    "valid": _l("Valid"),
    "revoked": _l("Revoked: do not accept this document"),
    "used": _l("Used: the journey it was issued for is over"),
    "expired": _l("Expired"),
}

BATCH_FAILURES = {
    "refused": _l("You may no longer print this case."),
    "render_failed": _l("The document could not be laid out."),
    "job_failed": _l("The printing stopped because of an error."),
    "needs_sharing_consent": _l("The person has not agreed to share their data with this mission."),
    "withdrawn_person": _l("A person in this print was erased or anonymised, so the print was withdrawn. Print it again."),
    "no_referral_waiting": _l("Not on a roll: no referral of this person waits for a mission's travel document."),
}
