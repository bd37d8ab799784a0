"""The questions about a person, asked step by step at intake and on one page when the details are corrected.
Every field is optional but the names: a person found in a raid often
knows little that can be written down, and unknown is a valid answer."""
from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from rescue.cases.labels import (
    DOCUMENT_KIND_LABELS,
    DOCUMENT_STATUS_LABELS,
    EXPLOITATION_LABELS,
    LEGAL_STATUS_LABELS,
    RECRUITMENT_CHANNEL_LABELS,
    RISK_LABELS,
    SEX_LABELS,
)
from rescue.cases.models import ConsentDecision
from rescue.cases.summary import LANGUAGE_CODES, language_name
from rescue.core.forms import Form, max_length
from rescue.i18n.choices import country_choices


class PersonStep(Form):
    family_name = StringField(_l("Family name, in Latin letters as on documents"), validators=[Optional(), max_length(200)])
    given_names = StringField(_l("Given names, in Latin letters as on documents"), validators=[Optional(), max_length(200)])
    native_name = StringField(_l("Full name in the person's own script"), validators=[Optional(), max_length(300)])
    aliases = TextAreaField(_l("Other names the person is known by (one per line)"), validators=[Optional(), max_length(2000)])
    sex = SelectField(_l("Sex"), choices=list(SEX_LABELS.items()), default="U")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not ((self.family_name.data or "").strip() or (self.given_names.data or "").strip()
                or (self.native_name.data or "").strip()):
            self.family_name.errors = [*self.family_name.errors, _l("Write at least one name, in any script.")]
            return False
        return valid


class BirthStep(Form):
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional(), NumberRange(min=1900, max=date.today().year,
                              message=_l("Write a year between 1900 and this year."))])
    birth_month = SelectField(_l("Month of birth"), validators=[Optional()])
    birth_day = IntegerField(_l("Day of birth"), validators=[Optional(), NumberRange(min=1, max=31,
                             message=_l("Write a day between 1 and 31."))])
    approximate_age = IntegerField(_l("Or an approximate age, when the date is not known"),
                                   validators=[Optional(), NumberRange(min=0, max=120,
                                               message=_l("Write an age between 0 and 120."))])
    nationalities = SelectMultipleField(_l("Nationalities"), validators=[Optional()])
    languages = SelectMultipleField(_l("Languages spoken"), validators=[Optional()])
    interpreter_needed = BooleanField(_l("An interpreter is needed"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = get_locale().months["format"]["wide"]
        self.birth_month.choices = [("", "—")] + [(str(n), months[n]) for n in range(1, 13)]

    def validate(self, extra_validators=None):
        # Checks between fields: run after each field's own checks, whether or not it was left empty.
        valid = super().validate(extra_validators)
        day, month, year = self.birth_day, self.birth_month, self.birth_year
        problem, target = None, None
        if month.data and not year.data:
            problem, target = _l("A month needs its year."), month
        elif day.data and not month.data:
            problem, target = _l("A day needs its month."), day
        elif day.data and month.data and year.data and not day.errors and not year.errors:
            try:
                born = date(year.data, int(month.data), day.data)
            except ValueError:
                problem, target = _l("This date does not exist."), day
            else:
                if born > date.today():
                    problem, target = _l("This date is in the future."), day
        if problem:
            target.errors = [*target.errors, problem]
            return False
        return valid


class FoundStep(Form):
    status = SelectField(_l("Where the person is now"), choices=[
        ("rescued", _l("Free: rescued, or met already free")),
        ("reported", _l("Still held: reported, not yet rescued")),
    ])
    found_country = SelectField(_l("Country where found"), validators=[Optional()])
    found_city = StringField(_l("Town or city"), validators=[Optional(), max_length(120)])
    rescued_on = DateField(_l("Date rescued or met"), validators=[Optional()])
    phone = StringField(_l("Phone number that is safe to call"), validators=[Optional(), max_length(64)])

    def validate_rescued_on(self, field):
        if field.data and field.data > date.today():
            raise ValidationError(_l("This date is in the future."))


class DocumentsStep(Form):
    """What the person holds or lost, and whether they agree to their data being kept."""

    document_kind = SelectField(_l("Document"), validators=[Optional()])
    document_status = SelectField(_l("Where it is"), validators=[Optional()])
    document_number = StringField(_l("Number"), validators=[Optional(), max_length(64)])
    document_country = SelectField(_l("Issued by"), validators=[Optional()])
    processing_consent = SelectField(_l("Processing of personal data"), validators=[Optional()])


def _blank(mapping: dict) -> list:
    return [("", "—")] + [(key, str(value)) for key, value in mapping.items()]


def form_choices(form) -> None:
    if hasattr(form, "recruitment_channel"):
        form.recruitment_channel.choices = _blank(RECRUITMENT_CHANNEL_LABELS)
        form.exploitation.choices = _blank(EXPLOITATION_LABELS)
        form.risk_level.choices = _blank(RISK_LABELS)
        form.legal_status.choices = _blank(LEGAL_STATUS_LABELS)
    if hasattr(form, "document_kind"):
        form.document_kind.choices = _blank(DOCUMENT_KIND_LABELS)
        form.document_status.choices = _blank(DOCUMENT_STATUS_LABELS)
        form.document_country.choices = country_choices(blank="—")
        form.processing_consent.choices = [("", "—")] + [
            (d.value, d.label) for d in (ConsentDecision.GIVEN, ConsentDecision.REFUSED)]
    if hasattr(form, "nationalities"):
        form.nationalities.choices = country_choices(with_special=True)
        form.languages.choices = sorted(((c, language_name(c)) for c in LANGUAGE_CODES), key=lambda i: i[1])
    if hasattr(form, "found_country"):
        form.found_country.choices = country_choices(blank="—")
