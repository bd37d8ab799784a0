"""Why a step of the return path is refused, beside the workflow's own reasons (rescue/cases/workflow.py)."""
from __future__ import annotations

from rescue.core.terms import N_, Term


class ReturnRefusal(Term):
    CASEWORKERS_MAY_NOT_REFER = "caseworkers_may_not_refer", N_("In your organisation, coordinators refer cases to missions.")
    MISSION_INACTIVE = "mission_inactive", N_("This mission no longer takes referrals.")
    REFERRAL_CLOSED = "referral_closed", N_("This referral already has an outcome.")
    NEEDS_EVIDENCE = "needs_evidence", N_("Say how the nationality was confirmed.")
    NEEDS_MESSAGE = "needs_message", N_("Write a message.")
    NEEDS_REJECTION_REASON = "needs_rejection_reason", N_("Say why the nationality is not confirmed: the organisation reads it.")
    NATIONALITY_NOT_CONFIRMED = "nationality_not_confirmed", N_("Your mission has not confirmed this person's nationality.")
    ALREADY_ARRIVED = "already_arrived", N_("The arrival is already confirmed.")
    NUMBER_IN_USE = "number_in_use", N_("Your mission gave this number to another travel document already.")
    HOLDS_VALID_DOCUMENT = "holds_valid_document", N_("This person holds a valid travel document already: revoke it first.")
