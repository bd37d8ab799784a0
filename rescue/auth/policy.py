"""Who may do what to which record. Pure: no Flask, no database.

Every view asks `allows(user, action, record)`. A role has a scope per action:
  own           cases assigned to the user, and the unassigned intake queue of their organisation
  organisation  every case of the user's organisation
  mission       cases with a live referral to the user's mission (consular officers): neither withdrawn
                (consent to share ended) nor rejected (the mission keeps only its decision, on the
                referral's own page, judged by the referral's mission)
  confirming    cases whose nationality the user's mission confirmed (consular officers)
  receiving     cases whose repatriation plan names the user's organisation as the receiving agency,
                once the person's consent to share with that organisation is in force
  all           every record of that kind (administration of accounts, never case contents)
A role without a scope for an action may not take it at all.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from rescue.auth.roles import ADMIN, CASEWORKER, CONSULAR, COORDINATOR

OWN = "own"
ORGANISATION = "organisation"
MISSION = "mission"
CONFIRMING = "confirming"
RECEIVING = "receiving"
ALL = "all"
ANY_SIGNED_IN = "signed_in"
PUBLIC = "public"

# action -> {role: scope}
RULES: dict[str, dict[str, str]] = {
    "case.list": {CASEWORKER: OWN, COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "case.view": {CASEWORKER: OWN, COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "case.create": {CASEWORKER: ORGANISATION, COORDINATOR: ORGANISATION},
    "case.edit": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "case.assign": {COORDINATOR: ORGANISATION},
    "case.export": {CASEWORKER: OWN, COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "case.access_log": {COORDINATOR: ORGANISATION},
    "case.erase": {COORDINATOR: ORGANISATION},
    "case.merge": {COORDINATOR: ORGANISATION},
    "attachment.add": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "attachment.open": {CASEWORKER: OWN, COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "mission.directory": {CASEWORKER: ALL, COORDINATOR: ALL, CONSULAR: ALL},
    "referral.create": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "referral.list": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "referral.view": {CASEWORKER: OWN, COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "referral.reply": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "referral.withdraw": {COORDINATOR: ORGANISATION},
    "referral.decide": {CONSULAR: MISSION},
    "referral.inbox": {CONSULAR: MISSION},
    "travel_document.record": {CONSULAR: MISSION},
    "plan.edit": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "arrival.confirm": {CONSULAR: CONFIRMING, CASEWORKER: RECEIVING, COORDINATOR: RECEIVING},
    "follow_up.record": {CASEWORKER: OWN, COORDINATOR: ORGANISATION},
    "follow_up.list": {COORDINATOR: ORGANISATION},
    "roll.list": {COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "roll.issue": {COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "roll.view": {COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "document.print": {CASEWORKER: OWN, COORDINATOR: ORGANISATION, CONSULAR: MISSION},
    "operation.manifest": {COORDINATOR: ORGANISATION},
    "job.print": {COORDINATOR: ORGANISATION},
    "dashboard.view": {COORDINATOR: ORGANISATION},
    "inbox.view": {CASEWORKER: OWN, COORDINATOR: OWN, CONSULAR: OWN, ADMIN: OWN},
    "admin.users": {ADMIN: ALL},
    "admin.organisations": {ADMIN: ALL},
    "admin.missions": {ADMIN: ALL},
    "audit.view": {ADMIN: ALL},
    "account.self": {CASEWORKER: OWN, COORDINATOR: OWN, CONSULAR: OWN, ADMIN: OWN},
    "report.list": {CASEWORKER: ORGANISATION, COORDINATOR: ORGANISATION},
    "report.edit": {CASEWORKER: ORGANISATION, COORDINATOR: ORGANISATION},
    "site.edit": {CASEWORKER: ORGANISATION, COORDINATOR: ORGANISATION},
    "operation.list": {CASEWORKER: ORGANISATION, COORDINATOR: ORGANISATION},
    "operation.edit": {COORDINATOR: ORGANISATION},
}

# Actions whose record belongs to one organisation as a whole.
ORGANISATION_RECORD_ACTIONS = ("report", "site", "operation", "roll", "job")

# Actions whose record is a case (an attachment is reached through its case).
CASE_RECORD_ACTIONS = ("case", "attachment", "referral", "travel_document", "plan", "arrival", "follow_up",
                       "document")

# Which fields of a case a role may see. Consular officers get identity, photo, nationality evidence,
# identity documents and the travel plan, never the narrative, health, psychosocial or legal notes,
# nor the shelter's address.
FULL = "full"
CONSULAR_FIELDS = "consular"
FIELD_SETS: dict[str, str] = {CASEWORKER: FULL, COORDINATOR: FULL, CONSULAR: CONSULAR_FIELDS}


class Actor(Protocol):
    id: int
    role: str
    organisation_id: int | None
    mission_id: int | None


class CaseRecord(Protocol):
    """What the policy reads of a case. A referral answers for itself: its mission, unless withdrawn.
    A case may also have `confirming_mission_ids` (missions that confirmed the nationality) and
    `receiving_organisation_id` (the receiving agency named in the plan, with consent in force)."""

    organisation_id: int
    assigned_to_id: int | None

    @property
    def referred_mission_ids(self) -> Iterable[int]: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    scope: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


def scope_for(role: str | None, action: str) -> str | None:
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}")
    return RULES[action].get(role or "")


def field_set(role: str | None) -> str | None:
    return FIELD_SETS.get(role or "")


def allows(actor: Actor | None, action: str, record: object | None = None) -> Decision:
    """May `actor` take `action`, on `record` when one is given?"""
    if actor is None or getattr(actor, "role", None) is None:
        return Decision(False)
    scope = scope_for(actor.role, action)
    if scope is None:
        return Decision(False)
    if record is None or scope in (ALL,):
        return Decision(True, scope)
    if action.split(".", 1)[0] in CASE_RECORD_ACTIONS:
        return Decision(_case_in_scope(actor, scope, cast(CaseRecord, record)), scope)
    if action.split(".", 1)[0] in ORGANISATION_RECORD_ACTIONS:
        if scope == MISSION:  # a nominal roll is its mission's too
            return Decision(actor.mission_id is not None
                            and getattr(record, "mission_id", None) == actor.mission_id, scope)
        return Decision(actor.organisation_id is not None
                        and getattr(record, "organisation_id", None) == actor.organisation_id, scope)
    if action == "account.self":
        return Decision(getattr(record, "id", None) == actor.id, scope)
    return Decision(False, scope)


def _case_in_scope(actor: Actor, scope: str, case: CaseRecord) -> bool:
    if scope == ORGANISATION:
        return actor.organisation_id is not None and case.organisation_id == actor.organisation_id
    if scope == OWN:
        if actor.organisation_id is None or case.organisation_id != actor.organisation_id:
            return False
        return case.assigned_to_id in (None, actor.id)
    if scope == MISSION:
        return actor.mission_id is not None and actor.mission_id in set(case.referred_mission_ids)
    if scope == CONFIRMING:
        return actor.mission_id is not None and actor.mission_id in set(getattr(case, "confirming_mission_ids", ()))
    if scope == RECEIVING:
        return (actor.organisation_id is not None
                and getattr(case, "receiving_organisation_id", None) == actor.organisation_id)
    return False


# Rules that are not a plain table row. Each is a named predicate, asked by rescue/auth/access.py or by a view
# through this module, never written out in a view.

# A record reached through its case answers for itself when the rule of the action reads the record's own
# fields: a referral reads its own mission, so a mission keeps its decision on a rejected referral after it lost
# the case. Every other record reached through its case (an attachment, a travel document, a follow-up) is
# judged by its case.
SELF_JUDGED_TABLES = ("referral",)


def judges_itself(action: str, table: str) -> bool:
    """Whether a record of `table`, reached through its parent, is what the policy judges for `action`
    (rather than the parent): a referral for referral actions."""
    return table in SELF_JUDGED_TABLES and action.split(".", 1)[0] == table


class DraftRecord(Protocol):
    organisation_id: int
    created_by_id: int


def sees_organisation_drafts(actor: Actor) -> bool:
    """Coordinators see every intake draft of their organisation (to take one over); a caseworker sees their
    own. The list's SQL filter asks this too."""
    return actor.role == COORDINATOR


