from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from rescue.core.forms import Form, max_length, required


class OperationForm(Form):
    name = StringField(_l("Name"), validators=[required(), max_length(200)])
    planned_on = DateField(_l("Date"), validators=[Optional()])
    site_id = SelectField(_l("Site"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    lead_agency = StringField(_l("Lead agency"), validators=[Optional(), max_length(200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(10000)])


class ImportForm(Form):
    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[FileRequired(message=_l("Choose a file."))])
