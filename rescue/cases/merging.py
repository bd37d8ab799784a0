"""Merging two records of the same person. Nothing of either history is lost: the timeline,
consents, referrals, documents and attachments of the merged record move to the one that stays,
its names become aliases, and the empty facts of the record that stays are filled from it."""
from __future__ import annotations

from sqlalchemy import update

from rescue.audit import trail
from rescue.cases import events, names
from rescue.cases.models import (
    Attachment,
    Case,
    CaseAlias,
    CaseLanguage,
    CaseNationality,
    Consent,
    IdentityDocument,
    TimelineEvent,
)
from rescue.cases.opening import refresh_name_key
from rescue.extensions import db

FILLED_WHEN_EMPTY = ("family_name", "given_names", "native_name", "native_script", "birth_year", "birth_month",
                     "birth_day", "approximate_age", "age_assessed_on", "place_of_birth", "phone", "next_of_kin",
                     "recruitment_channel", "recruitment_details", "exploitation", "needs", "risk_level", "risk_notes",
                     "legal_status", "legal_notes", "found_country", "found_city", "rescued_on", "operation_id",
                     "site_id", "operation_tag")


def merge(keep: Case, other: Case, *, user, address: str | None) -> None:
    if keep.id == other.id:
        raise ValueError("a case cannot be merged into itself")
    for name in FILLED_WHEN_EMPTY:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    if keep.sex == "U" and other.sex != "U":
        keep.sex = other.sex
    for flag in ("pregnant", "medical_needs", "disability", "interpreter_needed"):
        setattr(keep, flag, getattr(keep, flag) or getattr(other, flag))
    known = {names.fold(n) for n in (keep.family_name, keep.given_names, keep.native_name,
                                     *(a.name for a in keep.aliases)) if n}
    for name in (other.native_name, " ".join(p for p in (other.given_names, other.family_name) if p),
                 *(a.name for a in other.aliases)):
        if name and names.fold(name) not in known:
            keep.aliases.append(CaseAlias(name=name))
            known.add(names.fold(name))
    countries = [n.country for n in keep.nationalities]
    for n in other.nationalities:
        if n.country not in countries:
            keep.nationalities.append(CaseNationality(country=n.country, position=len(countries)))
            countries.append(n.country)
    languages = [lang.language for lang in keep.languages]
    for lang in other.languages:
        if lang.language not in languages:
            keep.languages.append(CaseLanguage(language=lang.language, position=len(languages)))
            languages.append(lang.language)
    db.session.flush()
    # The records that hang off a case move over whole, with their own dates and authors.
    for model in (TimelineEvent, Consent, IdentityDocument, Attachment):
        db.session.execute(update(model).where(model.case_id == other.id).values(case_id=keep.id))
    events.case_merging.send(other, into=keep)  # referrals, travel documents, locating reports
    db.session.expire(keep)
    other_id, other_number = other.id, other.number
    db.session.delete(other)
    db.session.flush()
    refresh_name_key(keep)
    keep.timeline.append(TimelineEvent(kind="merged", actor_id=user.id, text=other_number))
    trail.record("case.merged", actor_id=user.id, object_type="case", object_id=keep.id, address=address,
                 detail={"merged": other_id})
