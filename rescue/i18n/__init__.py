"""Locales, text direction, country and language names from CLDR (Babel)."""


def N_(message: str) -> str:
    """Mark a string for extraction where it is translated later (gettext at the point of use)."""
    return message
