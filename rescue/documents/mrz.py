"""The machine readable zone of ICAO Doc 9303: encoding and validation. Pure (no Flask).

Formats: TD1 (3 x 30, cards), TD2 (2 x 36, e.g. single-sheet emergency travel documents, code PU),
TD3 (2 x 44, passport booklets, code PE for emergency passports). Characters are A-Z, 0-9 and the
filler '<'; check digits weigh 7, 3, 1 over character values (digits, A-Z as 10-35, '<' as 0)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

FILLER = "<"
WEIGHTS = (7, 3, 1)
WIDTH = {"td1": 30, "td2": 36, "td3": 44}
ICAO_SPECIAL = {"XXA", "XXB", "XXC", "XXX"}
_VALID = re.compile(r"^[A-Z0-9<]*$")

# Doc 9303 Part 3, 6.A: Latin letters with diacritics that become two letters; others lose the mark.
LATIN = {"Ä": "AE", "Å": "AA", "Æ": "AE", "Ö": "OE", "Ø": "OE", "Ü": "UE", "ß": "SS", "Þ": "TH", "Đ": "D",
         "Ð": "D", "Ĳ": "IJ", "Œ": "OE", "Ł": "L", "Ħ": "H", "Ŋ": "N", "Ŧ": "T"}
# Doc 9303 Part 3, 6.B: Cyrillic.
CYRILLIC = {"А": "A", "Б": "B", "В": "V", "Г": "G", "Ґ": "G", "Д": "D", "Е": "E", "Ё": "E", "Є": "IE",
            "Ж": "ZH", "З": "Z", "И": "I", "І": "I", "Ї": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N",
            "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ў": "U", "Ф": "F", "Х": "KH", "Ц": "TS",
            "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
            "Ђ": "D", "Ѓ": "G", "Ѕ": "DZ", "Ј": "J", "Љ": "LJ", "Њ": "NJ", "Ћ": "C", "Ќ": "K", "Џ": "DZ"}
# Doc 9303 Part 3, 6.C: Arabic (letters without vowel marks).
ARABIC = {"ء": "XE", "آ": "XAA", "أ": "XAE", "ؤ": "U", "إ": "I", "ئ": "XI", "ا": "A", "ب": "B", "ة": "XTA",
          "ت": "T", "ث": "XTH", "ج": "J", "ح": "XH", "خ": "XKH", "د": "D", "ذ": "XDH", "ر": "R", "ز": "Z",
          "س": "S", "ش": "XSH", "ص": "XSS", "ض": "XDZ", "ط": "XTT", "ظ": "XZZ", "ع": "E", "غ": "G", "ف": "F",
          "ق": "Q", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H", "و": "W", "ى": "XAY", "ي": "Y",
          "پ": "XPE", "چ": "XCH", "ژ": "XJE", "گ": "XGA", "ک": "K", "ی": "Y"}


class MRZError(ValueError):
    """The data cannot make a valid zone; the message says which field."""


def char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise MRZError(f"character {ch!r} is not allowed in a machine readable zone")


def check_digit(text: str) -> str:
    return str(sum(char_value(ch) * WEIGHTS[i % 3] for i, ch in enumerate(text)) % 10)


def transliterate(text: str) -> str:
    """A name in MRZ characters: Latin with diacritics per Doc 9303, Cyrillic and Arabic by its tables;
    apostrophes dropped, hyphens, spaces and other separators become '<'."""
    out = []
    for ch in unicodedata.normalize("NFC", text or "").upper():
        if ch in LATIN:
            out.append(LATIN[ch])
        elif ch in CYRILLIC:
            out.append(CYRILLIC[ch])
        elif ch in ARABIC:
            out.append(ARABIC[ch])
        elif ch in "'’ʼ`´":
            continue
        elif "A" <= ch <= "Z" or ch.isdigit():
            out.append(ch)
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            if base and "A" <= base[0].upper() <= "Z":
                out.append(base.upper())
            else:
                out.append(FILLER)  # hyphens, spaces, anything else: a separator
    return re.sub("<+", FILLER, "".join(out)).strip(FILLER)


def name_field(surname: str, given: str, width: int) -> str:
    """PRIMARY<<SECONDARY padded to `width`; when too long, the primary identifier is cut first,
    keeping '<<' and at least the first letter of the secondary identifier."""
    primary, secondary = transliterate(surname), transliterate(given)
    if not primary and not secondary:
        raise MRZError("a name is needed")
    if not secondary:
        return primary[:width].ljust(width, FILLER)
    available = width - 2
    if len(primary) + len(secondary) > available:
        keep_primary = max(1, available - len(secondary))
        primary, secondary = primary[:keep_primary], secondary[:available - keep_primary]
    return f"{primary}<<{secondary}".ljust(width, FILLER)


def _field(value: str, width: int, label: str, *, digits_only: bool = False) -> str:
    value = (value or "").upper().replace(" ", FILLER)
    if len(value) > width or not _VALID.match(value) or (digits_only and not re.match(r"^[0-9<]*$", value)):
        raise MRZError(f"{label} does not fit the zone")
    return value.ljust(width, FILLER)


def _country(code: str, label: str) -> str:
    code = (code or "").upper()
    if code == "DEU":
        code = "D<<"  # Doc 9303: Germany is written D
    if len(code) != 3 or not _VALID.match(code):
        raise MRZError(f"{label} must be a three-letter code")
    return code


def _date(value: str, label: str, *, unknown_allowed: bool) -> str:
    value = (value or "").upper()
    pattern = r"^[0-9<]{6}$" if unknown_allowed else r"^[0-9]{6}$"
    if not re.match(pattern, value):
        raise MRZError(f"{label} is YYMMDD" + (" (unknown parts as <)" if unknown_allowed else ""))
    return value


def make(fmt: str, *, code: str, issuer: str, number: str, surname: str, given: str, nationality: str,
         birth: str, sex: str, expiry: str, optional: str = "") -> list[str]:
    fmt = fmt.lower()
    if fmt not in WIDTH:
        raise MRZError("format is td1, td2 or td3")
    code = _field(code, 2, "the document code")
    issuer, nationality = _country(issuer, "the issuing state"), _country(nationality, "the nationality")
    sex = (sex or "<").upper().replace("X", FILLER)
    if sex not in ("F", "M", FILLER):
        raise MRZError("sex is F, M or X")
    birth, expiry = _date(birth, "the date of birth", unknown_allowed=True), _date(expiry, "the expiry date",
                                                                                  unknown_allowed=False)
    number = _field(number, 9, "the document number")
    if fmt == "td1":
        optional1 = _field(optional, 15, "the optional data")
        line1 = f"{code}{issuer}{number}{check_digit(number)}{optional1}"
        line2 = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}{nationality}{FILLER * 11}"
        composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        return [line1, line2 + composite, name_field(surname, given, 30)]
    width = WIDTH[fmt]
    line1 = f"{code}{issuer}{name_field(surname, given, width - 5)}"
    if fmt == "td2":
        optional2 = _field(optional, 7, "the optional data")
        body = f"{number}{check_digit(number)}{nationality}{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}{optional2}"
        composite = check_digit(body[0:10] + body[13:20] + body[21:35])
        return [line1, body + composite]
    personal = _field(optional, 14, "the personal number")
    personal_check = check_digit(personal) if personal.strip(FILLER) else FILLER
    body = (f"{number}{check_digit(number)}{nationality}{birth}{check_digit(birth)}{sex}{expiry}"
            f"{check_digit(expiry)}{personal}{personal_check}")
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return [line1, body + composite]


@dataclass
class Check:
    format: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def check(lines: list[str]) -> Check:
    """Whether a zone is well formed and which check digit, if any, fails."""
    lines = [line.strip().upper() for line in lines if line.strip()]
    shapes = {(3, 30): "td1", (2, 36): "td2", (2, 44): "td3"}
    fmt = shapes.get((len(lines), len(lines[0]) if lines else 0))
    result = Check(fmt)
    if fmt is None or any(len(line) != len(lines[0]) for line in lines):
        result.problems.append("the lines do not have the size of TD1, TD2 or TD3")
        return result
    for line in lines:
        if not _VALID.match(line):
            result.problems.append("a line has characters other than A-Z, 0-9 and <")
            return result

    def expect(value: str, digit: str, label: str) -> None:
        if digit == FILLER and not value.strip(FILLER):
            return
        if check_digit(value) != digit:
            result.problems.append(f"the check digit of {label} is wrong")

    if fmt == "td1":
        l1, l2 = lines[0], lines[1]
        expect(l1[5:14], l1[14], "the document number")
        expect(l2[0:6], l2[6], "the date of birth")
        expect(l2[8:14], l2[14], "the expiry date")
        expect(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29], "the whole zone")
        return result
    body = lines[1]
    expect(body[0:9], body[9], "the document number")
    expect(body[13:19], body[19], "the date of birth")
    expect(body[21:27], body[27], "the expiry date")
    if fmt == "td3":
        expect(body[28:42], body[42], "the personal number")
        expect(body[0:10] + body[13:20] + body[21:43], body[43], "the whole zone")
    else:
        expect(body[0:10] + body[13:20] + body[21:35], body[35], "the whole zone")
    return result
