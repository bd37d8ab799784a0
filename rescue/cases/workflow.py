"""The states a case moves through (docs/domain.md), who may move it, and what must be true first.
Pure: no Flask, no database. Views ask `options()` to offer only the moves a user may take now,
and `check()` again when the move is submitted; blocked moves come with reasons the page explains."""
from __future__ import annotations

from dataclasses import dataclass, field

from rescue.auth.roles import CONSULAR, NGO_ROLES
from rescue.core.terms import N_, Term


class CaseStatus(Term):
    """Where a case stands: the main path home, then the side states reachable from any open state."""

    REPORTED = "reported", N_("Reported")
    LOCATED = "located", N_("Located")
    RESCUED = "rescued", N_("Rescued")
    IN_CARE = "in_care", N_("In care")
    RETURN_DECIDED = "return_decided", N_("Return decided")
    CONSULAR_REFERRAL = "consular_referral", N_("Referred to consulate")
    NATIONALITY_CONFIRMED = "nationality_confirmed", N_("Nationality confirmed")
    TRAVEL_DOCUMENT_ISSUED = "travel_document_issued", N_("Travel document issued")
    READY_TO_TRAVEL = "ready_to_travel", N_("Ready to travel")
    DEPARTED = "departed", N_("Departed")
    ARRIVED = "arrived", N_("Arrived")
    FOLLOW_UP = "follow_up", N_("Follow-up")
    CLOSED = "closed", N_("Closed")
    ON_HOLD = "on_hold", N_("On hold")
    DECLINED_RETURN = "declined_return", N_("Declined return")
    WITHDRAWN = "withdrawn", N_("Consent withdrawn")
    LOST_CONTACT = "lost_contact", N_("Lost contact")
    NATIONALITY_REJECTED = "nationality_rejected", N_("Nationality not confirmed")


S = CaseStatus
MAIN_PATH = (S.REPORTED, S.LOCATED, S.RESCUED, S.IN_CARE, S.RETURN_DECIDED, S.CONSULAR_REFERRAL,
             S.NATIONALITY_CONFIRMED, S.TRAVEL_DOCUMENT_ISSUED, S.READY_TO_TRAVEL, S.DEPARTED, S.ARRIVED,
             S.FOLLOW_UP, S.CLOSED)

# Reachable from any open state, each with a reason.
SIDE_STATES = (S.ON_HOLD, S.DECLINED_RETURN, S.WITHDRAWN, S.LOST_CONTACT, S.NATIONALITY_REJECTED)
ALL_STATES = MAIN_PATH + SIDE_STATES

# A person met already free (walked out, deported, found at a border) enters at rescued.
ENTRY_STATES = (S.REPORTED, S.RESCUED)
OPEN_STATES = tuple(s for s in ALL_STATES if s != S.CLOSED)

SENDING_ROLES = NGO_ROLES

# Moves that happen through their own screens, not the status form: a referral to a mission, and the
# mission's own decisions.
BY_REFERRAL = {S.CONSULAR_REFERRAL}
BY_MISSION = {S.NATIONALITY_CONFIRMED, S.TRAVEL_DOCUMENT_ISSUED, S.NATIONALITY_REJECTED}


class ReferralStatus(Term):
    """Where a referral to a mission stands: its decisions move the case (BY_MISSION)."""

    PENDING = "pending", N_("Waiting for the mission")
    INFORMATION_REQUESTED = "information_requested", N_("More information requested")
    CONFIRMED = "confirmed", N_("Nationality confirmed")
    REJECTED = "rejected", N_("Nationality not confirmed")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


class TravelDocumentStatus(Term):
    """Where a travel document stands: a valid one is what Ready to travel needs."""

    VALID = "valid", N_("Valid")
    USED = "used", N_("Used")
    REVOKED = "revoked", N_("Revoked")
    EXPIRED = "expired", N_("Expired")


