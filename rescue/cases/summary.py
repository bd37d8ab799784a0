"""What a case page shows, built as plain data for one reader and redacted to their field set."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from flask_babel import get_locale, gettext as _

from rescue.attachments.content import usable_for_travel_document
from rescue.auth import policy
from rescue.cases.birth import Birth
from rescue.cases.models import CONSULAR_ATTACHMENT_KINDS, Case
from rescue.cases.workflow import OPEN_STATES
from rescue.clock import utcnow
from rescue.i18n.choices import country_label


def birth_of(case: Case) -> Birth:
    return Birth(case.birth_year, case.birth_month, case.birth_day, case.approximate_age, case.age_assessed_on)


def describe_birth(birth: Birth) -> str:
    locale = get_locale()
    if birth.is_complete:
        return format_date(date(birth.year, birth.month, birth.day), "long", locale=locale)
    if birth.year and birth.month:
        return format_skeleton("yMMMM", date(birth.year, birth.month, 1), locale=locale)
    if birth.year:
        return format_skeleton("y", date(birth.year, 1, 1), locale=locale)
    if birth.approximate_age is not None:
        return _("about %(age)s years old", age=birth.approximate_age)
    return _("Not known")


# Languages a consent can be explained in: the interface languages and the languages victims speak most.
LANGUAGE_CODES = ("en", "ar", "fr", "es", "pt", "vi", "th", "km", "my", "lo", "id", "fil", "zh", "ko", "am", "sw",
                  "hi", "bn", "ne", "si", "ur", "ru", "uk", "tl", "ms", "ta", "so", "ti", "wo", "ha", "yo")


def language_name(code: str) -> str:
    """A language's name in the reader's language (CLDR); an unknown code shows as itself."""
    return _language_name(code, str(get_locale()))


@lru_cache(maxsize=4096)
def _language_name(code: str, reader: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(Locale.parse(reader)) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def case_summary(case: Case, role: str, today: date) -> dict:
    fields = policy.field_set(role)
    birth = birth_of(case)
    summary = {
        "id": case.id,
        "number": case.number,
        "status": case.status,
        "family_name": case.family_name or "",
        "given_names": case.given_names or "",
        "native_name": case.native_name or "",
        "aliases": [a.name for a in case.aliases],
        "sex": case.sex,
        "birth": describe_birth(birth),
        "minor": birth.is_minor(today),
        "nationalities": [country_label(n.country) for n in case.nationalities],
        "languages": [language_name(lang.language) for lang in case.languages],
        "interpreter_needed": case.interpreter_needed,
        "place_of_birth": case.place_of_birth or "",
        "field_set": fields,
        "identity_documents": [
            {"id": d.id, "kind": d.kind, "status": d.status, "number": d.number or "",
             "issuing_country": country_label(d.issuing_country), "expires_on": d.expires_on}
            for d in case.identity_documents
        ],
        "next_of_kin": case.next_of_kin or "" if fields == policy.FULL or case.next_of_kin_shareable else "",
        "photo_id": next((a.id for a in reversed(case.attachments) if a.kind == "photo"), None),
        "waiting_days": (utcnow() - case.status_changed_at).days if case.status in OPEN_STATES else None,
        "attachments": [
            {"id": a.id, "kind": a.kind, "filename": a.filename, "size": a.size, "uploaded_at": a.uploaded_at,
             "travel_photo": usable_for_travel_document(a.width, a.height) if a.kind == "photo" else None}
            for a in case.attachments
            if fields == policy.FULL or a.kind in CONSULAR_ATTACHMENT_KINDS
        ],
    }
    if fields == policy.FULL:
        summary.update(
            organisation=case.organisation.name if case.organisation else "",
            assigned_to=case.assigned_to.label if case.assigned_to else "",
            status_reason=case.status_reason or "",
            found=", ".join(p for p in (case.found_city, country_label(case.found_country)) if p),
            rescued_on=case.rescued_on,
            phone=case.phone or "",
            situation={
                "recruitment_channel": case.recruitment_channel, "recruitment_details": case.recruitment_details or "",
                "exploitation": case.exploitation, "needs": case.needs or "", "risk_level": case.risk_level,
                "risk_notes": case.risk_notes or "", "legal_status": case.legal_status,
                "legal_notes": case.legal_notes or "",
                "vulnerabilities": [name for name in ("pregnant", "medical_needs", "disability") if getattr(case, name)],
            },
            medical=case.medical_needs,
            timeline=[
                {"at": e.at, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
                 "text": e.text or "", "actor": e.actor.label if e.actor else ""}
                for e in case.timeline
            ],
            consents=[
                {"purpose": c.purpose, "decision": c.decision, "given_on": c.given_on,
                 "recipient": c.recipient_description or ""}
                for c in case.consents
            ],
        )
    return summary

