"""The documents rescue prints, and why printing one may be refused."""
from __future__ import annotations

from rescue.core.terms import N_, Term


class DocumentKind(Term):
    PACKET = "packet", N_("Case packet")
    TRAVEL_REQUEST = "travel_request", N_("Request for a travel document")
    CONSENT_FORM = "consent_form", N_("Consent form")
    FIT_TO_TRAVEL = "fit_to_travel", N_("Fit-to-travel certificate")
    HANDOVER = "handover", N_("Reception hand-over form")
    MANIFEST = "manifest", N_("Manifest of a group departure")
    EMERGENCY_TRAVEL_DOCUMENT = "emergency_travel_document", N_("Emergency travel document")
    NOMINAL_ROLL = "nominal_roll", N_("Nominal roll")


class PrintRefusal(Term):
    NEEDS_SHARING_CONSENT = "needs_sharing_consent", N_("The person has not agreed to share their data with this mission.")
    NEEDS_PHOTO = "needs_photo_for_document", N_("Add a photo of the person before issuing the document.")
    MRZ_IMPOSSIBLE = "mrz_impossible", N_("The machine readable zone cannot be made from these details: check the names, the date of birth and the document number (letters and digits only, at most 9).")
    NEEDS_MISSION = "needs_mission", N_("Choose the mission.")
