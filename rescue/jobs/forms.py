from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from rescue.core.forms import Form, required
from rescue.documents.labels import RECIPIENT_LABELS

KIND_LABELS = {"packet": _l("Case packets"), "roll": _l("Nominal rolls, one per mission")}
OUTPUT_LABELS = {"pdf": _l("One PDF"), "zip": _l("A ZIP of PDFs, one per document")}


class PrintJobForm(Form):
    kind = SelectField(_l("Print"), choices=list(KIND_LABELS.items()), validators=[required()])
    recipient = SelectField(_l("For"), choices=list(RECIPIENT_LABELS.items()), validators=[required()])
    mission = SelectField(_l("Mission (for the consulate)"), coerce=lambda v: int(v) if v else None,
                          validators=[Optional()])
    language = SelectField(_l("Print in"), validators=[required()])
    output = SelectField(_l("As"), choices=list(OUTPUT_LABELS.items()), validators=[required()])
