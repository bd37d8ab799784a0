from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from rescue.core.forms import Form, max_length, not_in_future, required
from rescue.documents.labels import LAYOUT_LABELS


class IssueDocumentForm(Form):
    layout = SelectField(_l("Layout"), choices=list(LAYOUT_LABELS.items()), validators=[required()])
    number = StringField(_l("Document number"), validators=[required(), max_length(9)])
    issued_on = DateField(_l("Issued on"), validators=[required(), not_in_future()])
    expires_on = DateField(_l("Valid until"), validators=[required()])
    route = StringField(_l("Route"), validators=[required(), max_length(300)])
    transit_points = StringField(_l("Transit points"), validators=[Optional(), max_length(300)])

    def validate_number(self, field):
        if field.data and not field.data.strip().isalnum():
            raise ValidationError(_l("Use letters and digits only."))

    def validate_expires_on(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The document cannot expire before it is issued."))
