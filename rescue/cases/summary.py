"""What a case page shows, built as plain data for one reader and redacted to their field set."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _

from rescue.cases import catalogue
from rescue.cases.birth import Birth
from rescue.cases.models import Case
from rescue.cases.workflow import OPEN_STATES
from rescue.clock import utcnow
from rescue.i18n.choices import country_label

FULL_PAGE = "full"  # the page's own name for the organisation's full file


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


def case_summary(case: Case, field_set: str | None, today: date) -> dict:
    """The case as one reader may see it: every value read through the field catalogue for `field_set`
    (see catalogue.field_set_for), so the page shows what the catalogue allows and nothing else."""
    seen = catalogue.Seen(case, "case", field_set)
    birth = birth_of(case)
    plain = catalogue.may_read(field_set, "case", "birth_month")
    summary = {
        "id": case.id,
        "number": case.number,
        "status": case.status,
        "family_name": seen.family_name or "",
        "given_names": seen.given_names or "",
        "native_name": seen.native_name or "",
        "aliases": [a.name for a in case.aliases] if catalogue.may_read(field_set, "case_alias", "name") else [],
        "sex": seen.sex,
        "birth": describe_birth(birth) if plain else "",
        "minor": birth.is_minor(today),
        "nationalities": [country_label(n.country) for n in case.nationalities],
        "languages": [language_name(lang.language) for lang in case.languages],
        "interpreter_needed": seen.interpreter_needed,
        "place_of_birth": seen.place_of_birth or "",
        "field_set": FULL_PAGE if field_set == catalogue.FULL else field_set,
        "identity_documents": [
            {"id": d.id, "kind": d.kind, "status": d.status, "number": seen_document.number or "",
             "issuing_country": country_label(d.issuing_country), "expires_on": seen_document.expires_on}
            for d in case.identity_documents
            for seen_document in (catalogue.Seen(d, "identity_document", field_set),)
        ] if catalogue.rows_readable(field_set, "identity_document") else [],
        "next_of_kin": seen.next_of_kin or "",
        "photo_id": next((a.id for a in reversed(case.attachments) if a.kind == "photo"), None),
        "waiting_days": (utcnow() - case.status_changed_at).days if case.status in OPEN_STATES else None,
        "attachments": [
            {"id": a.id, "kind": a.kind, "filename": a.filename, "size": a.size, "uploaded_at": a.uploaded_at,
             "travel_photo": a.usable_for_travel_document if a.kind == "photo" else None}
            for a in case.attachments if catalogue.may_see_attachment(field_set, a.kind)
        ],
        # Health facts are badges only for readers who may read them (never a consulate).
        "medical": bool(seen.medical_needs),
    }
    if field_set == catalogue.FULL:
        summary.update(
            organisation=case.organisation.name if case.organisation else "",
            assigned_to=case.assigned_to.label if case.assigned_to else "",
            status_reason=seen.status_reason or "",
            found=", ".join(p for p in (seen.found_city, country_label(seen.found_country)) if p),
            rescued_on=seen.rescued_on,
            phone=seen.phone or "",
            situation={
                "recruitment_channel": seen.recruitment_channel, "recruitment_details": seen.recruitment_details or "",
                "exploitation": seen.exploitation, "needs": seen.needs or "", "risk_level": seen.risk_level,
                "risk_notes": seen.risk_notes or "", "legal_status": seen.legal_status,
                "legal_notes": seen.legal_notes or "",
                "vulnerabilities": [name for name in ("pregnant", "medical_needs", "disability") if seen.may(name)
                                    and getattr(case, name)],
            },
            timeline=[
                {"at": e.at, "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
                 "text": catalogue.Seen(e, "timeline_event", field_set).text or "",
                 "actor": e.actor.label if e.actor else ""}
                for e in case.timeline
            ],
            consents=[
                {"purpose": c.purpose, "decision": c.decision, "given_on": c.given_on,
                 "recipient": c.recipient_mission.name if c.recipient_mission
                 else c.recipient_organisation.name if c.recipient_organisation
                 else catalogue.Seen(c, "consent", field_set).recipient_description or ""}
                for c in case.consents
            ],
        )
    return summary


def listed(case: Case, field_set: str | None) -> dict:
    """A row of the case list or of the close-name suggestions, read through the field catalogue."""
    seen = catalogue.Seen(case, "case", field_set)
    return {
        "id": case.id, "number": case.number, "status": case.status,
        "family_name": seen.family_name or "", "given_names": seen.given_names or "",
        "native_name": seen.native_name or "", "status_changed_at": seen.status_changed_at,
        "nationalities": [n.country for n in case.nationalities],
        "assigned_to": case.assigned_to.label if seen.assigned_to_id and case.assigned_to else "",
    }
