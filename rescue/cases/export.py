"""Exports of the case list to CSV and XLSX: the same filters and scope as the page, and only the
columns of the reader's field set."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook

from rescue.auth import policy
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


def columns(role: str) -> list[tuple[str, callable]]:
    shared = [
        (_("Case number"), lambda c: c.number),
        (_("Family name"), lambda c: c.family_name or ""),
        (_("Given names"), lambda c: c.given_names or ""),
        (_("Name in own script"), lambda c: c.native_name or ""),
        (_("Sex"), lambda c: sex_label(c.sex)),
        (_("Date of birth"), _birth),
        (_("Nationality"), lambda c: " ".join(n.country for n in c.nationalities)),
        (_("Status"), lambda c: status_label(c.status)),
    ]
    if policy.field_set(role) != policy.FULL:
        return shared
    return shared + [
        (_("Assigned to"), lambda c: c.assigned_to.label if c.assigned_to else ""),
        (_("Rescued on"), lambda c: c.rescued_on.isoformat() if c.rescued_on else ""),
        (_("Where found"), lambda c: ", ".join(p for p in (c.found_city, c.found_country) if p)),
    ]


def _safe(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table(cases, role: str) -> tuple[list[str], list[list[str]]]:
    spec = columns(role)
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
