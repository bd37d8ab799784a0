from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from rescue.core.forms import Form, required

KIND_LABELS = {
    "photo": _l("Photo of the person"),
    "identity_document": _l("Identity document"),
    "scan": _l("Other scan (medical, legal, letters)"),
    "other": _l("Other"),
}


class AttachmentForm(Form):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])
    kind = SelectField(_l("What it is"), validators=[required()],
                       choices=list(KIND_LABELS.items()))
