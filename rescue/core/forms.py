"""The base of every form: WTForms' own messages come from our catalogs, so every locale is complete,
and the validators we use everywhere carry plain, translated messages."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import validators

from rescue.core.numbers import INTEGER_RANGE


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools look for)
    """Mark a message for extraction; it is translated where it is shown."""
    return message

# WTForms' built-in messages that our forms can show; listed so extraction puts them in our catalogs.
WTFORMS_MESSAGES = (
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid input."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
)

# The dates a person's story can hold: a year typed as 0001 or 9999 is a slip, never a date to print.
FIRST_YEAR, LAST_YEAR = 1900, 2100


# Control characters (but tab and line breaks) and the bidi overrides that can disguise text
# (U+202A-U+202E, U+2066-U+2069) never reach the database: PostgreSQL refuses NUL, and an override
# could make a name read differently from what is stored.
_UNSAFE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


def clean_text(value):
    return _UNSAFE.sub("", value) if isinstance(value, str) else value


def _out_of_range(value) -> bool:
    """A whole number wider than a database INTEGER column: it must never reach a query."""
    if isinstance(value, (list, tuple)):
        return any(_out_of_range(item) for item in value)
    return isinstance(value, int) and not isinstance(value, bool) and value not in INTEGER_RANGE


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return get_translations()

        def bind_field(self, form, unbound_field, options):
            filters = (clean_text, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None):
        # A number too large for the database (an IntegerField, or a select whose choices are ids) is an
        # invalid number for its field, and is dropped before any validator or view can query with it.
        for field in self:
            if _out_of_range(field.data):
                field.data = [] if isinstance(field.data, (list, tuple)) else None
                field.process_errors.append(field.gettext("Not a valid integer value."))
            elif isinstance(field.data, date) and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
                field.process_errors.append(_l("Enter a date between %(first)s and %(last)s.",
                                               first=FIRST_YEAR, last=LAST_YEAR))
        return super().validate(extra_validators)


def not_in_future():
    """A date that has happened (a rescue, a consent given, an arrival): never later than today."""
    def check(form, field):
        if isinstance(field.data, date) and field.data > date.today():
            raise validators.ValidationError(_l("This date is in the future."))
    return check


def required():
    return validators.DataRequired(message=_l("Fill in this field."))


def max_length(limit: int):
    return validators.Length(max=limit, message=lazy_ngettext(
        "Use at most %(num)d character.", "Use at most %(num)d characters.", limit))


def email_address():
    return validators.Email(message=_l("Enter a valid email address."))
