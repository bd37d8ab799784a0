"""Reports of people held, gathered by site; and a report becoming a rescued case without retyping."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from rescue.audit import trail
from rescue.auth.roles import Role
from rescue.cases.models import Case, CaseNationality, TimelineEvent
from rescue.cases.opening import open_case
from rescue.core import once
from rescue.extensions import db
from rescue.locating.models import Report, ReportStatus
from rescue.operations.models import Site

REPORT_FIELDS = ("source", "reliability", "reporter_contact", "family_name", "given_names", "native_name", "sex",
                 "approximate_age", "nationality", "site_id", "last_known_location", "safe_contact", "notes", "status")
SITE_FIELDS = ("name", "country", "city", "latitude", "longitude", "operator_names", "notes")


@dataclass
class SiteFigures:
    held: int = 0
    minors: int = 0
    rescued: int = 0
    nationalities: Counter = field(default_factory=Counter)


def save_report(report: Report, data: dict, *, user, address: str | None) -> Report:
    created = report.id is None
    for name in REPORT_FIELDS:
        if name in data:
            value = data[name]
            setattr(report, name, value.strip() or None if isinstance(value, str) and name not in (
                "source", "reliability", "sex", "status") else value)
    report.nationality = report.nationality or None
    db.session.add(report)
    db.session.flush()
    trail.record("report.created" if created else "report.updated", actor_id=user.id, object_type="report",
                 object_id=report.id, address=address)
    return report


def save_site(site: Site, data: dict, *, user, address: str | None) -> Site:
    created = site.id is None
    for name in SITE_FIELDS:
        value = data.get(name)
        if name in ("latitude", "longitude"):
            value = float(value.replace(",", ".")) if value else None
        elif isinstance(value, str):
            value = value.strip() or None
        setattr(site, name, value)
    db.session.add(site)
    db.session.flush()
    trail.record("site.created" if created else "site.updated", actor_id=user.id, object_type="site",
                 object_id=site.id, address=address)
    return site


def figures_by_site(organisation_id: int) -> dict[int, SiteFigures]:
    """What a coordinator tells the police: how many people, of which nationalities, minors among them."""
    figures: dict[int, SiteFigures] = {}
    rows = db.session.execute(select(Report.site_id, Report.status, Report.nationality, Report.approximate_age)
                              .where(Report.organisation_id == organisation_id, Report.site_id.is_not(None)))
    for site_id, status, nationality, age in rows:
        entry = figures.setdefault(site_id, SiteFigures())
        if status == ReportStatus.OPEN:
            entry.held += 1
            entry.nationalities[nationality or "XXX"] += 1
            if age is not None and age < 18:
                entry.minors += 1
        elif status == ReportStatus.RESCUED:
            entry.rescued += 1
    return figures


class ReportTaken(Exception):
    """Someone else opened the case of this report a moment ago."""


def rescue_from_report(report: Report, *, user, today: date, address: str | None) -> Case:
    """The person reported is free: open their case from what the report already says. The report is taken
    first, by one atomic write: of two people pressing the button at once, one opens the case."""
    if not once.claim(update(Report).where(Report.id == report.id, Report.status == ReportStatus.OPEN)
                      .values(status=ReportStatus.RESCUED)):
        raise ReportTaken()
    site = report.site
    case = Case(
        organisation_id=report.organisation_id,
        assigned_to_id=user.id if user.role == Role.CASEWORKER else None,
        status="rescued",
        family_name=report.family_name, given_names=report.given_names, native_name=report.native_name,
        sex=report.sex or "U",
        approximate_age=report.approximate_age, age_assessed_on=today if report.approximate_age is not None else None,
        site_id=report.site_id,
        found_country=site.country if site else None, found_city=site.city if site else None,
        rescued_on=today, created_by_id=user.id,
    )
    if report.nationality:
        case.nationalities.append(CaseNationality(country=report.nationality, position=0))
    open_case(case, actor_id=user.id)
    case.timeline.append(TimelineEvent(kind="from_report", actor_id=user.id))
    set_committed_value(report, "status", ReportStatus.RESCUED.value)
    report.case_id = case.id
    trail.record("case.created", actor_id=user.id, object_type="case", object_id=case.id, address=address,
                 detail={"from_report": report.id})
    return case