class Blocked(Term):
    """Why a move is refused now; the case page says it in the reader's language."""

    NEEDS_REASON = "needs_reason", N_("Say why: this status needs a reason.")
    NEEDS_RETURN_CONSENT = "needs_voluntary_return_consent", N_("Record the person's consent to voluntary return first.")
    NEEDS_BEST_INTERESTS = "needs_best_interests_note", N_("The person is, or may be, a minor: add a best-interests assessment first.")
    NEEDS_SHARING_CONSENT = "needs_sharing_consent", N_("Record the person's consent to share their data with this mission first.")
    NEEDS_IDENTITY = "needs_identity", N_("Names and a date of birth (or an approximate age) are needed first.")
    NEEDS_PHOTO = "needs_photo_or_reason", N_("Add a photo of the person first, or say why there is none.")
    NEEDS_TRAVEL_DOCUMENT = "needs_valid_travel_document", N_("A valid travel document is needed first.")
    NEEDS_FIT_TO_TRAVEL = "needs_fit_to_travel", N_("A fit-to-travel assessment is needed first.")
    NEEDS_EXIT_CLEARANCE = "needs_exit_clearance", N_("Exit clearance is needed first.")
    NEEDS_BOOKING = "needs_booking", N_("A travel booking is needed first.")
    NEEDS_RECEIVING_CONSENT = "needs_receiving_agency_consent", N_("Record the person's consent to share their data with the receiving agency named in the plan first.")
    NOT_YOUR_STEP = "not_your_step", N_("This step belongs to someone else.")
    ARRIVAL_BY_RECEIVING_SIDE = "arrival_confirmed_by_receiving_side", N_("Arrival is confirmed by the mission or the receiving agency, not by the sending side.")
    THROUGH_REFERRAL = "through_referral", N_("Refer the case to a mission to take this step.")
    NOT_FROM_HERE = "not_from_here", N_("The case cannot move to that status from where it is.")


NEEDS_REASON = Blocked.NEEDS_REASON
NEEDS_RETURN_CONSENT = Blocked.NEEDS_RETURN_CONSENT
NEEDS_BEST_INTERESTS = Blocked.NEEDS_BEST_INTERESTS
NEEDS_SHARING_CONSENT = Blocked.NEEDS_SHARING_CONSENT
NEEDS_IDENTITY = Blocked.NEEDS_IDENTITY
NEEDS_PHOTO = Blocked.NEEDS_PHOTO
NEEDS_TRAVEL_DOCUMENT = Blocked.NEEDS_TRAVEL_DOCUMENT
NEEDS_FIT_TO_TRAVEL = Blocked.NEEDS_FIT_TO_TRAVEL
NEEDS_EXIT_CLEARANCE = Blocked.NEEDS_EXIT_CLEARANCE
NEEDS_BOOKING = Blocked.NEEDS_BOOKING
NEEDS_RECEIVING_CONSENT = Blocked.NEEDS_RECEIVING_CONSENT
NOT_YOUR_STEP = Blocked.NOT_YOUR_STEP
ARRIVAL_BY_RECEIVING_SIDE = Blocked.ARRIVAL_BY_RECEIVING_SIDE
THROUGH_REFERRAL = Blocked.THROUGH_REFERRAL
NOT_FROM_HERE = Blocked.NOT_FROM_HERE


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


def resume_point(entries: list[tuple[str, str]]) -> str | None:
    """Where a case in a side state goes back to when its situation changes: the main-path state it left to
    enter the side states. `entries` are its status changes (from, to), newest first. A case whose
    nationality was not confirmed goes back to before its referral (Return decided): the referral has its
    answer, and a new one can be made from there, to another mission or once the person's papers are found."""
    wanted: str | None = None
    passed_rejection = False
    for from_status, to_status in entries:
        if wanted is not None and to_status != wanted:
            continue
        if from_status in MAIN_PATH:
            if passed_rejection and from_status == S.CONSULAR_REFERRAL:
                return S.RETURN_DECIDED
            return from_status
        if from_status not in SIDE_STATES:
            return None
        passed_rejection = passed_rejection or from_status == S.NATIONALITY_REJECTED
        wanted = from_status
    return None


