from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from rescue.audit.labels import RECORD_LABELS
from rescue.core.forms import Form, max_length


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField(_l("What happened"), validators=[Optional()])
    outcome = SelectField(_l("Outcome"), validators=[Optional()])
    actor = StringField(_l("Who (email)"), validators=[Optional(), max_length(254)])
    object_type = SelectField(_l("Record"), validators=[Optional()],
                              choices=[("", _l("All")), *RECORD_LABELS.items()])
    object_id = IntegerField(_l("Record number"), validators=[Optional(), NumberRange(min=1)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
