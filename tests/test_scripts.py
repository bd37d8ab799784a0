"""Names across scripts, line breaking for scripts without spaces, and sorting for the reader."""
import pytest

from rescue.cases.names import forms, search_key
from rescue.i18n.collation import sort_for
from rescue.i18n.segmentation import ZWSP, add_break_opportunities, strip_break_opportunities
from rescue.i18n.transliteration import is_latin, to_latin


@pytest.mark.parametrize("native, latin", [
    ("สมชาย ศรีสุข", "smchay srisukh"),              # Thai
    ("សុខ ដារ៉ា", "sokh dara"),                      # Khmer (anyascii: ICU leaves Khmer unchanged)
    ("အောင်ကိုကို", "aaungkoko"),                    # Burmese
    ("ຄຳລາ ພົມມະຈັນ", "khamla phommachan"),         # Lao (anyascii)
    ("王伟", "wang wei"),                             # Chinese
    ("김민준", "gimminjun"),                          # Korean
    ("يوسف العمراني", "ywsf al mrany"),              # Arabic
    ("Олена Коваленко", "olena kovalenko"),          # Cyrillic
    ("Nguyễn Thị Ánh", "nguyen thi anh"),            # Vietnamese
])
def test_every_script_has_a_latin_form(native, latin):
    assert to_latin(native) == latin


def test_the_original_is_kept_beside_its_latin_form():
    assert forms("សុខ ដារ៉ា") == ["សុខ ដារ៉ា", "sokh dara"]
    assert forms("Nguyễn") == ["nguyen"]
    assert "sokh dara" in search_key("SOK", "Dara", "សុខ ដារ៉ា")


def test_is_latin():
    assert is_latin("Nguyễn Thị-Ánh O'Brien")
    assert not is_latin("Sok សុខ")


@pytest.mark.parametrize("text, words", [
    ("ខ្ញុំចង់ត្រឡប់ទៅផ្ទះវិញ", ["ខ្ញុំ", "ចង់", "ត្រឡប់ទៅ", "ផ្ទះ", "វិញ"]),
    ("ကျွန်ုပ်အိမ်ပြန်ချင်ပါတယ်", ["ကျွန်ုပ်", "အိမ်", "ပြန်", "ချင်", "ပါ", "တယ်"]),
    ("ຂ້ອຍຢາກກັບບ້ານ", ["ຂ້ອຍ", "ຢາກ", "ກັບບ້ານ"]),
])
def test_words_of_unspaced_scripts_get_break_opportunities(text, words):
    marked = add_break_opportunities(text)
    assert marked.split(ZWSP) == words
    assert strip_break_opportunities(marked) == text


def test_other_text_is_left_alone():
    for text in ("Hello world", "สมชาย ศรีสุข", "王伟", "يوسف", "Case RC-7KQ3-M9XP"):
        assert add_break_opportunities(text) == text


def test_mixed_text_only_breaks_inside_the_unspaced_run():
    marked = add_break_opportunities("Name: ខ្ញុំចង់ (RC-1)")
    assert marked == f"Name: ខ្ញុំ{ZWSP}ចង់ (RC-1)"


def test_text_outside_the_basic_plane_keeps_its_place():
    marked = add_break_opportunities("😀ខ្ញុំចង់😀")
    assert strip_break_opportunities(marked) == "😀ខ្ញុំចង់😀"


def test_collation_follows_the_reader():
    assert sort_for("zh_Hans", ["中国", "阿富汗", "巴西"]) == ["阿富汗", "巴西", "中国"]  # pinyin order
    assert sort_for("es", ["Oso", "Ñandú", "Nube"]) == ["Nube", "Ñandú", "Oso"]
    assert sort_for("fr", ["Zambie", "Espagne", "Égypte"]) == ["Égypte", "Espagne", "Zambie"]
