"""Template filters for the reader's language: country names, dates, times and numbers."""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import format_date, format_datetime, format_number

from rescue.i18n.choices import country_label


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        country=country_label,
        isodate=lambda value: format_date(date.fromisoformat(value)) if value else "",
        datetime=lambda value, fmt="medium": format_datetime(value, fmt) if value else "",
        format_number=format_number,
        date=lambda value, fmt="medium": format_date(value, fmt) if value else "",
    )
