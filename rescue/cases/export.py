"""Exports of the case list to CSV and XLSX: the same filters and scope as the page, and only the
columns of the reader's field set."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook

from rescue.cases import catalogue
from rescue.cases.birth import Birth
from rescue.cases.labels import sex_label, status_label
from rescue.cases.models import Case

MAX_ROWS = 50_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _birth(case: Case) -> str:
    birth = Birth(case.birth_year, case.birth_month, case.birth_day, case.approximate_age, case.age_assessed_on)
    if case.birth_year is None:
        return f"~{case.approximate_age}" if case.approximate_age is not None else ""
    month = f"{case.birth_month:02d}" if case.birth_month else "??"
    day = f"{case.birth_day:02d}" if case.birth_day else "??"
    return f"{case.birth_year}-{month}-{day}" if birth else ""


def columns(field_set: str | None) -> list[tuple[str, Callable[[Case], str]]]:
    """The columns a reader with `field_set` may have, each read through the field catalogue."""
    def seen(case: Case) -> catalogue.Seen:
        return catalogue.Seen(case, "case", field_set)

    spec: list[tuple[str, str | None, Callable[[Case], str]]] = [
        (_("Case number"), "number", lambda c: c.number),
        (_("Family name"), "family_name", lambda c: seen(c).family_name or ""),
        (_("Given names"), "given_names", lambda c: seen(c).given_names or ""),
        (_("Name in own script"), "native_name", lambda c: seen(c).native_name or ""),
        (_("Sex"), "sex", lambda c: sex_label(c.sex)),
        (_("Date of birth"), "birth_month", _birth),
        (_("Nationality"), None, lambda c: " ".join(n.country for n in c.nationalities)),
        (_("Status"), "status", lambda c: status_label(c.status)),
        (_("Assigned to"), "assigned_to_id", lambda c: c.assigned_to.label if c.assigned_to else ""),
        (_("Rescued on"), "rescued_on", lambda c: c.rescued_on.isoformat() if c.rescued_on else ""),
        (_("Where found"), "found_city", lambda c: ", ".join(p for p in (c.found_city, c.found_country) if p)),
    ]
    return [(title, get) for title, column, get in spec
            if column is None or catalogue.may_read(field_set, "case", column)]


def _safe(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table(cases, field_set: str | None) -> tuple[list[str], list[list[str]]]:
    spec = columns(field_set)
    return [title for title, _get in spec], [[_safe(get(case)) for _title, get in spec] for case in cases]


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read UTF-8


def to_xlsx(header: list[str], rows: list[list[str]], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(extension: str, today: date) -> str:
    return f"cases-{today.isoformat()}.{extension}"
