"""The workflow alone: which moves exist, who may take them, and what blocks them."""

from rescue.cases.workflow import (
    ALL_STATES,
    ARRIVAL_BY_RECEIVING_SIDE,
    MAIN_PATH,
    NEEDS_BEST_INTERESTS,
    NEEDS_BOOKING,
    NEEDS_EXIT_CLEARANCE,
    NEEDS_FIT_TO_TRAVEL,
    NEEDS_IDENTITY,
    NEEDS_PHOTO,
    NEEDS_RETURN_CONSENT,
    NEEDS_SHARING_CONSENT,
    NEEDS_TRAVEL_DOCUMENT,
    NOT_FROM_HERE,
    NOT_YOUR_STEP,
    THROUGH_REFERRAL,
    Actor,
    CaseFacts,
    check,
    options,
    resume_point,
    targets_from,
)

caseworker = Actor("caseworker")
coordinator = Actor("coordinator")
consul = Actor("consular")
receiving = Actor("coordinator", is_receiving_agency=True)


def test_the_main_path_moves_one_step_at_a_time():
    for here, there in zip(MAIN_PATH, MAIN_PATH[1:], strict=False):
        assert there in targets_from(CaseFacts(status=here))
    assert targets_from(CaseFacts(status="closed")) == []


def test_a_person_found_already_free_goes_straight_to_rescued():
    assert check(CaseFacts(status="reported"), caseworker, "rescued") == ()


def test_no_jumping_ahead():
    assert check(CaseFacts(status="rescued"), coordinator, "departed") == (NOT_FROM_HERE,)


def test_side_states_from_any_open_state_and_back():
    for state in MAIN_PATH[:-1]:
        assert "on_hold" in targets_from(CaseFacts(status=state))
    facts = CaseFacts(status="on_hold", resume_to="in_care")
    assert "in_care" in targets_from(facts)
    assert check(facts, caseworker, "in_care") == ()


def test_return_needs_voluntary_consent_and_for_a_minor_a_best_interests_note():
    assert check(CaseFacts(status="in_care", is_minor=False), caseworker, "return_decided") == (NEEDS_RETURN_CONSENT,)
    minor = CaseFacts(status="in_care", is_minor=True, voluntary_return_consent=True)
    assert check(minor, caseworker, "return_decided") == (NEEDS_BEST_INTERESTS,)
    unknown_age = CaseFacts(status="in_care", is_minor=None, voluntary_return_consent=True)
    assert NEEDS_BEST_INTERESTS in check(unknown_age, caseworker, "return_decided")
    ready = CaseFacts(status="in_care", is_minor=True, voluntary_return_consent=True, best_interests_note=True)
    assert check(ready, caseworker, "return_decided") == ()


def test_referral_needs_consent_naming_that_mission_and_enough_identity():
    facts = CaseFacts(status="return_decided", sharing_consent_missions=frozenset({7}))
    assert check(facts, coordinator, "consular_referral") == (THROUGH_REFERRAL,)
    assert check(facts, coordinator, "consular_referral", mission_id=8) == (
        NEEDS_SHARING_CONSENT, NEEDS_IDENTITY, NEEDS_PHOTO)
    complete = CaseFacts(status="return_decided", sharing_consent_missions=frozenset({7}), has_names=True,
                         has_birth_or_age=True, has_photo_or_reason=True)
    assert check(complete, coordinator, "consular_referral", mission_id=7) == ()


def test_only_the_mission_decides_nationality_and_documents():
    facts = CaseFacts(status="consular_referral")
    assert check(facts, coordinator, "nationality_confirmed") == (NOT_YOUR_STEP,)
    assert check(facts, consul, "nationality_confirmed") == ()
    assert check(facts, consul, "nationality_rejected") == ()
    assert check(CaseFacts(status="nationality_confirmed"), consul, "travel_document_issued") == ()


def test_ready_to_travel_needs_document_fitness_clearance_and_booking():
    facts = CaseFacts(status="travel_document_issued")
    assert check(facts, coordinator, "ready_to_travel") == (
        NEEDS_TRAVEL_DOCUMENT, NEEDS_FIT_TO_TRAVEL, NEEDS_EXIT_CLEARANCE, NEEDS_BOOKING)
    ready = CaseFacts(status="travel_document_issued", valid_travel_document=True, fit_to_travel=True,
                      exit_clearance=True, booking=True)
    assert check(ready, coordinator, "ready_to_travel") == ()


