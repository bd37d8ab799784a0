"""The base of every form: WTForms' own messages come from our catalogs, so every locale is complete,
and the validators we use everywhere carry plain, translated messages."""
from __future__ import annotations

from flask_babel import get_translations, lazy_gettext as _l, lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import validators

from rescue.i18n import N_

# WTForms' built-in messages that our forms can show; listed so extraction puts them in our catalogs.
WTFORMS_MESSAGES = (
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid input."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
)


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return get_translations()


def required():
    return validators.DataRequired(message=_l("Fill in this field."))


def max_length(limit: int):
    return validators.Length(max=limit, message=lazy_ngettext(
        "Use at most %(num)d character.", "Use at most %(num)d characters.", limit))


def email_address():
    return validators.Email(message=_l("Enter a valid email address."))
