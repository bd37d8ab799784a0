from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from rescue.cases.labels import (
    DOCUMENT_KIND_LABELS,
    DOCUMENT_STATUS_LABELS,
)
from rescue.cases.models import ConsentDecision, ConsentPurpose
from rescue.core.forms import Form, max_length, not_in_future, required
from rescue.i18n.choices import country_choices

NOTE_KIND_LABELS = {
    "note": _l("Note"),
    "assessment": _l("Assessment"),
    "best_interests": _l("Best-interests assessment (for a minor)"),
}


class StatusForm(Form):
    target = SelectField(_l("New status"), validators=[required()])
    reason = TextAreaField(_l("Why"), validators=[Optional(), max_length(2000)])
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class NoteForm(Form):
    kind = SelectField(_l("Kind"), choices=list(NOTE_KIND_LABELS.items()), validators=[required()])
    text = TextAreaField(_l("Text"), validators=[required(), max_length(10000)])


class ConsentForm(Form):
    purpose = SelectField(_l("Consent to"), choices=ConsentPurpose.choices, validators=[required()])
    decision = SelectField(_l("Decision"), choices=ConsentDecision.choices, validators=[required()])
    mission_id = SelectField(_l("Mission it may be shared with"), coerce=lambda v: int(v) if v else None,
                             validators=[Optional()])
    organisation_id = SelectField(_l("Receiving agency it may be shared with"),
                                  coerce=lambda v: int(v) if v else None, validators=[Optional()])
    recipient = StringField(_l("Other recipient"), validators=[Optional(), max_length(300)])
    language = SelectField(_l("Language it was explained in"), validators=[Optional()])
    interpreter = StringField(_l("Interpreter"), validators=[Optional(), max_length(200)])
    witness = StringField(_l("Witness"), validators=[Optional(), max_length(200)])
    given_on = DateField(_l("Date"), validators=[Optional(), not_in_future()])


class AssignForm(Form):
    assignee = SelectField(_l("Caseworker"), coerce=lambda v: int(v) if v else None, validators=[Optional()])


class SituationForm(Form):
    next_of_kin = TextAreaField(_l("Next of kin and how to reach them"), validators=[Optional(), max_length(2000)])
    next_of_kin_shareable = BooleanField(_l("The person agrees that their consulate may contact their next of kin"))
    recruitment_channel = SelectField(_l("How the person was recruited"), validators=[Optional()])
    recruitment_details = TextAreaField(_l("The job offer, the recruiter, the route and any debt"),
                                        validators=[Optional(), max_length(10000)])
    exploitation = SelectField(_l("Exploitation"), validators=[Optional()])
    pregnant = BooleanField(_l("Pregnant"))
    medical_needs = BooleanField(_l("Needs medical care"))
    disability = BooleanField(_l("Has a disability"))
    needs = TextAreaField(_l("Immediate needs"), validators=[Optional(), max_length(5000)])
    risk_level = SelectField(_l("Risk of harm or re-trafficking"), validators=[Optional()])
    risk_notes = TextAreaField(_l("About the risk"), validators=[Optional(), max_length(5000)])
    legal_status = SelectField(_l("Legal situation"), validators=[Optional()])
    legal_notes = TextAreaField(_l("About the legal situation"), validators=[Optional(), max_length(5000)])


class SituationEditForm(SituationForm):
    """The situation of a case already open: with the version of the case the page showed."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class IdentityDocumentForm(Form):
    kind = SelectField(_l("Document"), validators=[required()])
    status = SelectField(_l("Where it is"), validators=[required()])
    number = StringField(_l("Number"), validators=[Optional(), max_length(64)])
    issuing_country = SelectField(_l("Issued by"), validators=[Optional()])
    expires_on = DateField(_l("Valid until"), validators=[Optional()])


def document_form() -> IdentityDocumentForm:
    form = IdentityDocumentForm()
    form.kind.choices = [(k, str(v)) for k, v in DOCUMENT_KIND_LABELS.items()]
    form.status.choices = [(k, str(v)) for k, v in DOCUMENT_STATUS_LABELS.items()]
    form.issuing_country.choices = country_choices(blank="—")
    return form
