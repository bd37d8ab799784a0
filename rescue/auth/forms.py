from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, Length, ValidationError

from rescue.auth.passwords import password_problems
from rescue.core.forms import Form, max_length, required


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[required(), max_length(254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[required(), max_length(256)],
                             render_kw={"autocomplete": "current-password"})


class CodeForm(Form):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[required(), Length(min=6, max=20, message=_l("Type the six digits of the code."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class ReauthenticateForm(Form):
    password = PasswordField(_l("Password"), validators=[required(), max_length(256)],
                             render_kw={"autocomplete": "current-password", "autofocus": True})
    code = StringField(_l("Six-digit code from your authenticator app"), validators=[max_length(20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.code


class NewPasswordMixin:
    def validate_new_password(self, field):
        problems = password_problems(field.data or "", email=getattr(self, "_email", ""))
        if problems:
            raise ValidationError(" ".join(str(p) for p in problems))


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = PasswordField(_l("Current password"), validators=[required(), max_length(256)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[required()],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), EqualTo("new_password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email


class PreferencesForm(Form):
    display_name = StringField(_l("Your name"), validators=[max_length(120)])
    locale = SelectField(_l("Language"))
    timezone = SelectField(_l("Time zone"))