def draft_is_theirs(actor: Actor, draft: DraftRecord) -> bool:
    """An intake draft is its author's, and their organisation's coordinators'."""
    return draft.created_by_id == actor.id or (
        sees_organisation_drafts(actor) and draft.organisation_id == actor.organisation_id)


# Records whose rule is such a predicate: once the role may take the action at all, the predicate answers for
# the record instead of the scope (a caseworker's scope for case.create is the whole organisation, but a draft
# is its author's).
RECORD_RULES: dict[str, Callable[[Actor, Any], bool]] = {"intake_draft": draft_is_theirs}

# What a reader outside the organisation holding the case may open of its attachments: the kinds a journey
# needs. Other kinds (scans, other files) may carry health or legal detail. The field catalogue's
# may_see_attachment says the same per field set (rescue/cases/catalogue.py).
TRAVEL_ATTACHMENT_KINDS = ("photo", "identity_document")
_HOLDING_SCOPES = (OWN, ORGANISATION)


def may_open_attachment(actor: Actor | None, case: CaseRecord, kind: str) -> bool:
    """Every kind for the organisation holding the case; photos and identity documents only for a mission with
    a live referral, or for the receiving agency named in the plan once the person consented to share with it."""
    opened = allows(actor, "attachment.open", case)
    if opened:
        return opened.scope in _HOLDING_SCOPES or kind in TRAVEL_ATTACHMENT_KINDS
    receiving = allows(actor, "arrival.confirm", case)
    return bool(receiving) and receiving.scope == RECEIVING and kind in TRAVEL_ATTACHMENT_KINDS


# Printed documents of a case that a mission prints: the packet, redacted for the consulate. The travel request,
# consent form, certificate and hand-over form are the organisation's own papers.
CONSULAR_CASE_DOCUMENTS = ("packet",)


def may_print_case_document(actor: Actor, kind: str) -> bool:
    return field_set(actor.role) != CONSULAR_FIELDS or kind in CONSULAR_CASE_DOCUMENTS


class IssuedDocument(Protocol):
    mission_id: int | None
    mrz: str | None


def may_issue_travel_document(actor: Actor, case: CaseRecord) -> bool:
    """A mission issues an emergency travel document for a case whose nationality it confirmed itself."""
    return bool(allows(actor, "travel_document.record", case)) and _case_in_scope(actor, CONFIRMING, case)


def may_print_travel_document(actor: Actor, document: IssuedDocument) -> bool:
    """A mission prints the emergency travel documents it issued itself (those with a machine readable zone),
    never another mission's."""
    return (field_set(actor.role) == CONSULAR_FIELDS and actor.mission_id is not None
            and document.mission_id == actor.mission_id and bool(document.mrz))


def rolls_of_mission(actor: Actor) -> bool:
    """Whether `actor` lists and issues the nominal rolls of their mission only (a mission's officers), rather
    than those of their organisation, issued for any mission (coordinators)."""
    return scope_for(actor.role, "roll.list") == MISSION


def may_issue_roll_for(actor: Actor, mission_id: int) -> bool:
    """A mission's officers issue rolls for their own mission; coordinators for any mission."""
    return scope_for(actor.role, "roll.issue") != MISSION or mission_id == actor.mission_id
