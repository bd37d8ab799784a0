"""Intake drafts: what has been typed, step by step, kept on the server; and turning a finished
draft into a case."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import delete, or_, select
from werkzeug.datastructures import MultiDict
from wtforms import SelectMultipleField

from rescue import clock
from rescue.audit import trail
from rescue.auth.roles import Role
from rescue.cases import duplicates, names
from rescue.cases.forms import SituationForm
from rescue.cases.models import (
    Case,
    CaseAlias,
    CaseLanguage,
    CaseNationality,
    Consent,
    IdentityDocument,
    TimelineEvent,
)
from rescue.cases.opening import open_case, refresh_name_key
from rescue.cases.person_forms import BirthStep, DocumentsStep, FoundStep, PersonStep
from rescue.cases.queries import visible_cases
from rescue.cases.search_index import name_contains
from rescue.core import once
from rescue.extensions import db
from rescue.intake.models import IntakeDraft

STEPS = ("person", "birth", "found", "situation", "documents", "review")
FORMS = {"person": PersonStep, "birth": BirthStep, "found": FoundStep, "situation": SituationForm,
         "documents": DocumentsStep}
SITUATION_FIELDS = ("next_of_kin", "next_of_kin_shareable", "recruitment_channel", "recruitment_details",
                    "exploitation", "pregnant", "medical_needs", "disability", "needs", "risk_level", "risk_notes",
                    "legal_status", "legal_notes")


def typed(draft: IntakeDraft) -> dict:
    return json.loads(draft.data or "{}")


def remember(draft: IntakeDraft, step: str, formdata: MultiDict) -> None:
    """Keep exactly what was typed in this step, valid or not, so nothing is lost."""
    data = typed(draft)
    values = {}
    for field in FORMS[step](formdata=MultiDict(), meta={"csrf": False}):
        many = isinstance(field, SelectMultipleField)
        values[field.name] = formdata.getlist(field.name) if many else formdata.get(field.name, "")
    data[step] = values
    draft.data = json.dumps(data, ensure_ascii=False)


def as_formdata(draft: IntakeDraft, step: str) -> MultiDict | None:
    values = typed(draft).get(step)
    if values is None:
        return None
    pairs = []
    for name, value in values.items():
        if isinstance(value, list):
            pairs += [(name, v) for v in value]
        elif value not in ("", None):
            pairs.append((name, value))
    return MultiDict(pairs)


def bound_form(draft: IntakeDraft, step: str, *, choices) -> object:
    form = FORMS[step](formdata=as_formdata(draft, step) or MultiDict(), meta={"csrf": False})
    choices(form)
    return form


def first_invalid_step(draft: IntakeDraft, choices) -> str | None:
    for step in FORMS:
        form = bound_form(draft, step, choices=choices)
        if not form.validate():
            return step
    return None


def values(draft: IntakeDraft, choices) -> dict:
    merged = {}
    for step in FORMS:
        merged.update(bound_form(draft, step, choices=choices).data)
    return merged


def _aliases(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()][:20]


def person_of(data: dict) -> duplicates.Person:
    return duplicates.Person(
        names=tuple(n for n in (data.get("family_name"), data.get("given_names"),
                                f"{data.get('given_names') or ''} {data.get('family_name') or ''}".strip(),
                                data.get("native_name"), *_aliases(data.get("aliases"))) if n),
        sex=data.get("sex") or "U",
        birth_year=data.get("birth_year"),
        birth_month=int(data["birth_month"]) if data.get("birth_month") else None,
        birth_day=data.get("birth_day"),
        nationalities=frozenset(data.get("nationalities") or ()),
    )


def possible_duplicates(data: dict, user) -> list[tuple[Case, duplicates.Match]]:
    """Cases the user may see that could be this person: gathered by any word of any name (in any
    script or its Latin form), or by year of birth and nationality; then scored."""
    person = person_of(data)
    words = {word for name in person.names for form in names.forms(name) for word in form.split() if len(word) >= 2}
    conditions = [name_contains(word) for word in list(words)[:12]]
    if person.birth_year and person.nationalities:
        conditions.append(Case.id.in_(select(CaseNationality.case_id).join(Case).where(
            Case.birth_year == person.birth_year, CaseNationality.country.in_(person.nationalities))))
    if not conditions:
        return []
    candidates = db.session.scalars(visible_cases(user).where(or_(*conditions)).limit(300)).all()
    people = [(case, duplicates.Person(
        names=tuple(n for n in (case.family_name, case.given_names, case.native_name,
                                *(a.name for a in case.aliases)) if n),
        sex=case.sex, birth_year=case.birth_year, birth_month=case.birth_month, birth_day=case.birth_day,
        nationalities=frozenset(n.country for n in case.nationalities))) for case in candidates]
    return duplicates.likely(person, people)


class AlreadyTaken(Exception):
    """This intake was saved a moment ago (a second press of the button, another tab)."""


def _take(draft: IntakeDraft) -> None:
    """The draft goes first, by one atomic write: of two submissions at once, one opens the case."""
    if not once.claim(delete(IntakeDraft).where(IntakeDraft.id == draft.id)):
        raise AlreadyTaken()
    db.session.expunge(draft)


def create_case(draft: IntakeDraft, data: dict, *, user, address: str | None) -> Case:
    organisation_id = draft.organisation_id
    _take(draft)
    case = Case(
        organisation_id=organisation_id,
        assigned_to_id=user.id if user.role == Role.CASEWORKER else None,
        status=data.get("status") or "rescued",
        family_name=(data.get("family_name") or "").strip() or None,
        given_names=(data.get("given_names") or "").strip() or None,
        native_name=(data.get("native_name") or "").strip() or None,
        sex=data.get("sex") or "U",
        birth_year=data.get("birth_year"),
        birth_month=int(data["birth_month"]) if data.get("birth_month") else None,
        birth_day=data.get("birth_day"),
        approximate_age=data.get("approximate_age"),
        age_assessed_on=date.today() if data.get("approximate_age") is not None else None,
        interpreter_needed=bool(data.get("interpreter_needed")),
        found_country=data.get("found_country") or None,
        found_city=(data.get("found_city") or "").strip() or None,
        rescued_on=data.get("rescued_on"),
        phone=(data.get("phone") or "").strip() or None,
        created_by_id=user.id,
    )
    for position, code in enumerate(dict.fromkeys(data.get("nationalities") or [])):
        case.nationalities.append(CaseNationality(country=code, position=position))
    for position, code in enumerate(dict.fromkeys(data.get("languages") or [])):
        case.languages.append(CaseLanguage(language=code, position=position))
    for alias in _aliases(data.get("aliases")):
        case.aliases.append(CaseAlias(name=alias))
    for name in SITUATION_FIELDS:
        value = data.get(name)
        setattr(case, name, (value.strip() or None) if isinstance(value, str) else value)
    if data.get("document_kind"):
        case.identity_documents.append(IdentityDocument(
            kind=data["document_kind"], status=data.get("document_status") or "lost",
            number=(data.get("document_number") or "").strip().upper() or None,
            issuing_country=data.get("document_country") or None))
    if data.get("processing_consent"):
        case.consents.append(Consent(purpose="processing", decision=data["processing_consent"],
                                     given_on=date.today(), recorded_by_id=user.id))
    open_case(case, actor_id=user.id)
    trail.record("case.created", actor_id=user.id, object_type="case", object_id=case.id, address=address)
    return case


def link_to(draft: IntakeDraft, data: dict, case: Case, *, user, address: str | None) -> None:
    """The person is already a case: keep the names typed now as aliases of that case, note it on its
    timeline, and close the draft. Nothing of the case is overwritten."""
    _take(draft)
    known = {names.fold(n) for n in (case.family_name, case.given_names, case.native_name,
                                     *(a.name for a in case.aliases)) if n}
    typed_names = [data.get("native_name"), " ".join(p for p in (data.get("given_names"), data.get("family_name")) if p),
                   *_aliases(data.get("aliases"))]
    for name in typed_names:
        if name and names.fold(name) not in known:
            case.aliases.append(CaseAlias(name=name.strip()))
            known.add(names.fold(name))
    refresh_name_key(case)
    case.timeline.append(TimelineEvent(kind="intake_linked", actor_id=user.id))
    trail.record("case.intake_linked", actor_id=user.id, object_type="case", object_id=case.id, address=address)


def prune(days: int) -> int:
    """Delete intakes abandoned part way: drafts nobody has typed into for `days` days (they hold names and
    the person's story). Returns how many went."""
    cutoff = clock.utcnow() - timedelta(days=days)
    removed = db.session.execute(delete(IntakeDraft).where(IntakeDraft.updated_at < cutoff)).rowcount
    db.session.commit()
    return removed or 0
