from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import Optional

from rescue.core.forms import Form, required
from rescue.documents.labels import RECIPIENT_LABELS
from rescue.extensions import db
from rescue.i18n.choices import locale_choices
from rescue.organisations.models import Mission

KIND_LABELS = {"packet": _l("Case packets"), "roll": _l("Nominal rolls, one per mission")}
OUTPUT_LABELS = {"pdf": _l("One PDF"), "zip": _l("A ZIP of PDFs, one per document")}


class PrintJobForm(Form):
    kind = SelectField(_l("Print"), choices=list(KIND_LABELS.items()), validators=[required()])
    recipient = SelectField(_l("For"), choices=list(RECIPIENT_LABELS.items()), validators=[required()])
    mission = SelectField(_l("Mission (for the consulate)"), coerce=lambda v: int(v) if v else None,
                          validators=[Optional()])
    language = SelectField(_l("Print in"), validators=[required()])
    output = SelectField(_l("As"), choices=list(OUTPUT_LABELS.items()), validators=[required()])


def job_form(form: PrintJobForm | None = None) -> PrintJobForm:
    form = form or PrintJobForm()
    form.language.choices = locale_choices()
    if not form.language.data:
        from flask_babel import get_locale
        form.language.data = str(get_locale())
    missions = db.session.scalars(select(Mission).where(Mission.active.is_(True)).order_by(Mission.name))
    form.mission.choices = [("", "—")] + [(m.id, m.name) for m in missions]
    return form
