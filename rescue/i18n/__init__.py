"""Locales, text direction, country and language names from CLDR (Babel)."""


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools look for)
    """Mark a string for extraction where it is translated later (gettext at the point of use)."""
    return message