def is_resuming(facts: CaseFacts, target: str) -> bool:
    return facts.status in SIDE_STATES and facts.resume_to is not None and target == facts.resume_to


def targets_from(facts: CaseFacts) -> list[str]:
    """Every state the case could move to from where it is, whatever the guards say."""
    status = facts.status
    if status == S.CLOSED:
        return []
    targets: list[str] = []
    if status in MAIN_PATH:
        targets.append(MAIN_PATH[MAIN_PATH.index(status) + 1])
        if status == S.REPORTED:
            targets.append(S.RESCUED)  # found already free, or freed without being located first
    elif status == S.NATIONALITY_REJECTED:
        targets.append(S.CONSULAR_REFERRAL)  # to another mission, or the stateless path
    elif facts.resume_to:
        targets.append(facts.resume_to)
    if status in (S.DECLINED_RETURN, S.WITHDRAWN, S.LOST_CONTACT):
        targets.append(S.CLOSED)
    for side in SIDE_STATES:
        if side != status and side not in BY_MISSION:
            targets.append(side)
    return list(dict.fromkeys(targets))


def check(facts: CaseFacts, actor: Actor, target: str, *, mission_id: int | None = None) -> tuple[str, ...]:
    """Why `actor` may not move the case to `target` now; empty when the move is allowed."""
    if target not in targets_from(facts) and not (target in BY_MISSION and facts.status == S.CONSULAR_REFERRAL):
        return (NOT_FROM_HERE,)
    reasons: list[str] = []
    resuming = is_resuming(facts, target)
    # Going back to where the case was is the sending side's step, whoever took the case there first; the
    # guards of that state are asked again (a consent may have been withdrawn meanwhile).
    if target in BY_MISSION and not resuming:
        return () if actor.role == CONSULAR else (NOT_YOUR_STEP,)
    if target == S.ARRIVED and not resuming:
        # Never the sending caseworker alone: the mission or the receiving agency confirms.
        return () if actor.role == CONSULAR or actor.is_receiving_agency else (ARRIVAL_BY_RECEIVING_SIDE,)
    if actor.role not in SENDING_ROLES and not actor.is_receiving_agency:
        return (NOT_YOUR_STEP,)
    if target in BY_REFERRAL and not resuming:
        if mission_id is None:
            return (THROUGH_REFERRAL,)
        if mission_id not in facts.sharing_consent_missions:
            reasons.append(NEEDS_SHARING_CONSENT)
        if not (facts.has_names and facts.has_birth_or_age):
            reasons.append(NEEDS_IDENTITY)
        if not facts.has_photo_or_reason:
            reasons.append(NEEDS_PHOTO)
    if target == S.RETURN_DECIDED:
        if not facts.voluntary_return_consent:
            reasons.append(NEEDS_RETURN_CONSENT)
        if facts.is_minor is not False and not facts.best_interests_note:
            reasons.append(NEEDS_BEST_INTERESTS)
    if target == S.READY_TO_TRAVEL:
        for ok, code in ((facts.valid_travel_document, NEEDS_TRAVEL_DOCUMENT), (facts.fit_to_travel, NEEDS_FIT_TO_TRAVEL),
                         (facts.exit_clearance, NEEDS_EXIT_CLEARANCE), (facts.booking, NEEDS_BOOKING),
                         (facts.receiving_agency_consent, NEEDS_RECEIVING_CONSENT)):
            if not ok:
                reasons.append(code)
    return tuple(reasons)


def needs_reason(target: str) -> bool:
    return target in SIDE_STATES or target == S.CLOSED


def options(facts: CaseFacts, actor: Actor) -> list[Option]:
    """The moves to show this actor: allowed ones, and blocked ones with their reasons. Moves that
    belong to someone else entirely (a mission's decisions, a referral) are not offered here."""
    shown = []
    for target in targets_from(facts):
        if (target in BY_REFERRAL or target in BY_MISSION) and not is_resuming(facts, target):
            continue
        blocked = check(facts, actor, target)
        if blocked == (NOT_YOUR_STEP,):
            continue
        shown.append(Option(target, blocked, needs_reason(target)))
    return shown
