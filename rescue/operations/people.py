"""Many people at once: the morning after a raid. Rows typed on the mass-intake page or read from a
spreadsheet are checked together; if one row is wrong nothing is saved, and each wrong row says why."""
from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from xml.etree import ElementTree

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlalchemy import case as when
from sqlalchemy import func, select

from rescue.audit import trail
from rescue.cases.models import Case, CaseLanguage, CaseNationality
from rescue.cases.opening import open_case
from rescue.core.forms import clean_text
from rescue.extensions import db
from rescue.i18n.countries import is_country_code
from rescue.operations.models import Operation

COLUMNS = ("tag", "family_name", "given_names", "native_name", "sex", "age", "nationality", "language")
HEADER_ALIASES = {
    "tag": ("tag", "number", "no", "wristband"),
    "family_name": ("family_name", "family name", "surname", "last name"),
    "given_names": ("given_names", "given names", "first name", "first names"),
    "native_name": ("native_name", "name in own script", "native name"),
    "sex": ("sex", "gender"),
    "age": ("age", "approximate age"),
    "nationality": ("nationality", "country", "iso3"),
    "language": ("language", "languages", "lang"),
}
MAX_ROWS = 2000


@dataclass
class Row:
    number: int
    values: dict
    problems: list = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not any((self.values.get(c) or "").strip() for c in COLUMNS)


def check(rows: list[Row], *, taken_tags: set[str] = frozenset()) -> list[Row]:
    """Fill each row's problems; blank rows are dropped. `taken_tags` are the numbers the operation has
    given already, so the same list imported twice does not open the same people twice."""
    kept = []
    seen_tags = set(taken_tags)
    for row in rows:
        values = {c: clean_text(str(row.values.get(c) or "")).strip() for c in COLUMNS}
        row.values = values
        if row.blank:
            continue
        if not (values["family_name"] or values["given_names"] or values["native_name"]):
            row.problems.append(_l("Write at least one name, in any script."))
        for name, limit in (("family_name", 200), ("given_names", 200), ("native_name", 300), ("tag", 32)):
            if len(values[name]) > limit:
                row.problems.append(_l("A value is too long."))
                break
        sex = values["sex"].upper()[:1] if values["sex"] else "U"
        if sex not in ("F", "M", "X", "U"):
            row.problems.append(_l("Sex is F, M, X or empty."))
        values["sex"] = sex
        if values["age"] and (not values["age"].isdigit() or not 0 <= int(values["age"]) <= 120):
            row.problems.append(_l("Write an age between 0 and 120."))
        values["nationality"] = values["nationality"].upper()
        if values["nationality"] and not is_country_code(values["nationality"]):
            row.problems.append(_l("Nationality is a three-letter country code, such as KHM or IDN."))
        values["language"] = values["language"].lower()
        if values["language"] and not values["language"].replace("-", "").isalpha():
            row.problems.append(_l("A value is too long.") if len(values["language"]) > 16 else
                                _l("Use language codes such as km, th, fil, separated by spaces."))
        if values["tag"]:
            if values["tag"] in seen_tags:
                row.problems.append(_l("This number is used twice."))
            seen_tags.add(values["tag"])
        kept.append(row)
    return kept


class UnreadableSpreadsheet(ValueError):
    """The file is neither a CSV nor an XLSX that can be read (damaged, or something else renamed)."""


class TooManyRows(ValueError):
    """More people than one import takes (MAX_ROWS); nothing beyond the limit was read, or the file is too
    large to hold only that many."""


# Bounds applied while reading, before anything is kept: the rows and columns read, the length of a cell, and
# the size an XLSX's parts expand to (a small file can unpack to gigabytes).
MAX_COLUMNS = 60
MAX_CELL = 2000
MAX_UNPACKED = 16 * 1024 * 1024  # far above 2,000 rows of any sheet people keep


def _cell(value) -> str:
    return "" if value is None else str(value)[:MAX_CELL]


