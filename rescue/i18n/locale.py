"""Which language and time zone a request is shown in."""
from __future__ import annotations

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


def supported() -> list[str]:
    return current_app.config["RESCUE_LOCALES"]


def select_locale() -> str:
    """The language asked for in the address (?lang=, this page only), then the user's saved preference, then
    the session's choice, then Accept-Language, then the default."""
    if not has_request_context():  # command line, background jobs
        return current_app.config["RESCUE_DEFAULT_LOCALE"]
    locales = supported()
    asked = request.args.get("lang")
    if asked in locales:  # this page, in the language asked for
        return asked
    if current_user and current_user.is_authenticated and current_user.locale in locales:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in locales:
        return chosen
    best = request.accept_languages.best_match([code.replace("_", "-") for code in locales])
    if best:
        return best.replace("-", "_")
    return current_app.config["RESCUE_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["RESCUE_DEFAULT_TIMEZONE"]


def html_lang(locale: Locale) -> str:
    """BCP 47 form for <html lang>: zh_Hans -> zh-Hans."""
    return str(locale).replace("_", "-")


def text_direction(locale: Locale) -> str:
    return "rtl" if locale.text_direction == "rtl" else "ltr"


def current_direction() -> str:
    return text_direction(get_locale())


def endonym(code: str) -> str:
    """A language's name in itself, as a language switcher shows it."""
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]
