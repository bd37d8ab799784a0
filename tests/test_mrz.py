"""The machine readable zone: ICAO's public specimens, names from many scripts, truncation, unknown dates."""
import json
from pathlib import Path

import pytest

from rescue.documents import mrz

VECTORS = json.loads((Path(__file__).parent / "data" / "mrz_public_vectors.json").read_text())["vectors"]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrz_public_vectors.json"


def test_the_bundled_vectors_are_the_shared_ones():
    """The specimens are kept with the tests; where the shared copy is beside the checkout, they agree."""
    assert len(VECTORS) >= 4
    if SHARED.exists():
        assert json.loads(SHARED.read_text())["vectors"] == VECTORS


@pytest.mark.parametrize("vector", [v for v in VECTORS if v["format"] != "check_digit"], ids=lambda v: v["format"])
def test_public_specimens_are_made_and_checked(vector):
    f = vector["fields"]
    lines = mrz.make(vector["format"], code=f["document_code"], issuer=f["issuer"], number=f["number"],
                     surname=f["primary"], given=f["secondary"], nationality=f["nationality"], birth=f["birth"],
                     sex=f["sex"], expiry=f["expiry"], optional=f.get("personal_number", ""))
    assert lines == vector["lines"]
    assert mrz.check(vector["lines"]).valid


def test_check_digits_of_the_worked_examples():
    cases = next(v for v in VECTORS if v["format"] == "check_digit")["cases"]
    for text, digit in cases:
        assert mrz.check_digit(text) == digit


def test_a_changed_character_is_found_and_named():
    lines = list(next(v for v in VECTORS if v["format"] == "TD3")["lines"])
    lines[1] = lines[1][:13] + "7408132" + lines[1][20:]  # birth date changed, its check digit not
    result = mrz.check(lines)
    assert not result.valid and "the check digit of the date of birth is wrong" in result.problems


@pytest.mark.parametrize("name, expected", [
    ("Müller-Lüdenscheidt", "MUELLER<LUEDENSCHEIDT"),
    ("Ångström", "AANGSTROEM"),
    ("Øster Ærø", "OESTER<AEROE"),
    ("Straße", "STRASSE"),
    ("O'Brien", "OBRIEN"),
    ("Nguyễn Thị Ánh", "NGUYEN<THI<ANH"),
    ("Олена Коваленко", "OLENA<KOVALENKO"),
    ("Щербакова", "SHCHERBAKOVA"),
    ("محمد", "MXHMD"),
    ("D'Artagnan de la Fère", "DARTAGNAN<DE<LA<FERE"),
])
def test_names_are_transliterated_per_doc_9303(name, expected):
    assert mrz.transliterate(name) == expected


def test_long_names_cut_the_primary_identifier_first():
    field = mrz.name_field("Wolfeschlegelsteinhausenbergerdorff", "Hubert Blaine", 31)
    assert len(field) == 31 and field.endswith("<<HUBERT<BLAINE")
    assert field == "WOLFESCHLEGELSTE<<HUBERT<BLAINE"
    tiny = mrz.name_field("Wolfeschlegelsteinhausenbergerdorff", "Hubertwolfeschlegelsteinhausen", 31)
    assert "<<H" in tiny and len(tiny) == 31


def test_emergency_travel_document_on_td2_with_unknown_birth_day():
    lines = mrz.make("td2", code="PU", issuer="KHM", number="ET0001234", surname="Sok", given="Dara",
                     nationality="KHM", birth="94<<<<", sex="M", expiry="261231")
    assert lines[0].startswith("PUKHMSOK<<DARA") and len(lines[0]) == 36
    assert lines[1][13:19] == "94<<<<"
    assert mrz.check(lines).valid


def test_germany_and_bad_input():
    assert mrz.make("td3", code="PE", issuer="DEU", number="C01X00T47", surname="Mustermann", given="Erika",
                    nationality="DEU", birth="640812", sex="F", expiry="310101")[0].startswith("PED<<MUSTERMANN")
    with pytest.raises(mrz.MRZError):
        mrz.make("td2", code="PU", issuer="KHM", number="TOO-LONG-NUMBER", surname="A", given="B",
                 nationality="KHM", birth="900101", sex="F", expiry="300101")
    with pytest.raises(mrz.MRZError):
        mrz.make("td4", code="PU", issuer="KHM", number="1", surname="A", given="B", nationality="KHM",
                 birth="900101", sex="F", expiry="300101")


def test_the_command_line(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["rescue", "mrz", "make", "--format", "td3", "--code", "P", "--issuer", "UTO",
                               "--number", "L898902C3", "--surname", "Eriksson", "--given", "Anna Maria",
                               "--nationality", "UTO", "--birth", "740812", "--sex", "F", "--expiry", "120415",
                               "--optional", "ZE184226B"])
    assert made.exit_code == 0 and made.output.split() == VECTORS[0]["lines"]
    good = runner.invoke(args=["rescue", "mrz", "check", *VECTORS[0]["lines"]])
    assert good.exit_code == 0 and "valid" in good.output
    bad = runner.invoke(args=["rescue", "mrz", "check", VECTORS[0]["lines"][0], VECTORS[0]["lines"][1][:-1] + "1"])
    assert bad.exit_code == 1 and "whole zone" in bad.output
