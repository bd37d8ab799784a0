"""The states a case moves through (docs/domain.md), who may move it, and what must be true first.
Pure: no Flask, no database. Views ask `options()` to offer only the moves a user may take now,
and `check()` again when the move is submitted; blocked moves come with reasons the page explains."""
from __future__ import annotations

from dataclasses import dataclass, field

MAIN_PATH = (
    "reported",
    "located",
    "rescued",
    "in_care",
    "return_decided",
    "consular_referral",
    "nationality_confirmed",
    "travel_document_issued",
    "ready_to_travel",
    "departed",
    "arrived",
    "follow_up",
    "closed",
)

# Reachable from any open state, each with a reason.
SIDE_STATES = ("on_hold", "declined_return", "withdrawn", "lost_contact", "nationality_rejected")
ALL_STATES = MAIN_PATH + SIDE_STATES

# A person met already free (walked out, deported, found at a border) enters at rescued.
ENTRY_STATES = ("reported", "rescued")
OPEN_STATES = tuple(s for s in ALL_STATES if s != "closed")

SENDING_ROLES = ("caseworker", "coordinator")
CONSULAR = "consular"

# Moves that happen through their own screens, not the status form: a referral to a mission, and the
# mission's own decisions.
BY_REFERRAL = {"consular_referral"}
BY_MISSION = {"nationality_confirmed", "travel_document_issued", "nationality_rejected"}

# Blocking reasons, as codes; the case page says them in the reader's language.
NEEDS_REASON = "needs_reason"
NEEDS_RETURN_CONSENT = "needs_voluntary_return_consent"
NEEDS_BEST_INTERESTS = "needs_best_interests_note"
NEEDS_SHARING_CONSENT = "needs_sharing_consent"
NEEDS_IDENTITY = "needs_identity"
NEEDS_PHOTO = "needs_photo_or_reason"
NEEDS_TRAVEL_DOCUMENT = "needs_valid_travel_document"
NEEDS_FIT_TO_TRAVEL = "needs_fit_to_travel"
NEEDS_EXIT_CLEARANCE = "needs_exit_clearance"
NEEDS_BOOKING = "needs_booking"
NEEDS_RECEIVING_CONSENT = "needs_receiving_agency_consent"
NOT_YOUR_STEP = "not_your_step"
ARRIVAL_BY_RECEIVING_SIDE = "arrival_confirmed_by_receiving_side"
THROUGH_REFERRAL = "through_referral"
NOT_FROM_HERE = "not_from_here"


@dataclass(frozen=True)
class CaseFacts:
    """What the workflow needs to know about a case; services build it from the records."""

    status: str
    resume_to: str | None = None  # the main-path state a side state was entered from
    voluntary_return_consent: bool = False
    sharing_consent_missions: frozenset[int] = frozenset()
    is_minor: bool | None = None
    best_interests_note: bool = False
    has_names: bool = False
    has_birth_or_age: bool = False
    has_photo_or_reason: bool = False
    valid_travel_document: bool = False
    fit_to_travel: bool = False
    exit_clearance: bool = False
    booking: bool = False
    receiving_agency_consent: bool = True  # no receiving agency in the plan, or consent to share with it


@dataclass(frozen=True)
class Actor:
    role: str
    is_receiving_agency: bool = False


@dataclass(frozen=True)
class Option:
    target: str
    blocked_by: tuple[str, ...] = field(default_factory=tuple)
    needs_reason: bool = False

    @property
    def allowed(self) -> bool:
        return not self.blocked_by


def is_open(status: str) -> bool:
    return status in OPEN_STATES


def targets_from(facts: CaseFacts) -> list[str]:
    """Every state the case could move to from where it is, whatever the guards say."""
    status = facts.status
    if status == "closed":
        return []
    targets: list[str] = []
    if status in MAIN_PATH:
        targets.append(MAIN_PATH[MAIN_PATH.index(status) + 1])
        if status == "reported":
            targets.append("rescued")  # found already free, or freed without being located first
    elif status == "nationality_rejected":
        targets.append("consular_referral")  # to another mission, or the stateless path
    elif facts.resume_to:
        targets.append(facts.resume_to)
    if status in ("declined_return", "withdrawn", "lost_contact"):
        targets.append("closed")
    for side in SIDE_STATES:
        if side != status and side not in BY_MISSION:
            targets.append(side)
    return list(dict.fromkeys(targets))


def check(facts: CaseFacts, actor: Actor, target: str, *, mission_id: int | None = None) -> tuple[str, ...]:
    """Why `actor` may not move the case to `target` now; empty when the move is allowed."""
    if target not in targets_from(facts) and not (target in BY_MISSION and facts.status == "consular_referral"):
        return (NOT_FROM_HERE,)
    reasons: list[str] = []
    if target in BY_MISSION:
        return () if actor.role == CONSULAR else (NOT_YOUR_STEP,)
    if target == "arrived":
        # Never the sending caseworker alone: the mission or the receiving agency confirms.
        return () if actor.role == CONSULAR or actor.is_receiving_agency else (ARRIVAL_BY_RECEIVING_SIDE,)
    if actor.role not in SENDING_ROLES and not actor.is_receiving_agency:
        return (NOT_YOUR_STEP,)
    if target in BY_REFERRAL:
        if mission_id is None:
            return (THROUGH_REFERRAL,)
        if mission_id not in facts.sharing_consent_missions:
            reasons.append(NEEDS_SHARING_CONSENT)
        if not (facts.has_names and facts.has_birth_or_age):
            reasons.append(NEEDS_IDENTITY)
        if not facts.has_photo_or_reason:
            reasons.append(NEEDS_PHOTO)
    if target == "return_decided":
        if not facts.voluntary_return_consent:
            reasons.append(NEEDS_RETURN_CONSENT)
        if facts.is_minor is not False and not facts.best_interests_note:
            reasons.append(NEEDS_BEST_INTERESTS)
    if target == "ready_to_travel":
        for ok, code in ((facts.valid_travel_document, NEEDS_TRAVEL_DOCUMENT), (facts.fit_to_travel, NEEDS_FIT_TO_TRAVEL),
                         (facts.exit_clearance, NEEDS_EXIT_CLEARANCE), (facts.booking, NEEDS_BOOKING),
                         (facts.receiving_agency_consent, NEEDS_RECEIVING_CONSENT)):
            if not ok:
                reasons.append(code)
    return tuple(reasons)


def needs_reason(target: str) -> bool:
    return target in SIDE_STATES or target == "closed"


def options(facts: CaseFacts, actor: Actor) -> list[Option]:
    """The moves to show this actor: allowed ones, and blocked ones with their reasons. Moves that
    belong to someone else entirely (a mission's decisions, a referral) are not offered here."""
    shown = []
    for target in targets_from(facts):
        if target in BY_REFERRAL or target in BY_MISSION:
            continue
        blocked = check(facts, actor, target)
        if blocked == (NOT_YOUR_STEP,):
            continue
        shown.append(Option(target, blocked, needs_reason(target)))
    return shown
