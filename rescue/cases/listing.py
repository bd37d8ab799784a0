"""The case list: filters, sorting and keyset pagination (fast on deep pages), applied on top of the
policy's scope. Shared by the list page and the exports."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, or_, select, union

from rescue.cases import catalogue, names
from rescue.cases.models import Case, CaseNationality, IdentityDocument
from rescue.cases.search_index import ids_with_name, name_contains, newest_ids_with_name
from rescue.cases.workflow import ALL_STATES, OPEN_STATES
from rescue.clock import utcnow
from rescue.core.forms import clean_text
from rescue.core.numbers import positive_int

SORTS = ("newest", "waiting")
WAITING_CHOICES = (7, 14, 30, 60, 90)


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    open_only: bool = False
    nationality: str = ""
    assigned: str = ""  # "me", "none", or a user id
    minors: bool = False
    waiting: int | None = None
    operation: int | None = None
    site: int | None = None
    sort: str = "newest"
    extra: dict = field(default_factory=dict)

    def as_args(self) -> dict:
        """The filters as query-string arguments (empty ones left out)."""
        args = {"q": self.q, "status": self.status, "open": "1" if self.open_only else "",
                "nationality": self.nationality, "assigned": self.assigned, "minors": "1" if self.minors else "",
                "waiting": self.waiting, "operation": self.operation, "site": self.site,
                "sort": self.sort if self.sort != "newest" else ""}
        return {k: v for k, v in args.items() if v}


def parse(args) -> CaseFilters:
    """Read filters from a query string; anything malformed, or a number beyond the database's range,
    is ignored, never an error."""
    status = args.get("status", "")
    assigned = args.get("assigned", "")
    if assigned not in ("me", "none") and positive_int(assigned) is None:
        assigned = ""
    waiting = positive_int(args.get("waiting"))
    return CaseFilters(
        q=clean_text(args.get("q") or "").strip()[:100],
        status=status if status in ALL_STATES else "",
        open_only=args.get("open") == "1",
        nationality=(args.get("nationality") or "")[:3].upper() if (args.get("nationality") or "").isalpha() else "",
        assigned=assigned,
        minors=args.get("minors") == "1",
        waiting=waiting if waiting in WAITING_CHOICES else None,
        operation=positive_int(args.get("operation")),
        site=positive_int(args.get("site")),
        sort=args.get("sort") if args.get("sort") in SORTS else "newest",
    )


def words_of(form: str) -> list[str]:
    """The words of a name as typed, each once: "CHHUN Sreymom" finds Sreymom CHHUN, in any order."""
    return list(dict.fromkeys(word for word in form.split() if word)) or [form]


def _all_words(form: str) -> Select:
    words = words_of(form)
    if len(words) == 1:
        return ids_with_name(words[0])
    return select(Case.id).where(*(Case.id.in_(ids_with_name(word)) for word in words))


# Part of a case number as people read it out ("9PR5", "RC-9PR5"): letters, digits and dashes, with a digit.
_NUMBER_PART = re.compile(r"[A-Z0-9-]{4,20}")


def _numbered(q: str, user) -> list[Select]:
    """Cases found by a number: the case number (whole or a part of it), a travel or identity document's
    number, and the number given on the day of a rescue (wristband or list number) to readers who may read
    it."""
    code = q.strip().upper()
    found = [select(Case.id).where(Case.number == code),
             *(lookup(code, user) for lookup in NUMBER_LOOKUPS),
             select(IdentityDocument.case_id).where(IdentityDocument.number == code)]
    if _NUMBER_PART.fullmatch(code) and any(c.isdigit() for c in code):
        found.append(select(Case.id).where(Case.number.like(f"%{code}%")))
    field_set = catalogue.field_set_of_role(getattr(user, "role", None))
    if "operation_tag" in catalogue.readable_columns(field_set, "case"):
        found.append(select(Case.id).where(Case.operation_tag.in_({q.strip(), code})))
    return found


# Other records a person can be found by the number of (a travel document's): each a function (code, user) ->
# a query of case ids, registered by the capability that keeps those records.
NUMBER_LOOKUPS: list[Callable[[str, object], Select]] = []


def register_number_lookup(lookup: Callable[[str, object], Select]) -> None:
    NUMBER_LOOKUPS.append(lookup)


def apply(query: Select, filters: CaseFilters, user, today: date) -> Select:
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.open_only:
        query = query.where(Case.status.in_(OPEN_STATES))
    if filters.q:
        # One set of matching ids, gathered from each index, so the database looks up a few rows
        # instead of testing every case against every kind of match.
        matches = union(*_numbered(filters.q, user), *(_all_words(form) for form in names.forms(filters.q)))
        # Drive the query from the (few) matches, not from the whole table.
        found = matches.subquery()
        query = query.join(found, Case.id == found.c.id)
    if filters.nationality:
        query = query.where(select(CaseNationality.id).where(
            CaseNationality.case_id == Case.id, CaseNationality.country == filters.nationality).exists())
    # A filter on a column the reader may not read would tell them its value: ignored for them.
    readable = catalogue.readable_columns(catalogue.field_set_of_role(getattr(user, "role", None)), "case")
    if "assigned_to_id" not in readable or "operation_id" not in readable or "site_id" not in readable:
        filters = replace(filters, assigned="" if "assigned_to_id" not in readable else filters.assigned,
                          operation=None if "operation_id" not in readable else filters.operation,
                          site=None if "site_id" not in readable else filters.site)
    if filters.assigned == "me":
        query = query.where(Case.assigned_to_id == user.id)
    elif filters.assigned == "none":
        query = query.where(Case.assigned_to_id.is_(None))
    elif filters.assigned:
        query = query.where(Case.assigned_to_id == int(filters.assigned))
    if filters.minors:
        query = query.where(Case.possibly_minor_on(today))
    if filters.waiting:
        query = query.where(Case.status_changed_at < utcnow() - timedelta(days=filters.waiting),
                            Case.status.in_(OPEN_STATES))
    if filters.operation:
        query = query.where(Case.operation_id == filters.operation)
    if filters.site:
        query = query.where(Case.site_id == filters.site)
    return query


def order(query: Select, filters: CaseFilters) -> Select:
    if filters.sort == "waiting":
        return query.order_by(Case.status_changed_at.asc(), Case.id.asc())
    return query.order_by(Case.id.desc())


def after(query: Select, filters: CaseFilters, cursor: str | None) -> Select:
    """Rows after the cursor of the previous page's last row (keyset, not OFFSET). A malformed cursor,
    or one beyond the database's range, is ignored: the first page."""
    if not cursor:
        return query
    if filters.sort == "waiting":
        stamp, _, last_id = cursor.partition("~")
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            return query
        last = positive_int(last_id)
        if last is None:
            return query
        return query.where(or_(Case.status_changed_at > moment,
                               and_(Case.status_changed_at == moment, Case.id > last)))
    before = positive_int(cursor)
    return query.where(Case.id < before) if before is not None else query


