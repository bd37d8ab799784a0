"""Select-list choices in the reader's language, sorted for the reader."""
from __future__ import annotations

import zoneinfo
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _

from rescue.i18n.collation import sort_for
from rescue.i18n.countries import ICAO_SPECIAL, all_codes, country_name
from rescue.i18n.locale import endonym, supported


def icao_special_names() -> dict[str, str]:
    return {
        "XXA": _("Stateless person"),
        "XXB": _("Refugee (1951 Convention)"),
        "XXC": _("Refugee (other)"),
        "XXX": _("Nationality not known"),
    }


def country_label(code: str | None) -> str:
    if not code:
        return ""
    special = icao_special_names()
    return special.get(code) or country_name(code, get_locale())


def country_choices(*, with_special: bool = False, blank: str | None = None) -> list[tuple[str, str]]:
    items = list(_sorted_countries(str(get_locale())))
    if with_special:
        names = icao_special_names()
        items += [(c, names[c]) for c in ICAO_SPECIAL]
    if blank is not None:
        items.insert(0, ("", blank))
    return items


@lru_cache(maxsize=32)
def _sorted_countries(locale: str) -> tuple[tuple[str, str], ...]:
    """Every country named and sorted for one locale; the same for every request in that locale."""
    return tuple(sort_for(locale, ((c, country_name(c, locale)) for c in all_codes()), key=lambda item: item[1]))


def locale_choices() -> list[tuple[str, str]]:
    return [(code, endonym(code)) for code in supported()]


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))) + ["UTC"])


def timezone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in _zones()]
