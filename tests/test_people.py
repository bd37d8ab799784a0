"""Dates of birth with unknown parts, and names across spellings."""
from datetime import date

from rescue.cases.birth import Birth
from rescue.cases.names import fold, search_key
from rescue.cases.numbers import ALPHABET, new_case_number


def test_unknown_day_and_month_never_age_a_possible_minor_up():
    today = date(2026, 6, 1)
    assert Birth(2008, None, None).age_on(today) == 17  # could be born in December 2008
    assert Birth(2008, 5, None).age_on(today) == 18
    assert Birth(2008, 6, 2).is_minor(today) is True
    assert Birth(2008, 6, 1).is_minor(today) is False


def test_approximate_age_grows_with_time():
    assert Birth(approximate_age=16, age_assessed_on=date(2025, 3, 1)).age_on(date(2026, 6, 1)) == 17
    assert Birth().age_on(date(2026, 6, 1)) is None


def test_mrz_birth_fills_unknown_parts():
    assert Birth(1990, 3, 7).mrz() == "900307"
    assert Birth(1990, None, None).mrz() == "90<<<<"


def test_fold_strips_diacritics_but_keeps_other_scripts_whole():
    assert fold("Nguyễn Thị-Ánh") == "nguyen thi anh"
    assert fold("ĐẶNG") == "dang"
    assert fold("សុខ ដារ៉ា") == "សុខ ដារ៉ា"  # Khmer vowel signs are part of the name
    assert fold("O'Brien") == "o brien"


def test_search_key_has_each_form_once_and_latin_forms_of_other_scripts():
    assert search_key("SOK", "Sok", "សុខ") == "sok | សុខ | sokh"


def test_case_numbers_are_readable_over_the_phone():
    number = new_case_number()
    assert number.startswith("RC-") and len(number) == 12
    assert all(ch in ALPHABET for ch in number[3:].replace("-", ""))
