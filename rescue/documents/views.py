"""Printing a case's documents, issuing an emergency travel document, and the public page that checks one."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rescue.audit import trail
from rescue.auth import policy
from rescue.auth.access import authorised, guarded
from rescue.cases import catalogue
from rescue.cases.models import Case, TimelineEvent
from rescue.cases.progress import latest_consents
from rescue.cases.workflow import CaseStatus, ReferralStatus
from rescue.consular import rolls
from rescue.consular.labels import explain_refusal
from rescue.consular.labels import refusal as consular_refusal
from rescue.consular.models import NominalRoll, TravelDocument
from rescue.consular.referrals import Refused
from rescue.core import numbers
from rescue.documents import etd, printing
from rescue.documents import packet as packets
from rescue.documents.forms import IssueDocumentForm
from rescue.documents.kinds import DocumentKind, PrintRefusal
from rescue.documents.labels import RECIPIENT_LABELS
from rescue.extensions import db, limiter
from rescue.i18n.choices import country_label, locale_choices
from rescue.operations.models import Operation
from rescue.organisations.models import Mission

bp = Blueprint("documents", __name__)

CONSENT_PURPOSES = ("processing", "sharing", "voluntary_return")


def refusal(code: str) -> str:
    return PrintRefusal.label_of(code) if code in PrintRefusal.values() else consular_refusal(code)


def _consular() -> bool:
    return policy.field_set(current_user.role) == policy.CONSULAR_FIELDS


def _missions_with_consent(case: Case) -> list[Mission]:
    """The missions the person agreed may receive their data (the consent in force for each)."""
    shared = [mission_id for (purpose, mission_id), consent in latest_consents(case).items()
              if purpose == "sharing" and mission_id is not None and consent.decision == "given"]
    if not shared:
        return []
    return list(db.session.scalars(select(Mission).where(Mission.active.is_(True), Mission.id.in_(shared))
                                   .order_by(Mission.name)))


def _person_language(case: Case, languages: list[str]) -> str:
    for spoken in case.languages:
        code = spoken.language.replace("-", "_")
        for candidate in (code, code.split("_")[0], "zh_Hans" if code.startswith("zh") else None):
            if candidate in languages:
                return candidate
    return str(get_locale())


def documents_page(case: Case, *, issue_form=None, status: int = 200):
    languages = locale_choices()
    codes = [code for code, _name in languages]
    may_issue = policy.may_issue_travel_document(current_user, case)
    issued = [d for d in case.travel_documents if d.kind == "emergency_travel_document"
              and policy.may_print_travel_document(current_user, d)]
    return render_template(
        "documents/case.html", case=case, consular=_consular(), languages=languages,
        interface_language=str(get_locale()), person_language=_person_language(case, codes),
        recipients=[(k, v) for k, v in RECIPIENT_LABELS.items() if not _consular() or k == "consulate"],
        missions=_missions_with_consent(case) if not _consular() else [],
        issue_form=issue_form or (IssueDocumentForm(issued_on=date.today()) if may_issue else None),
        issued=issued, names={kind.value: kind.label for kind in DocumentKind}, consent_purposes=CONSENT_PURPOSES), status


@bp.route("/cases/<int:case_id>/documents")
@authorised("document.print", Case)
def case_documents(case: Case):
    return documents_page(case)


@bp.route("/cases/<int:case_id>/documents/<any(packet, travel_request, consent_form, fit_to_travel, handover):kind>.pdf")
@authorised("document.print", Case)
def print_case_document(case: Case, kind: str):
    if not policy.may_print_case_document(current_user, kind):
        abort(403)
    today = date.today()
    codes = printing.print_languages()
    language = printing.language_or(str(get_locale()), request.args.get("language"))
    if _consular():
        mission = db.session.get(Mission, current_user.mission_id)
        recipient = "consulate"
    else:
        recipient = request.args.get("recipient", "full")
        mission = db.session.get(Mission, numbers.arg(request.args, "mission") or 0)
    memory, data = packets.photo_memory(case), {}
    try:
        if kind == "packet":
            if recipient not in packets.RECIPIENTS:
                abort(404)
            data = {"packet": packets.packet(case, recipient, today, mission=mission),
                    "photo": bool(memory)}
            template = "case_packet"
        elif kind == "travel_request":
            if mission is None or not packets.may_share_with(case, mission.id):
                raise packets.NotForThisRecipient(packets.NO_SHARING_CONSENT if mission else PrintRefusal.NEEDS_MISSION)
            referral = next((r for r in case.referrals if r.mission_id == mission.id and r.status != ReferralStatus.WITHDRAWN), None)
            data = {"person": packets.identity(case, today, catalogue.CONSULAR), "photo": bool(memory),
                    "mission": mission.name, "organisation": case.organisation.name, "referral": referral,
                    "photo_reason": referral.photo_reason if referral else "",
                    "plan": packets.plan_data(case, field_set=catalogue.CONSULAR)}
            template = "travel_request"
        elif kind == "consent_form":
            purpose = request.args.get("purpose", "processing")
            if purpose not in CONSENT_PURPOSES:
                abort(404)
            if purpose == "sharing" and mission is None:
                raise packets.NotForThisRecipient(PrintRefusal.NEEDS_MISSION)
            person_language = printing.language_or(_person_language(case, codes), request.args.get("person_language"))
            from rescue.cases.labels import consent_purpose_label
            columns = []
            for column_language in dict.fromkeys((person_language, language)):
                from flask_babel import force_locale
                with force_locale(column_language):
                    title = consent_purpose_label(purpose)
                columns.append(printing.part("_consent_text", language=column_language, purpose=purpose,
                                             purpose_title=title, organisation=case.organisation.name,
                                             recipient=mission.name if mission else ""))
            data = {"person": packets.identity(case, today, catalogue.FULL), "columns": columns}
            memory = {}
            template = "consent_form"
        else:
            # The certificate is the organisation's own; the hand-over goes to the receiving agency.
            field_set = catalogue.FULL if kind == "fit_to_travel" else catalogue.RECEIVING
            data = {"person": packets.identity(case, today, field_set), "photo": bool(memory),
                    "plan": packets.plan_data(case, field_set=field_set), "organisation": case.organisation.name,
                    "travel_documents": packets.travel_documents(case)}
            if kind == "fit_to_travel":
                memory = {}
            template = kind
    except packets.NotForThisRecipient as refused:
        flash(refusal(refused.reason), "error")
        return redirect(url_for("documents.case_documents", case_id=case.id))
    html = printing.html_for(template, language=language, printed_on=today, **data)
    document = printing.render(html, memory=memory)
    printing.record(case, kind=kind, user=current_user, language=language,
                    recipient=recipient if kind == "packet" else (mission.id if mission else None),
                    address=request.remote_addr)
    db.session.commit()
    return printing.pdf_response(document, f"{kind}-{case.number}.pdf")


@bp.route("/cases/<int:case_id>/travel-documents/issue", methods=["POST"])
@authorised("travel_document.record", Case)
def issue_travel_document(case: Case):
    form = IssueDocumentForm()
    if form.validate_on_submit():
        try:
            document = etd.issue(case, layout=form.layout.data, number=form.number.data,
                                 issued_on=form.issued_on.data, expires_on=form.expires_on.data,
                                 route=form.route.data, transit_points=form.transit_points.data or "",
                                 user=current_user, today=date.today(), address=request.remote_addr)
        except Refused as refused:
            db.session.rollback()
            explain_refusal(form.number, refused.reasons, refusal)
        else:
            db.session.commit()
            flash(_("The emergency travel document is issued. Print it now."), "success")
            return redirect(url_for("documents.case_documents", case_id=case.id, _anchor=f"etd-{document.id}"))
    db.session.refresh(case)
    return documents_page(case, issue_form=form, status=400)


@bp.route("/cases/<int:case_id>/travel-documents/<int:travel_document_id>.pdf")
@authorised("travel_document.record", TravelDocument, parent=(Case, "case_id"))
def print_travel_document(case: Case, travel_document: TravelDocument):
    document = travel_document
    if not policy.may_print_travel_document(current_user, document):
        abort(404)
    language = printing.language_or(str(get_locale()), request.args.get("language"))
    memory = packets.photo_memory(case)
    memory["qr"] = (etd.qr_png(url_for("documents.verify", token=etd.token_for(document), _external=True)),
                    "image/png")
    html = printing.html_for("emergency_travel_document", language=language, printed_on=date.today(),
                             document=document, holder=document.holder, mrz_lines=document.mrz.split("\n"),
                             mission=document.mission.name, issuer=document.mission.represents,
                             photo="photo" in memory, standing=etd.standing(document, date.today()))
    pdf = printing.render(html, memory=memory)
    printing.record(case, kind="emergency_travel_document", user=current_user, language=language,
                    address=request.remote_addr)
    db.session.commit()
    return printing.pdf_response(pdf, f"travel-document-{document.number}.pdf")


@bp.route("/operations/<int:operation_id>/manifest.pdf")
@authorised("operation.manifest", Operation)
def manifest(operation: Operation):
    departure_on = request.args.get("departure_on", "")
    try:
        date.fromisoformat(departure_on)
    except ValueError:
        departure_on = ""  # not a date: the whole operation's manifest
    language = printing.language_or(str(get_locale()), request.args.get("language"))
    query = (select(Case).where(Case.operation_id == operation.id,
                                Case.status.in_((CaseStatus.READY_TO_TRAVEL, CaseStatus.DEPARTED)))
             .options(selectinload(Case.nationalities), selectinload(Case.travel_documents),
                      selectinload(Case.plan)).order_by(Case.family_name, Case.id))
    people = []
    for case in db.session.scalars(query):
        if departure_on and (case.plan is None or str(case.plan.departure_on) != departure_on):
            continue
        # A manifest travels with the escort and the receiving side: the receiving field set.
        seen = catalogue.Seen(case, "case", catalogue.RECEIVING)
        plan = catalogue.Seen(case.plan, "repatriation_plan", catalogue.RECEIVING) if case.plan else None
        people.append({"number": case.number, "family_name": seen.family_name or "",
                       "given_names": seen.given_names or "", "sex": seen.sex or "U",
                       "birth": [seen.birth_year, seen.birth_month, seen.birth_day, seen.approximate_age],
                       "nationalities": [n.country for n in case.nationalities],
                       "travel_documents": packets.travel_documents(case),
                       "flights": plan.flights or "" if plan else "", "escort": plan.escort or "" if plan else ""})
    html = printing.html_for("manifest", language=language, printed_on=date.today(), operation=operation.name,
                             departure_on=date.fromisoformat(departure_on) if departure_on else None, people=people)
    document = printing.render(html)
    trail.record("document.printed", actor_id=current_user.id, object_type="operation", object_id=operation.id,
                 address=request.remote_addr, detail={"document": "manifest", "people": len(people),
                                                      "language": language})
    for case in db.session.scalars(select(Case).where(Case.number.in_([p["number"] for p in people]))):
        printing.record(case, kind="manifest", user=current_user, language=language, address=request.remote_addr)
    db.session.commit()
    return printing.pdf_response(document, f"manifest-{operation.id}.pdf")


@bp.route("/verify/<token>")
@limiter.limit("30 per minute")
@guarded(policy.PUBLIC)
def verify(token: str):
    """What a border officer sees after scanning the code: the document's standing and what the paper
    itself shows, nothing more."""
    found = etd.read_token(token)
    document = db.session.get(TravelDocument, found[0]) if found else None
    if document is None or document.number != found[1] or not document.holder:
        return render_template("documents/verify.html", document=None), 404
    from rescue.audit import trail
    trail.record("travel_document.verified", object_type="travel_document", object_id=document.id,
                 address=request.remote_addr)
    db.session.commit()
    return render_template("documents/verify.html", document=document, holder=document.holder,
                           standing=etd.standing(document, date.today()),
                           mission=document.mission.name if document.mission else "",
                           issuer=country_label(document.mission.represents) if document.mission else "")


@bp.route("/rolls/<int:roll_id>.pdf")
@authorised("roll.view", NominalRoll, arg="roll_id")
def print_roll(nominal_roll: NominalRoll):
    """Print the roll as it was issued, in the language asked for; each person's timeline says so."""
    roll = nominal_roll
    language = printing.language_or(str(get_locale()), request.args.get("language"))
    html = printing.html_for("nominal_roll", language=language, roll=roll, lines=rolls.lines_for(roll),
                             mission_country=country_label(roll.mission.represents), printed_on=date.today())
    document = printing.render(html)
    trail.record("roll.printed", actor_id=current_user.id, object_type="nominal_roll", object_id=roll.id,
                 address=request.remote_addr, detail={"language": language})
    listed = [e.case_id for e in roll.entries if not (e.data.get("anonymised") or e.data.get("withdrawn"))]
    for case in db.session.scalars(select(Case).where(Case.id.in_(listed))):
        case.timeline.append(TimelineEvent(kind="document_printed", actor_id=current_user.id, text="nominal_roll"))
    db.session.commit()
    return printing.pdf_response(document, f"nominal-roll-{roll.id}.pdf")
