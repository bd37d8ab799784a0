"""What each audit action is called on the audit pages."""
import json
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# How a value named in an entry's detail reads ("role": "coordinator" -> "Coordinator"), given by the capability
# that owns the term (auth gives roles), so the trail depends on nothing above it.
DETAIL_VALUE_LABELS: dict[str, Callable[[str], str]] = {}


def label_detail_values(key: str, label: Callable[[str], str]) -> None:
    DETAIL_VALUE_LABELS[key] = label


def _value_label(key: str, value: str) -> str:
    label = DETAIL_VALUE_LABELS.get(key)
    return label(value) if label is not None else value


ACTION_LABELS = {
    "login": _l("Sign-in succeeded"),
    "login.failed": _l("Sign-in failed"),
    "login.code_failed": _l("Two-factor code refused"),
    "login.throttled": _l("Sign-in blocked after too many attempts"),
    "login.recovery_code_used": _l("Signed in with a recovery code"),
    "logout": _l("Signed out"),
    "reauthenticated": _l("Confirmed identity again"),
    "reauthentication.failed": _l("Identity confirmation failed"),
    "access.refused": _l("Access refused"),
    "case.viewed": _l("Case file opened"),
    "case.erased": _l("Case erased on request"),
    "case.anonymised": _l("Case anonymised after the retention period"),
    "retention.pruned": _l("Expired prints, cached documents and abandoned intakes removed"),
    "attachment.uploaded": _l("Attachment added"),
    "attachment.viewed": _l("Attachment opened"),
    "user.created": _l("Account created"),
    "user.updated": _l("Account changed"),
    "user.activated": _l("Account reactivated"),
    "user.deactivated": _l("Account deactivated"),
    "user.password_reset": _l("Password reset by an administrator"),
    "user.two_factor_reset": _l("Two-factor sign-in reset by an administrator"),
    "user.role_granted": _l("Role that reads cases given to an account"),
    "user.moved": _l("Account moved to another organisation or mission"),
    "two_factor.enrolled": _l("Two-factor sign-in set up"),
    "two_factor.recovery_codes_renewed": _l("New recovery codes made"),
    "two_factor.removed": _l("Two-factor sign-in turned off"),
    "account.preferences": _l("Preferences changed"),
    "account.password_changed": _l("Password changed"),
    "account.sessions_ended": _l("Other sessions signed out"),
    "organisation.created": _l("Organisation created"),
    "organisation.updated": _l("Organisation changed"),
    "organisation.deactivated": _l("Organisation deactivated: its members signed out"),
    "organisation.reactivated": _l("Organisation reactivated"),
    "mission.created": _l("Mission created"),
    "mission.updated": _l("Mission changed"),
    "mission.deactivated": _l("Mission deactivated: its officers signed out"),
    "mission.reactivated": _l("Mission reactivated"),
    "encryption.key_rotated": _l("Attachments sealed with a new key"),
    "backup.taken": _l("Backup taken"),
    "backup.restored": _l("Backup restored"),
    "case.created": _l("Case opened"),
    "case.changed": _l("Case details corrected"),
    "case.assigned": _l("Case assigned"),
    "case.status_changed": _l("Case moved to another step"),
    "case.note_added": _l("Note added"),
    "case.consent_recorded": _l("Consent recorded"),
    "case.exported": _l("Case list exported"),
    "case.intake_linked": _l("Intake linked to an existing case"),
    "case.merged": _l("Two records of a person merged"),
    "case.arrival_confirmed": _l("Arrival confirmed"),
    "document.printed": _l("Document printed"),
    "report.created": _l("Report of a person held added"),
    "report.updated": _l("Report of a person held changed"),
    "site.created": _l("Site added"),
    "site.updated": _l("Site changed"),
    "operation.saved": _l("Operation saved"),
    "operation.mass_intake": _l("People added in a mass intake"),
    "referral.created": _l("Case referred to a mission"),
    "referral.replied": _l("Answer sent to the mission"),
    "referral.withdrawn": _l("Referral withdrawn: consent to share ended"),
    "referral.confirmed": _l("Nationality confirmed by the mission"),
    "referral.rejected": _l("Nationality not confirmed by the mission"),
    "referral.information_requested": _l("The mission asked for more information"),
    "referral.viewed": _l("Referral opened by a mission that no longer has the case"),
    "travel_document.recorded": _l("Travel document recorded"),
    "travel_document.revoked": _l("Travel document revoked"),
    "travel_document.verified": _l("Travel document checked"),
    "plan.saved": _l("Repatriation plan saved"),
    "follow_up.recorded": _l("Follow-up recorded"),
    "roll.issued": _l("Nominal roll issued"),
    "roll.viewed": _l("Nominal roll opened"),
    "roll.printed": _l("Nominal roll printed"),
    "roll.lines_withdrawn": _l("Lines of a nominal roll withdrawn: consent to share ended"),
    "print_job.started": _l("Batch print started"),
    "print_job.cancelled": _l("Batch print cancelled"),
    "print_job.downloaded": _l("Batch print downloaded"),
}

OUTCOME_LABELS = {"ok": _l("Done"), "refused": _l("Refused"), "failed": _l("Failed")}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


# Why a sign-in with the right password was refused (the person is told only that it failed).
REASON_LABELS = {
    "account_deactivated": _l("Refused because the account is deactivated."),
    "organisation_deactivated": _l("Refused because the organisation is deactivated."),
    "mission_deactivated": _l("Refused because the mission is deactivated."),
}


def _detail(entry) -> dict:
    try:
        detail = json.loads(entry.detail) if entry.detail else {}
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


def is_sensitive(entry) -> bool:
    """A change that opens a way to case contents (a role that reads cases, a move, a password or
    two-factor reset): the audit page shows it prominently."""
    return _detail(entry).get("sensitive") is True


def detail_text(entry) -> str:
    """What the audit page says beside the action, from the entry's detail: never personal data."""
    detail = _detail(entry)
    parts = []
    if detail.get("reason") in REASON_LABELS:
        parts.append(str(REASON_LABELS[detail["reason"]]))
    if detail.get("role") and entry.action in ("user.role_granted", "user.moved", "user.created"):
        parts.append(_("Role: %(role)s", role=_value_label("role", detail["role"])))
    if "sessions_ended" in detail:
        parts.append(_("Sessions ended: %(count)s", count=detail["sessions_ended"]))
    return " · ".join(parts)


RECORD_LABELS = {"case": _l("Case"), "user": _l("Account"), "organisation": _l("Organisation"),
                 "mission": _l("Mission"), "nominal_roll": _l("Nominal roll"), "operation": _l("Operation"),
                 "print_job": _l("Batch print"), "report": _l("Report"), "site": _l("Site"),
                 "travel_document": _l("Travel document"), "referral": _l("Referral"),
                 "intake_draft": _l("Intake"), "attachment": _l("Attachments"), "follow_up": _l("Follow-up"),
                 "identity_document": _l("Identity document")}


def record_label(object_type: str | None, object_id: int | None) -> str:
    if not object_type:
        return ""
    return f"{RECORD_LABELS.get(object_type, object_type)} #{object_id}" if object_id else str(
        RECORD_LABELS.get(object_type, object_type))