def _rows(data: bytes) -> Iterator[list[str]]:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(part.file_size for part in archive.infolist()) > MAX_UNPACKED:
                raise TooManyRows(MAX_ROWS)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in book.active.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield [_cell(value) for value in row]
        finally:
            book.close()
        return
    text = data.decode("utf-8-sig", errors="replace")
    for line in csv.reader(io.StringIO(text)):
        yield [_cell(value) for value in line[:MAX_COLUMNS]]


def _table(data: bytes) -> list[list[str]]:
    """The header and at most MAX_ROWS rows, read as a stream: a longer file stops being read at once."""
    try:
        table = list(itertools.islice(_rows(data), MAX_ROWS + 2))
    except (csv.Error, zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as error:
        if isinstance(error, (UnreadableSpreadsheet, TooManyRows)):
            raise
        raise UnreadableSpreadsheet(type(error).__name__) from None
    if len(table) > MAX_ROWS + 1:
        raise TooManyRows(MAX_ROWS)
    return table


def read_spreadsheet(data: bytes, filename: str) -> list[Row]:
    """Rows of a CSV or XLSX file whose first row names the columns."""
    table = _table(data)
    if not table:
        return []
    header = [h.strip().lower() for h in table[0]]
    positions = {}
    for column, aliases in HEADER_ALIASES.items():
        for index, name in enumerate(header):
            if name in aliases:
                positions[column] = index
                break
    rows = []
    for number, line in enumerate(table[1:], start=2):
        rows.append(Row(number, {c: line[i] if i < len(line) else "" for c, i in positions.items()}))
    return rows


def save(operation: Operation, rows: list[Row], *, user, today: date, address: str | None) -> list[Case]:
    site = operation.site
    cases = []
    for row in rows:
        v = row.values
        case = Case(
            organisation_id=operation.organisation_id, operation_id=operation.id, site_id=operation.site_id,
            operation_tag=v["tag"] or None, status="rescued",
            family_name=v["family_name"] or None, given_names=v["given_names"] or None,
            native_name=v["native_name"] or None, sex=v["sex"],
            approximate_age=int(v["age"]) if v["age"] else None, age_assessed_on=today if v["age"] else None,
            found_country=site.country if site else None, found_city=site.city if site else None,
            rescued_on=operation.planned_on or today, created_by_id=user.id,
        )
        if v["nationality"]:
            case.nationalities.append(CaseNationality(country=v["nationality"], position=0))
        if v["language"]:
            case.languages.append(CaseLanguage(language=v["language"][:16], position=0))
        open_case(case, actor_id=user.id)
        cases.append(case)
    trail.record("operation.mass_intake", actor_id=user.id, object_type="operation", object_id=operation.id,
                 address=address, detail={"cases": len(cases)})
    return cases


@dataclass
class Headcount:
    total: int = 0
    minors: int = 0
    by_sex: Counter = field(default_factory=Counter)
    by_nationality: Counter = field(default_factory=Counter)


def headcounts(operation_ids: list[int]) -> dict[int, Headcount]:
    counts: dict[int, Headcount] = {i: Headcount() for i in operation_ids}
    if not operation_ids:
        return counts
    today = date.today()
    rows = db.session.execute(
        select(Case.operation_id, Case.sex, func.min(CaseNationality.country),
               func.max(when((Case.possibly_minor_on(today), 1), else_=0)))
        .outerjoin(CaseNationality, CaseNationality.case_id == Case.id)
        .where(Case.operation_id.in_(operation_ids)).group_by(Case.id, Case.operation_id, Case.sex))
    for operation_id, sex, country, minor in rows:
        entry = counts[operation_id]
        entry.total += 1
        entry.by_sex[sex or "U"] += 1
        entry.by_nationality[country or "XXX"] += 1
        entry.minors += int(minor or 0)
    return counts


def tags_in(operation: Operation) -> set[str]:
    return set(db.session.scalars(select(Case.operation_tag).where(
        Case.operation_id == operation.id, Case.operation_tag.is_not(None))))
