"""The states a case moves through (DOMAIN.md). Pure: no Flask, no database."""
from __future__ import annotations

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


def is_open(status: str) -> bool:
    return status in OPEN_STATES
