"""Likely duplicates: the same person recorded twice, perhaps in another script or spelling.
Pure apart from the query that gathers candidates. Names are compared in their Latin forms
(transliterated), fuzzily, and the score is weighted with date of birth, sex and nationality."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from rescue.cases import names
from rescue.i18n.transliteration import to_latin

THRESHOLD = 70


@dataclass(frozen=True)
class Person:
    names: tuple[str, ...]
    sex: str = "U"
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    nationalities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    score: int
    name_score: int
    same_birth: bool | None
    same_sex: bool | None
    shared_nationality: bool | None


def _latin_forms(person: Person) -> list[str]:
    forms = []
    for name in person.names:
        for form in names.forms(name):
            latin = form if form.isascii() else to_latin(form)
            if latin and latin not in forms:
                forms.append(latin)
    return forms


def compare(new: Person, existing: Person) -> Match:
    ours, theirs = _latin_forms(new), _latin_forms(existing)
    name_score = 0
    for a in ours:
        for b in theirs:
            name_score = max(name_score, int(fuzz.token_set_ratio(a, b)), int(fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))))
    score = name_score
    same_birth = None
    if new.birth_year and existing.birth_year:
        same_birth = new.birth_year == existing.birth_year and all(
            x is None or y is None or x == y for x, y in ((new.birth_month, existing.birth_month),
                                                          (new.birth_day, existing.birth_day)))
        score += 15 if same_birth else -25
    same_sex = None
    if new.sex in "FM" and existing.sex in "FM":
        same_sex = new.sex == existing.sex
        score += 5 if same_sex else -30
    shared = None
    known = {"XXX"}
    if new.nationalities - known and existing.nationalities - known:
        shared = bool(new.nationalities & existing.nationalities)
        score += 10 if shared else -15
    return Match(max(0, min(score, 100)), name_score, same_birth, same_sex, shared)


def likely(new: Person, candidates: list[tuple[object, Person]], limit: int = 5) -> list[tuple[object, Match]]:
    scored = [(key, compare(new, person)) for key, person in candidates]
    scored = [(key, match) for key, match in scored if match.score >= THRESHOLD]
    return sorted(scored, key=lambda item: -item[1].score)[:limit]
