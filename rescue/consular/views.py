"""The missions directory, referrals and the mission's inbox."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.auth.roles import Role
from rescue.cases import catalogue
from rescue.cases.models import Case
from rescue.cases.page import case_page
from rescue.cases.queries import visible_cases
from rescue.cases.summary import birth_of, case_summary, language_name
from rescue.cases.workflow import CaseStatus, ReferralStatus
from rescue.clock import utcnow
from rescue.consular import referrals
from rescue.consular.forms import DecisionForm, MessageForm, StatelessForm, refer_form
from rescue.consular.labels import explain_refusal, refusal
from rescue.consular.models import ENDED_REFERRAL_STATUSES, OPEN_REFERRAL_STATUSES, Referral
from rescue.core import loading
from rescue.extensions import db
from rescue.i18n.choices import country_choices, country_label
from rescue.i18n.collation import reader_sort_key as sort_key
from rescue.organisations.models import Mission

bp = Blueprint("consular", __name__)

INBOX_LIMIT = 500


def mission_card(mission: Mission) -> dict:
    return {"id": mission.id, "name": mission.name, "represents": country_label(mission.represents),
            "host_country": country_label(mission.host_country), "city": mission.city,
            "address": mission.address or "", "phones": mission.phones or "", "email": mission.email or "",
            "hours": mission.hours or "", "contact_persons": mission.contact_persons or "",
            "languages": [language_name(code) for code in (mission.languages or "").split()]}


@bp.route("/missions")
@guarded("mission.directory")
def directory():
    represents = request.args.get("represents", "").upper()[:3]
    host = request.args.get("host", "").upper()[:3]
    q = request.args.get("q", "").strip()[:100]
    query = select(Mission).where(Mission.active.is_(True))
    if represents:
        query = query.where(Mission.represents == represents)
    if host:
        query = query.where(Mission.host_country == host)
    if q:
        query = query.where(or_(func.lower(Mission.name).contains(q.lower()),
                                func.lower(Mission.city).contains(q.lower())))
    missions = [mission_card(m) for m in db.session.scalars(query.limit(500))]
    missions.sort(key=lambda m: (sort_key(m["represents"]), sort_key(m["host_country"]), sort_key(m["name"])))
    return render_template("consular/directory.html", missions=missions, represents=represents, host=host, q=q,
                           countries=country_choices())


@bp.route("/cases/<int:case_id>/referrals", methods=["POST"])
@authorised("referral.create", Case)
def refer(case: Case):
    form = refer_form(case)
    if form.validate_on_submit():
        mission = db.session.get(Mission, form.mission_id.data) or abort(404)
        try:
            referral = referrals.refer(case, mission=mission, note=form.note.data or "",
                                       photo_reason=form.photo_reason.data or "", user=current_user,
                                       today=date.today(), address=request.remote_addr)
        except referrals.Refused as refused:
            db.session.rollback()
            explain_refusal(form.mission_id, refused.reasons)
        else:
            db.session.commit()
            flash(_("The case is referred to %(mission)s.", mission=mission.name), "success")
            return redirect(url_for("consular.referral", referral_id=referral.id))
    db.session.refresh(case)
    return case_page(case, refer_form=form), 409 if form.mission_id.errors else 400


@bp.route("/cases/<int:case_id>/stateless", methods=["POST"])
@authorised("referral.create", Case)
def stateless(case: Case):
    form = StatelessForm()
    if form.validate_on_submit():
        try:
            referrals.follow_stateless_path(case, reason=form.reason.data, user=current_user, today=date.today(),
                                            address=request.remote_addr)
        except referrals.Refused as refused:
            db.session.rollback()
            for code in refused.reasons:
                flash(refusal(code), "error")
        else:
            db.session.commit()
            flash(_("The person is recorded as stateless and the case is on hold."), "success")
        return redirect(url_for("cases.show", case_id=case.id))
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="return"))


def referral_row(referral: Referral, today: date) -> dict:
    case = referral.case
    birth = birth_of(case)
    waited = (utcnow() - referral.referred_at).days
    seen = catalogue.Seen(case, "case", catalogue.field_set_of_role(current_user.role))
    return {
        "id": referral.id, "case_id": case.id, "number": case.number, "status": referral.status,
        "family_name": seen.family_name or "", "given_names": seen.given_names or "",
        "native_name": seen.native_name or "",
        "nationalities": [country_label(n.country) for n in case.nationalities],
        "mission": referral.mission.name, "referred_at": referral.referred_at, "days": waited,
        # Overdue for whoever it waits on: the mission while pending; once the mission asked for more, the
        # organisation (a mission's own inbox does not call its question overdue).
        "overdue": waited > current_app.config["RESCUE_REFERRAL_OVERDUE_DAYS"] and (
            referral.status == ReferralStatus.PENDING
            or (referral.status == ReferralStatus.INFORMATION_REQUESTED and current_user.role != Role.CONSULAR)),
        "minor": birth.is_minor(today) is True, "case_status": case.status,
        # Shown as a neutral marker that never says why: a health fact is outside the consular field set.
        "priority": bool(birth.is_minor(today) is True or case.medical_needs or case.pregnant or case.disability),
    }


def by_urgency(rows: list[dict]) -> list[dict]:
    """Minors first, then the other people marked as a priority, then those who have waited longest."""
    return sorted(rows, key=lambda r: (not r["minor"], not r["priority"], -r["days"], r["id"]))


@bp.route("/consular")
@guarded("referral.inbox")
def inbox():
    today = date.today()
    query = (loading.listing(select(Referral)).where(Referral.mission_id == current_user.mission_id,
                                    Referral.status.not_in(ENDED_REFERRAL_STATUSES))
             .options(selectinload(Referral.case).selectinload(Case.nationalities),
                      selectinload(Referral.mission))
             .join(Case, Case.id == Referral.case_id)
             .where(or_(Referral.status.in_(OPEN_REFERRAL_STATUSES),
                        Case.status.in_((CaseStatus.NATIONALITY_CONFIRMED, CaseStatus.TRAVEL_DOCUMENT_ISSUED, CaseStatus.READY_TO_TRAVEL,
                                         CaseStatus.DEPARTED))))
             .order_by(Referral.referred_at).limit(INBOX_LIMIT))
    rows = [referral_row(r, today) for r in db.session.scalars(query)]
    groups = [
        ("waiting", _("Waiting for your decision"), by_urgency([r for r in rows if r["status"] == ReferralStatus.PENDING])),
        ("asked", _("Waiting for the organisation's answer"),
         by_urgency([r for r in rows if r["status"] == ReferralStatus.INFORMATION_REQUESTED])),
        ("document", _("Confirmed: a travel document is needed"),
         by_urgency([r for r in rows if r["status"] == ReferralStatus.CONFIRMED and r["case_status"] == CaseStatus.NATIONALITY_CONFIRMED])),
        ("travel", _("Travelling home: confirm the arrival"),
         [r for r in rows if r["status"] == ReferralStatus.CONFIRMED
          and r["case_status"] in (CaseStatus.TRAVEL_DOCUMENT_ISSUED, CaseStatus.READY_TO_TRAVEL, CaseStatus.DEPARTED)]),
    ]
    mission = db.session.get(Mission, current_user.mission_id)
    return render_template("consular/inbox.html", groups=groups, mission=mission, truncated=len(rows) >= INBOX_LIMIT)


@bp.route("/referrals")
@guarded("referral.list")
def organisation_referrals():
    today = date.today()
    cases = visible_cases(current_user, "referral.list").with_only_columns(Case.id)
    show = request.args.get("show", "open")
    query = (loading.listing(select(Referral)).where(Referral.case_id.in_(cases))
             .options(selectinload(Referral.case).selectinload(Case.nationalities), selectinload(Referral.mission))
             .order_by(Referral.referred_at.desc()).limit(INBOX_LIMIT))
    if show == "open":
        query = query.where(Referral.status.in_(OPEN_REFERRAL_STATUSES))
    rows = [referral_row(r, today) for r in db.session.scalars(query)]
    if show == "open":
        rows = sorted(rows, key=lambda r: (not r["overdue"], r["status"] != ReferralStatus.INFORMATION_REQUESTED, -r["days"]))
    return render_template("consular/referrals.html", rows=rows, show=show)


def referral_page(referral: Referral, *, decision_form=None, message_form=None):
    """The referral for its mission or its organisation. A mission that no longer has the case (it did not
    confirm the nationality) sees its own decision record only: the decision, the reason, the messages."""
    today = date.today()
    case = referral.case
    with_case = bool(policy.allows(current_user, "case.view", case))
    return render_template(
        "consular/referral.html", referral=referral, row=referral_row(referral, today), with_case=with_case,
        case=(case_summary(case, catalogue.field_set_for(current_user, case), today) if with_case
              else {"number": case.number}),
        thread=[{"author": m.author.label if m.author else "", "at": m.sent_at, "body": m.body,
                 "mission_side": bool(m.author and m.author.role == Role.CONSULAR)} for m in referral.messages],
        decision_form=decision_form or (DecisionForm() if policy.allows(current_user, "referral.decide", referral)
                                        and referral.is_open else None),
        message_form=message_form or (MessageForm() if policy.allows(current_user, "referral.reply", referral)
                                      and referral.is_open else None),
        stateless_form=StatelessForm() if (case.status == CaseStatus.NATIONALITY_REJECTED and referral.status == ReferralStatus.REJECTED
                                           and policy.allows(current_user, "referral.create", case)) else None,
    )


@bp.route("/referrals/<int:referral_id>")
@authorised("referral.view", Referral)
def referral(referral: Referral):
    from rescue.audit import trail
    # A mission that no longer has the case reads its decision record, not the case file.
    opened = "case.viewed" if policy.allows(current_user, "case.view", referral.case) else "referral.viewed"
    trail.record(opened, actor_id=current_user.id, object_type="case", object_id=referral.case_id,
                 address=request.remote_addr, detail={"referral": referral.id})
    db.session.commit()
    return referral_page(referral)


@bp.route("/referrals/<int:referral_id>/decision", methods=["POST"])
@authorised("referral.decide", Referral)
def decide(referral: Referral):
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            referrals.decide(referral, outcome=form.outcome.data, evidence=form.evidence.data or None,
                             text=form.text.data or "", user=current_user, today=date.today(),
                             address=request.remote_addr)
        except referrals.Refused as refused:
            db.session.rollback()
            target = form.evidence if referrals.NEEDS_EVIDENCE in refused.reasons else (
                form.text if set(refused.reasons) & {referrals.NEEDS_MESSAGE, "needs_reason"} else form.outcome)
            explain_refusal(target, refused.reasons)
        else:
            db.session.commit()
            flash(_("Your answer is recorded and the organisation is told."), "success")
            return redirect(url_for("consular.referral", referral_id=referral.id))
    db.session.refresh(referral)
    return referral_page(referral, decision_form=form), 400


@bp.route("/referrals/<int:referral_id>/messages", methods=["POST"])
@authorised("referral.reply", Referral)
def reply(referral: Referral):
    form = MessageForm()
    if form.validate_on_submit():
        try:
            referrals.reply(referral, body=form.body.data, user=current_user, address=request.remote_addr)
        except referrals.Refused as refused:
            db.session.rollback()
            explain_refusal(form.body, refused.reasons)
        else:
            db.session.commit()
            flash(_("Your message is sent to the mission."), "success")
            return redirect(url_for("consular.referral", referral_id=referral.id, _anchor="thread"))
    db.session.refresh(referral)
    return referral_page(referral, message_form=form), 400
