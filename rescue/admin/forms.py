from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp

from rescue.core.forms import Form, email_address, max_length, required
from rescue.organisations.models import ORGANISATION_KINDS

RIGHTS_FIELDS = ("role", "organisation_id", "mission_id")


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class UserForm(Form):
    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)])
    display_name = StringField(_l("Name"), validators=[max_length(120)])
    role = SelectField(_l("Role"), validators=[required()])
    organisation_id = SelectField(_l("Organisation"), coerce=_int_or_none, validators=[Optional()])
    mission_id = SelectField(_l("Mission"), coerce=_int_or_none, validators=[Optional()])
    locale = SelectField(_l("Language"), validators=[Optional()])
    timezone = SelectField(_l("Time zone"))

    # An administrator's own role, organisation and mission are changed by another administrator: on their
    # own account these fields are shown disabled, and a value sent anyway (a crafted request) is refused.
    own_rights: dict | None = None

    def keep_own_rights(self, user) -> None:
        self.own_rights = {name: getattr(user, name) for name in RIGHTS_FIELDS}
        for name in RIGHTS_FIELDS:
            getattr(self, name).render_kw = {"disabled": True}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for name, value in (self.own_rights or {}).items():
            field = getattr(self, name)
            if (field.data or None) != (value or None):
                field.errors.append(str(_l("You cannot change your own role, organisation or mission. Another "
                                           "administrator can do it.")))
                return False
        return valid


class UserFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Email or name"), validators=[Optional(), max_length(100)])
    role = SelectField(_l("Role"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])


class OrganisationForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    kind = SelectField(_l("Kind"), choices=[(k, k) for k in ORGANISATION_KINDS])
    country = SelectField(_l("Country"), validators=[Optional()])
    caseworkers_may_refer = BooleanField(_l("Caseworkers may refer cases to consulates"))
    active = BooleanField(_l("Active"), default=True)


class MissionForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    represents = SelectField(_l("Country represented"), validators=[required()])
    host_country = SelectField(_l("Host country"), validators=[required()])
    city = StringField(_l("City"), validators=[required(), max_length(120)])
    address = TextAreaField(_l("Address"), validators=[Optional(), max_length(1000)])
    phones = StringField(_l("Phone numbers"), validators=[Optional(), max_length(200)])
    email = EmailField(_l("Email"), validators=[Optional(), email_address(), max_length(254)])
    hours = StringField(_l("Opening hours"), validators=[Optional(), max_length(200)])
    languages = StringField(
        _l("Languages spoken (codes, separated by spaces)"),
        validators=[Optional(), max_length(200),
                    Regexp(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*(\s+[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)*$",
                           message=_l("Use language codes such as km, th, fil, separated by spaces."))],
    )
    contact_persons = TextAreaField(_l("Contact persons"), validators=[Optional(), max_length(2000)])
    active = BooleanField(_l("Active"), default=True)
