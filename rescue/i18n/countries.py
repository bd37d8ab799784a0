"""Country codes as travel documents use them (ISO 3166-1 alpha-3 plus ICAO's codes), with names
from CLDR in the reader's language. Pure apart from Babel's data."""
from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.core import get_global

# Codes ICAO Doc 9303 adds for people without (or beyond) a nationality.
ICAO_SPECIAL = ("XXA", "XXB", "XXC", "XXX")
# Three-letter CLDR aliases that are not ISO 3166-1 alpha-3 codes in use (withdrawn, or reserved).
_NOT_IN_USE = {"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD", "ASC", "CPT", "DGA", "QUU", "TAA", "XAA", "XBB",
               "XKK", "ZZZ"}
# ICAO's code for Kosovo, which ISO 3166-1 does not list.
_EXTRA = {"RKS": "XK"}


@lru_cache(maxsize=1)
def alpha3_to_alpha2() -> dict[str, str]:
    aliases = get_global("territory_aliases")
    english = Locale("en").territories
    mapping = {
        code: targets[0]
        for code, targets in aliases.items()
        if len(code) == 3 and code.isalpha() and len(targets) == 1 and code not in _NOT_IN_USE
        and targets[0] in english
    }
    mapping.update(_EXTRA)
    return mapping


def is_country_code(code: str | None) -> bool:
    return bool(code) and (code in alpha3_to_alpha2() or code in ICAO_SPECIAL)


def country_name(code: str | None, locale: Locale | str) -> str:
    """The name of a country (or ICAO category) in `locale`; the code itself if unknown."""
    if not code:
        return ""
    locale = Locale.parse(locale) if isinstance(locale, str) else locale
    alpha2 = alpha3_to_alpha2().get(code)
    if alpha2:
        return locale.territories.get(alpha2) or code
    return code


def all_codes() -> list[str]:
    return sorted(alpha3_to_alpha2())