def test_arrival_is_never_confirmed_by_the_sending_caseworker_alone():
    facts = CaseFacts(status="departed")
    assert check(facts, caseworker, "arrived") == (ARRIVAL_BY_RECEIVING_SIDE,)
    assert check(facts, coordinator, "arrived") == (ARRIVAL_BY_RECEIVING_SIDE,)
    assert check(facts, consul, "arrived") == ()
    assert check(facts, receiving, "arrived") == ()


def test_options_offer_only_what_this_user_may_take_and_explain_the_rest():
    offered = {o.target: o for o in options(CaseFacts(status="in_care"), caseworker)}
    assert offered["return_decided"].blocked_by == (NEEDS_RETURN_CONSENT, NEEDS_BEST_INTERESTS)
    assert offered["on_hold"].allowed and offered["on_hold"].needs_reason
    assert "nationality_confirmed" not in offered and "consular_referral" not in offered
    consul_options = options(CaseFacts(status="in_care"), consul)
    assert consul_options == []  # consular officers do not steer an NGO's case


def _walk():
    """Every history the workflow allows from an entry state, breadth first and a few side trips deep: each
    state is reached by moves the workflow itself offers, and a side state learns where to resume from the
    history that led to it (resume_point), never from a value given by the test."""
    from collections import deque

    seen = {}
    queue = deque([("reported", ()), ("rescued", ())])
    while queue:
        state, history = queue.popleft()
        seen.setdefault(state, history)
        entries = list(reversed(history))  # newest first, as the timeline is read
        facts = CaseFacts(status=state, resume_to=resume_point(entries) if state in SIDE else None)
        # the mission's own decisions on a referral are moves too, though no status form offers them
        decisions = ("nationality_confirmed", "nationality_rejected") if state == "consular_referral" else ()
        for target in [*targets_from(facts), *decisions]:
            step = history + ((state, target),)
            if target not in seen and len(step) < 20 and sum(1 for _, to in step if to in SIDE) <= 2:
                queue.append((target, step))
    return seen


SIDE = ("on_hold", "declined_return", "withdrawn", "lost_contact", "nationality_rejected")


def test_every_state_is_reached_and_has_a_way_forward_or_is_closed():
    reached = _walk()
    assert set(reached) == set(ALL_STATES)
    for state, history in reached.items():
        entries = list(reversed(history))
        facts = CaseFacts(status=state, resume_to=resume_point(entries) if state in SIDE else None)
        assert state == "closed" or targets_from(facts), (state, history)


def test_a_side_state_resumes_where_the_case_was():
    assert resume_point([("in_care", "on_hold")]) == "in_care"
    assert resume_point([("on_hold", "lost_contact"), ("ready_to_travel", "on_hold")]) == "ready_to_travel"


def test_a_case_on_hold_after_the_stateless_path_resumes_before_its_referral_and_may_be_referred_again():
    history = [("nationality_rejected", "on_hold"), ("consular_referral", "nationality_rejected"),
               ("return_decided", "consular_referral"), ("in_care", "return_decided")]
    assert resume_point(history) == "return_decided"
    facts = CaseFacts(status="on_hold", resume_to="return_decided", voluntary_return_consent=True,
                      is_minor=False)
    offered = {o.target: o for o in options(facts, coordinator)}
    assert offered["return_decided"].allowed
    # the guards of the state it goes back to are asked again: consent withdrawn meanwhile blocks it
    withdrawn = CaseFacts(status="on_hold", resume_to="return_decided", is_minor=False)
    assert check(withdrawn, coordinator, "return_decided") == (NEEDS_RETURN_CONSENT,)
    back = CaseFacts(status="return_decided")
    assert "consular_referral" in targets_from(back)


def test_resuming_to_a_missions_state_is_the_sending_sides_step():
    facts = CaseFacts(status="on_hold", resume_to="travel_document_issued")
    assert check(facts, coordinator, "travel_document_issued") == ()
    assert check(facts, consul, "travel_document_issued") == (NOT_YOUR_STEP,)
    assert "travel_document_issued" in {o.target for o in options(facts, caseworker)}
