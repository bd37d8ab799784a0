"""Locating: reports of people still held, and the sites where they are held."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from rescue.auth.access import authorised, guarded, require
from rescue.core import loading, numbers
from rescue.extensions import db
from rescue.i18n.choices import country_choices
from rescue.i18n.collation import sort_for
from rescue.locating import service
from rescue.locating.forms import ReportForm, SiteForm
from rescue.locating.models import Report, ReportStatus
from rescue.operations.models import Site

bp = Blueprint("locating", __name__)


def _sites() -> list[Site]:
    rows = db.session.scalars(select(Site).where(Site.organisation_id == current_user.organisation_id)).all()
    return sort_for(str(get_locale()), rows, key=lambda site: site.name)


def _report_form(report: Report | None = None) -> ReportForm:
    form = ReportForm(obj=report)
    form.nationality.choices = country_choices(with_special=True, blank="—")
    form.site_id.choices = [("", "—")] + [(s.id, f"{s.name} ({s.city or s.country})") for s in _sites()]
    return form


@bp.route("/reports")
@guarded("report.list")
def reports():
    status = request.args.get("status", "open")
    site = numbers.arg(request.args, "site")
    query = loading.listing(select(Report)).where(Report.organisation_id == current_user.organisation_id)
    if status in ReportStatus.values():
        query = query.where(Report.status == status)
    if site:
        query = query.where(Report.site_id == site)
    rows = db.session.scalars(query.order_by(Report.id.desc()).limit(500)).all()
    return render_template("locating/reports.html", reports=rows, status=status, site=site, sites=_sites(),
                           statuses=ReportStatus.choices())


@bp.route("/reports/new", methods=["GET", "POST"])
@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@authorised("report.edit", Report)
def report(report: Report | None = None):
    record = report
    form = _report_form(record)
    if form.validate_on_submit():
        target = record or Report(organisation_id=current_user.organisation_id, created_by_id=current_user.id)
        if target.status == ReportStatus.RESCUED:
            form.status.data = "rescued"  # a rescued report stays rescued
        service.save_report(target, form.data, user=current_user, address=request.remote_addr)
        db.session.commit()
        flash(_("The report is saved."), "success")
        return redirect(url_for("locating.reports", status=target.status))
    return render_template("locating/report.html", form=form, report=record), 400 if form.errors else 200


@bp.route("/reports/<int:report_id>/rescued", methods=["POST"])
@authorised("report.edit", Report)
def rescued(report: Report):
    record = report
    require("case.create")
    if record.status != ReportStatus.OPEN:
        flash(_("This report is not open any more."), "error")
        return redirect(url_for("locating.report", report_id=record.id))
    try:
        case = service.rescue_from_report(record, user=current_user, today=date.today(), address=request.remote_addr)
    except service.ReportTaken:
        db.session.rollback()
        flash(_("This report is not open any more."), "error")
        return redirect(url_for("locating.report", report_id=record.id))
    db.session.commit()
    flash(_("Case %(number)s is opened from the report. Complete it with what the person tells you.",
            number=case.number), "success")
    return redirect(url_for("cases.editing.edit", case_id=case.id))


@bp.route("/sites")
@guarded("site.edit")
def sites():
    return render_template("locating/sites.html", sites=_sites(),
                           figures=service.figures_by_site(current_user.organisation_id))


@bp.route("/sites/new", methods=["GET", "POST"])
@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@authorised("site.edit", Site)
def site(site: Site | None = None):
    record = site
    form = SiteForm(obj=record)
    form.country.choices = country_choices(blank="—")
    if request.method == "GET" and record is not None:
        form.latitude.data = str(record.latitude) if record.latitude is not None else ""
        form.longitude.data = str(record.longitude) if record.longitude is not None else ""
    if form.validate_on_submit():
        target = record or Site(organisation_id=current_user.organisation_id)
        service.save_site(target, form.data, user=current_user, address=request.remote_addr)
        db.session.commit()
        flash(_("The site is saved."), "success")
        return redirect(url_for("locating.sites"))
    figures = service.figures_by_site(current_user.organisation_id).get(record.id) if record else None
    return render_template("locating/site.html", form=form, site=record, figures=figures)