def cursor_of(case: Case, filters: CaseFilters) -> str:
    if filters.sort == "waiting":
        return f"{case.status_changed_at.isoformat()}~{case.id}"
    return str(case.id)


CHUNK = 500


def search_newest(query: Select, filters: CaseFilters, cursor: str | None, size: int, user=None) -> list[Case]:
    """One page of a search, newest first, without sorting every match of a common name: matches
    are read newest-first from each index in chunks and kept when the user's scope and filters
    allow, until the page is full."""
    from rescue.extensions import db

    before = positive_int(cursor)
    exact = set(db.session.scalars(union(*_numbered(filters.q, user))))
    forms = names.forms(filters.q)
    bounds = dict.fromkeys(forms, before)
    exhausted = set()
    found: set[int] = set()
    ids = query.with_only_columns(Case.id)  # which candidates the scope and filters allow, ids only
    while len(found) < size and len(exhausted) < len(forms):
        candidates = set()
        for form in forms:
            if form in exhausted:
                continue
            # The index is read in order for the longest word; the other words narrow what it gives.
            scan, *others = sorted(words_of(form), key=len, reverse=True)
            chunk = newest_ids_with_name(scan, before=bounds[form], limit=CHUNK)
            if len(chunk) < CHUNK:
                exhausted.add(form)
            if chunk:
                bounds[form] = chunk[-1]
                candidates.update(db.session.scalars(ids.where(Case.id.in_(chunk), *map(name_contains, others)))
                                  if others else chunk)
        if candidates:
            found.update(db.session.scalars(ids.where(Case.id.in_(candidates))))
        # Every form has been read down to its bound: what is found above the lowest bound is final.
        floor = max((bounds[f] for f in forms if f not in exhausted and bounds[f]), default=0)
        if len([i for i in found if i > floor]) >= size:
            break
    extra = [i for i in exact if (before is None or i < before) and i not in found]
    if extra:
        found.update(db.session.scalars(ids.where(Case.id.in_(extra))))
    floor = max((bounds[f] for f in forms if f not in exhausted and bounds[f]), default=0)
    page = [i for i in sorted(found, reverse=True) if i > floor][:size]
    if not page:
        return []
    loaded = {case.id: case for case in db.session.scalars(query.where(Case.id.in_(page)))}  # one page, whole
    return [loaded[i] for i in page if i in loaded]
