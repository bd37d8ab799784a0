from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from rescue.cases.labels import SEX_LABELS
from rescue.core.forms import Form, max_length, required

SOURCE_LABELS = {
    "relative": _l("A relative or friend"),
    "hotline": _l("A hotline call"),
    "self": _l("The person themselves, by message"),
    "ngo": _l("Another organisation"),
    "police": _l("The police"),
    "other": _l("Someone else"),
}
RELIABILITY_LABELS = {
    "confirmed": _l("Confirmed by a second source"),
    "likely": _l("Likely"),
    "unconfirmed": _l("Not confirmed"),
}
class ReportForm(Form):
    source = SelectField(_l("Who reported"), choices=list(SOURCE_LABELS.items()), validators=[required()])
    reliability = SelectField(_l("How reliable is the report"), choices=list(RELIABILITY_LABELS.items()))
    reporter_contact = TextAreaField(_l("How to reach the person who reported"), validators=[Optional(), max_length(1000)])
    family_name = StringField(_l("Family name"), validators=[Optional(), max_length(200)])
    given_names = StringField(_l("Given names"), validators=[Optional(), max_length(200)])
    native_name = StringField(_l("Full name in the person's own script"), validators=[Optional(), max_length(300)])
    sex = SelectField(_l("Sex"), choices=list(SEX_LABELS.items()), default="U")
    approximate_age = IntegerField(_l("Approximate age"), validators=[Optional(), NumberRange(
        min=0, max=120, message=_l("Write an age between 0 and 120."))])
    nationality = SelectField(_l("Nationality"), validators=[Optional()])
    site_id = SelectField(_l("Site where the person is held"), coerce=lambda v: int(v) if v else None,
                          validators=[Optional()])
    last_known_location = TextAreaField(_l("Last known location"), validators=[Optional(), max_length(2000)])
    safe_contact = TextAreaField(_l("How to reach the person safely"), validators=[Optional(), max_length(1000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(10000)])
    status = SelectField(_l("Status"), choices=[("open", _l("Still held")), ("closed", _l("Closed"))])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        said = (self.family_name.data, self.given_names.data, self.native_name.data, self.site_id.data,
                self.last_known_location.data, self.notes.data, self.approximate_age.data, self.nationality.data)
        if not any(value not in (None, "") and str(value).strip() for value in said):
            self.family_name.errors = [*self.family_name.errors, _l(
                "Say who or where: a name, the site, the last known location, the nationality or a note.")]
            valid = False
        return valid


class SiteForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    country = SelectField(_l("Country"), validators=[required()])
    city = StringField(_l("City"), validators=[Optional(), max_length(120)])
    latitude = StringField(_l("Latitude"), validators=[Optional(), max_length(20)])
    longitude = StringField(_l("Longitude"), validators=[Optional(), max_length(20)])
    operator_names = TextAreaField(_l("Who runs it, if known"), validators=[Optional(), max_length(2000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(10000)])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field, limit in ((self.latitude, 90), (self.longitude, 180)):
            if field.data:
                try:
                    value = float(field.data.replace(",", "."))
                except ValueError:
                    value = None
                if value is None or not -limit <= value <= limit:
                    field.errors = [*field.errors, _l("Write a number between -%(limit)s and %(limit)s.", limit=limit)]
                    valid = False
        return valid
