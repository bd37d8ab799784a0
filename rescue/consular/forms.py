from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from rescue.cases.models import Case
from rescue.consular.labels import EVIDENCE_LABELS, FOLLOW_UP_OUTCOME_LABELS, TRAVEL_DOCUMENT_KIND_LABELS
from rescue.consular.referrals import suggested_missions
from rescue.core.forms import Form, max_length, not_in_future, required
from rescue.extensions import db
from rescue.i18n.choices import country_label
from rescue.organisations.models import Organisation


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class ReferForm(Form):
    mission_id = SelectField(_l("Mission"), coerce=_int_or_none, validators=[required()])
    note = TextAreaField(_l("Message to the mission"), validators=[Optional(), max_length(5000)])
    photo_reason = TextAreaField(_l("If there is no photo, why"), validators=[Optional(), max_length(1000)])


class DecisionForm(Form):
    outcome = SelectField(_l("Outcome"), choices=[
        ("confirmed", _l("Nationality confirmed")),
        ("information_requested", _l("More information needed")),
        ("rejected", _l("Nationality not confirmed")),
    ], validators=[required()])
    evidence = SelectField(_l("How it was confirmed"), choices=[("", "—"), *EVIDENCE_LABELS.items()],
                           validators=[Optional()])
    text = TextAreaField(_l("Message or reason"), validators=[Optional(), max_length(5000)])


class MessageForm(Form):
    body = TextAreaField(_l("Message"), validators=[required(), max_length(5000)])


class StatelessForm(Form):
    reason = TextAreaField(_l("Why, and what happens next"), validators=[required(), max_length(2000)])


class TravelDocumentForm(Form):
    kind = SelectField(_l("Kind of document"), choices=list(TRAVEL_DOCUMENT_KIND_LABELS.items()),
                       validators=[required()])
    number = StringField(_l("Document number"), validators=[required(), max_length(32)])
    issued_on = DateField(_l("Issued on"), validators=[required(), not_in_future()])
    expires_on = DateField(_l("Valid until"), validators=[required()])
    route = StringField(_l("Route"), validators=[Optional(), max_length(300)])
    transit_points = StringField(_l("Transit points"), validators=[Optional(), max_length(300)])

    def validate_expires_on(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The document cannot expire before it is issued."))


class PlanForm(Form):
    # the version of the plan the page showed (none before the first save)
    version = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    fit_to_travel_on = DateField(_l("Fit to travel: date of the assessment"), validators=[Optional(), not_in_future()])
    fit_to_travel_clinician = StringField(_l("Clinician"), validators=[Optional(), max_length(200)])
    fit_to_travel_conditions = TextAreaField(_l("Conditions for travel"), validators=[Optional(), max_length(2000)])
    escort_needed = BooleanField(_l("An escort is needed"))
    exit_clearance_on = DateField(_l("Exit clearance granted on"), validators=[Optional(), not_in_future()])
    exit_clearance_reference = StringField(_l("Exit clearance reference"), validators=[Optional(), max_length(100)])
    flights = TextAreaField(_l("Flights"), validators=[Optional(), max_length(1000)])
    departure_on = DateField(_l("Departure date"), validators=[Optional()])
    escort = StringField(_l("Escort"), validators=[Optional(), max_length(200)])
    receiving_agency_id = SelectField(_l("Receiving agency"), coerce=_int_or_none, validators=[Optional()])
    receiving_contact = TextAreaField(_l("Reception arrangements"), validators=[Optional(), max_length(2000)])

    def validate_flights(self, field):
        if (field.data or "").strip() and not self.departure_on.data:
            raise ValidationError(_l("Give the departure date of the booked flights."))


class ArrivalForm(Form):
    arrived_on = DateField(_l("Arrived on"), validators=[required()])  # its bounds: return_views.arrival
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(2000)])


class FollowUpForm(Form):
    done_on = DateField(_l("Date of the follow-up"), validators=[required(), not_in_future()])
    outcome = SelectField(_l("Outcome"), choices=list(FOLLOW_UP_OUTCOME_LABELS.items()), validators=[required()])
    note = TextAreaField(_l("Note"), validators=[Optional(), max_length(5000)])


class RollForm(Form):
    mission_id = SelectField(_l("Mission"), coerce=_int_or_none, validators=[required()])


def plan_form(case: Case, form: PlanForm | None = None) -> PlanForm:
    if form is None:
        form = PlanForm(obj=case.plan) if case.plan else PlanForm()
    agencies = db.session.scalars(select(Organisation).where(
        Organisation.kind == "receiving_agency", Organisation.active.is_(True)).order_by(Organisation.name))
    form.receiving_agency_id.choices = [("", "—")] + [(o.id, o.name) for o in agencies]
    return form


def refer_form(case: Case, form: ReferForm | None = None) -> ReferForm:
    form = form or ReferForm()
    missions = suggested_missions(case)
    form.mission_id.choices = [("", "—")] + [
        (m.id, f"{m.name} · {country_label(m.represents)} · {m.city}") for m in missions]
    return form
