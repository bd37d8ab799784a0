"""Correcting what a case says about the person. Every change names the fields in the audit trail
(never their values), and a stale copy gets a conflict, never a silent overwrite."""
from __future__ import annotations

from datetime import date

from rescue.audit import trail
from rescue.cases.models import Case, CaseAlias, CaseLanguage, CaseNationality, TimelineEvent
from rescue.cases.opening import refresh_name_key
from rescue.cases.progress import StaleCase
from rescue.clock import utcnow

SIMPLE_FIELDS = ("family_name", "given_names", "native_name", "sex", "birth_year", "birth_month", "birth_day",
                 "approximate_age", "interpreter_needed", "found_country", "found_city", "rescued_on", "phone")


def current_values(case: Case) -> dict:
    values = {name: getattr(case, name) for name in SIMPLE_FIELDS}
    values["birth_month"] = str(case.birth_month) if case.birth_month else ""
    values["aliases"] = "\n".join(a.name for a in case.aliases)
    values["nationalities"] = [n.country for n in case.nationalities]
    values["languages"] = [lang.language for lang in case.languages]
    return values


def _replace(rows: list, wanted: list[str], attribute: str, model) -> None:
    """Make `rows` hold `wanted`, in order, keeping the rows that stay (their unique key must not be
    inserted twice in one flush)."""
    existing = {getattr(row, attribute): row for row in rows}
    for row in list(rows):
        if getattr(row, attribute) not in wanted:
            rows.remove(row)
    for position, value in enumerate(wanted):
        row = existing.get(value)
        if row is None:
            rows.append(model(**{attribute: value, "position": position}))
        else:
            row.position = position
    rows.sort(key=lambda row: row.position)


def apply(case: Case, data: dict, *, version: int, user, address: str | None) -> list[str]:
    if case.version != version:
        raise StaleCase()
    before = current_values(case)
    cleaned = dict(data)
    for name in ("family_name", "given_names", "native_name", "found_city", "phone"):
        cleaned[name] = (cleaned.get(name) or "").strip() or None
    cleaned["birth_month"] = int(cleaned["birth_month"]) if cleaned.get("birth_month") else None
    cleaned["found_country"] = cleaned.get("found_country") or None
    cleaned["interpreter_needed"] = bool(cleaned.get("interpreter_needed"))
    changed = []
    for name in SIMPLE_FIELDS:
        old = before[name] if name != "birth_month" else (case.birth_month)
        if cleaned.get(name) != old:
            setattr(case, name, cleaned.get(name))
            changed.append(name)
    if "approximate_age" in changed:
        case.age_assessed_on = date.today() if case.approximate_age is not None else None
    aliases = [line.strip() for line in (data.get("aliases") or "").splitlines() if line.strip()][:20]
    if aliases != [a.name for a in case.aliases]:
        case.aliases = [CaseAlias(name=name) for name in aliases]
        changed.append("aliases")
    nationalities = list(dict.fromkeys(data.get("nationalities") or []))
    if nationalities != before["nationalities"]:
        _replace(case.nationalities, nationalities, "country", CaseNationality)
        changed.append("nationalities")
    languages = list(dict.fromkeys(data.get("languages") or []))
    if languages != before["languages"]:
        _replace(case.languages, languages, "language", CaseLanguage)
        changed.append("languages")
    if changed:
        refresh_name_key(case)
        case.updated_at = utcnow()
        case.timeline.append(TimelineEvent(kind="details_changed", actor_id=user.id))
        trail.record("case.changed", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                     detail={"fields": changed})
    return changed
