"""Erasure and anonymisation leave nothing of the person behind.

One person's whole story is typed through the app's pages with a distinct marker in every personal
free-text field (tests/fixtures/scenarios.py), everything about them is printed, and a second, unrelated
person (the control) goes through the same shared places. Then the person is erased (or their closed case
anonymised) and every place the app keeps data is searched for every marker, upper or lower case:

- every table of the database, found by inspection (on SQLite with the name index's own shadow tables),
  every column read as text; on SQLite also the name index itself, asked for each name;
- every file under the upload, document cache and print folders and the instance folder, sealed files opened
  with the app's keyring, PDFs read as text (pages, metadata, every stream but pictures and fonts), ZIP
  members too;
- on SQLite, the bytes of the database file and of its write-ahead log, once the app has closed its
  connections.

The control's markers must still be found in each kind of place: that proves the search can see.
A failure names each marker left behind, the field it was typed in, and the table.column or file."""
from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf.errors import PyPdfError
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from rescue.cases.models import Case
from rescue.core.sealing import SealError
from rescue.extensions import db
from tests.fixtures import scenarios
from tests.fixtures.factories import csrf_token
from tests.fixtures.scenarios import Person, Story

GONE = (404, 410)
PDF_ERRORS = (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, NotImplementedError)
NAME_FIELDS = frozenset({"family_name", "given_names", "native_name", "alias", "alias_one", "alias_two"})


# ------------------------------------------------------------------------------------------ searching

@dataclass(frozen=True)
class Hit:
    person: str
    field: str
    marker: str
    where: str

    def __str__(self) -> str:
        return f"{self.person}: {self.field} marker {self.marker!r} in {self.where}"


def _needles(people: Iterable[Person]) -> list[tuple[str, str, str]]:
    return [(person.label, name, marker) for person in people for name, marker in person.markers.items()]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="ignore")
    return str(value)


def _find(haystack: str, needles, where: str) -> list[Hit]:
    """Markers in a text, whatever their case, also where a layout broke a line inside one."""
    folded = haystack.lower()
    squeezed = "".join(folded.split())
    return [Hit(person, name, marker, where) for person, name, marker in needles
            if marker.lower() in folded or marker.lower() in squeezed]


def database_hits(app, people: Iterable[Person]) -> list[Hit]:
    """Every table the database has (by inspection, not by the models), every column cast to text."""
    needles = _needles(people)
    hits: list[Hit] = []
    with app.app_context():
        engine = db.engine
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                # Virtual tables and the shadow tables of the name index (case_name_search_*) too.
                tables |= set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")))
            assert "case" in tables and "audit_entry" in tables, f"inspection found no tables: {sorted(tables)}"
            for table in sorted(tables):
                result = connection.execute(text(f'SELECT * FROM "{table}"'))
                columns = list(result.keys())
                for number, row in enumerate(result, start=1):
                    values = dict(zip(columns, row, strict=False))
                    label = f"id={values['id']}" if "id" in values else f"row {number}"
                    for column, value in values.items():
                        hits += _find(_as_text(value), needles, f"table {table}.{column} ({label})")
    return hits


def name_index_hits(app, people: Iterable[Person]) -> list[Hit]:
    """SQLite's name index (FTS5, trigram) keeps terms in its own segments: ask it for each name marker.
    Only the rowid is read, so an entry whose case row is gone is still reported."""
    hits: list[Hit] = []
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return hits
        with db.engine.connect() as connection:
            for person, name, marker in _needles(people):
                if name not in NAME_FIELDS:
                    continue
                rows = connection.execute(text("SELECT rowid FROM case_name_search WHERE case_name_search MATCH :q"),
                                          {"q": f'"{marker.lower()}"'}).scalars().all()
                hits += [Hit(person, name, marker, f"the name index case_name_search (rowid {row})") for row in rows]
    return hits


def _keyring(app):
    from rescue.core import sealing

    with app.app_context():
        return sealing.keyring()


def _pdf_texts(data: bytes) -> list[tuple[str, str]]:
    """The text of each page, the metadata, and every stream decoded (filters undone)."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    found: list[tuple[str, str]] = []
    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        try:
            found.append((f"page {number} text", page.extract_text() or ""))
        except PDF_ERRORS as error:  # a page that cannot be read still has its streams searched below
            found.append((f"page {number} text", f"(unreadable: {error})"))
    if reader.metadata:
        found.append(("metadata", " ".join(f"{k} {v}" for k, v in reader.metadata.items())))
    numbers = {(idnum, generation) for generation, entries in reader.xref.items() for idnum in entries}
    numbers |= {(idnum, 0) for idnum in reader.xref_objStm}
    for idnum, generation in sorted(numbers):
        try:
            obj = reader.get_object(IndirectObject(idnum, generation, reader))
            if isinstance(obj, StreamObject) and not _pixels_or_glyphs(obj):
                found.append((f"stream {idnum}", _as_text(obj.get_data())))
        except PDF_ERRORS as error:
            found.append((f"stream {idnum}", f"(unreadable: {error})"))
    return found


def _pixels_or_glyphs(stream) -> bool:
    """Pictures, font programs and colour profiles hold no text: decoding them only costs time."""
    subtype = str(stream.get("/Subtype", ""))
    return (subtype in ("/Image", "/Type1C", "/CIDFontType0C", "/OpenType")
            or any(key in stream for key in ("/Length1", "/Length2", "/Length3", "/N")))


def _contents(data: bytes, ring, where: str) -> list[tuple[str, str]]:
    """(where, text) for the bytes of a file and everything inside it: sealed, PDF, ZIP."""
    found = [(where, _as_text(data))]
    if data.startswith(b"RSQ1"):
        try:
            opened = ring.open(data)
        except (SealError, AttributeError):
            opened = None  # sealed with a key the app no longer has: nobody can read it
        if opened is not None:
            return found + _contents(opened, ring, where + " (opened with the app's keyring)")
    if data.startswith(b"%PDF"):
        try:
            found += [(f"{where}: PDF {part}", content) for part, content in _pdf_texts(data)]
        except PDF_ERRORS as error:
            found.append((f"{where}: PDF", f"(unreadable: {error})"))
    elif data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    found.append((f"{where}: ZIP member name", member))
                    found += _contents(archive.read(member), ring, f"{where}: ZIP member {member}")
        except zipfile.BadZipFile:
            pass
    return found


def file_folders(app, since: float) -> list[tuple[Path, float]]:
    """Where the app keeps files, and the oldest modification time worth reading in each. The instance
    folder is shared with the developer's own data: only what changed during this test can hold its markers."""
    config = app.config
    folders = [(Path(config[name]), 0.0) for name in ("RESCUE_UPLOAD_DIR", "RESCUE_DOCUMENT_CACHE_DIR",
                                                      "RESCUE_PRINT_DIR") if config.get(name)]
    folders.append((Path(app.instance_path), since))
    return folders


def file_hits(app, people: Iterable[Person], since: float) -> tuple[list[Hit], int]:
    needles, ring = _needles(people), _keyring(app)
    hits: list[Hit] = []
    read = 0
    seen: set[Path] = set()
    for folder, oldest in file_folders(app, since):
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                if path.stat().st_mtime < oldest:
                    continue
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            read += 1
            for where, content in _contents(data, ring, f"file {path}"):
                hits += _find(content, needles, where)
    return hits, read


def sqlite_file_hits(app, people: Iterable[Person]) -> list[Hit]:
    """The database file and its write-ahead log, byte for byte, after the app closed its connections."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    hits: list[Hit] = []
    for suffix in ("", "-wal", "-journal"):
        path = Path(url.database + suffix)
        if not path.exists():
            continue
        raw = path.read_bytes().lower()
        hits += [Hit(person, name, marker, f"the raw SQLite file {path}") for person, name, marker in _needles(people)
                 if marker.lower().encode() in raw]
    return hits


def report(hits: Iterable[Hit]) -> str:
    return "\n".join(sorted({str(hit) for hit in hits}))


# ------------------------------------------------------------------------------------------- fixtures

@pytest.fixture()
def folders(app, tmp_path, monkeypatch):
    """This test's own upload, cache and print folders, so that what is found there was made here."""
    for name, folder in (("RESCUE_UPLOAD_DIR", "uploads"), ("RESCUE_DOCUMENT_CACHE_DIR", "document-cache"),
                         ("RESCUE_PRINT_DIR", "prints")):
        monkeypatch.setitem(app.config, name, str(tmp_path / folder))
    assert app.config["RESCUE_DOCUMENT_CACHE_DIR"], "the document cache must be in use"
    return tmp_path


@pytest.fixture()
def story(app, factory, make_client, folders) -> Story:
    started = time.time() - 1
    told = scenarios.full_story(app, factory, make_client)
    told.started = started
    _check_the_story_left_its_traces(app, told)
    return told


def _check_the_story_left_its_traces(app, story: Story) -> None:
    """Before anything is removed: the markers really are in the database, the files and the prints, so a
    clean search afterwards means they went, not that they never arrived."""
    person = story.person
    found = {hit.field for hit in database_hits(app, [person])}
    missing = sorted(set(person.database_markers) - found)
    assert not missing, f"the story did not store these fields of the person: {missing}"
    in_files, _ = file_hits(app, [person], story.started)
    found_in_files = {hit.field for hit in in_files}
    assert "scan_text" in found_in_files, "the scanned letter's text was not found in the upload folder"
    assert any("document-cache" in hit.where for hit in in_files), "no printed document was found in the cache"
    assert any("ZIP member" in hit.where for hit in in_files), "the ZIP batch print holds nothing of the person"
    assert any("/prints/" in hit.where and "ZIP" not in hit.where for hit in in_files), (
        "the PDF batch print holds nothing of the person")
    for job_id in story.batch_ids:
        download = story["coordinator"].get(f"/print-jobs/{job_id}/download")
        assert download.status_code == 200, f"batch print {job_id} does not download before erasure"


def _print_the_control_again(app, story: Story) -> int:
    """After the removal: the control's packet printed again (into the document cache) and a ZIP batch of
    the control alone (into the print folder), so the search must find the control in both."""
    coordinator, control = story["coordinator"], story.control
    page = coordinator.get(f"/cases/{control.case_id}")
    assert page.status_code == 200, f"the control person's case does not open any more ({page.status_code})"
    assert control.markers["family_name"] in page.get_data(as_text=True)
    scenarios.pdf(coordinator.get(f"/cases/{control.case_id}/documents/packet.pdf?recipient=full&language=en"),
                  "the control person's packet, after")
    job_id = scenarios.print_batch(app, coordinator, [control.case_id], output="zip",
                                   step="a batch print of the control person, after")
    assert coordinator.get(f"/print-jobs/{job_id}/download").status_code == 200
    return job_id


def _search_everywhere(app, story: Story) -> None:
    """The person's markers are nowhere; the control's are everywhere they were put."""
    person, control = story.person, story.control
    leftovers: list[Hit] = []
    seen_control: dict[str, set[str]] = {}

    def classify(hits: list[Hit], kind: str) -> None:
        for hit in hits:
            if hit.person == person.label:
                leftovers.append(hit)
            else:
                seen_control.setdefault(kind, set()).add(hit.field)

    classify(database_hits(app, [person, control]), "database")
    classify(name_index_hits(app, [person, control]), "name index")
    hits, read = file_hits(app, [person, control], story.started)
    assert read, "no file was read: the search of the folders is broken"
    classify(hits, "files")
    for kind, place in (("uploads", "/uploads/"), ("document cache", "/document-cache/"), ("ZIP batch", "ZIP member")):
        seen_control[kind] = {hit.field for hit in hits if hit.person == control.label and place in hit.where}
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        classify(sqlite_file_hits(app, [person, control]), "raw SQLite file")

    if leftovers:
        raise AssertionError(f"personal data of the {person.label} ({person.number}) was left behind:\n"
                             + report(leftovers))

    missing = sorted(set(control.database_markers) - seen_control.get("database", set()))
    assert not missing, f"the control person's fields were not found in the database (the search is blind?): {missing}"
    assert "scan_text" in seen_control["uploads"], "the control's scanned letter was not found in the uploads"
    assert "family_name" in seen_control["document cache"], "the control's packet was not found in the cache"
    assert "family_name" in seen_control["ZIP batch"], "the control's ZIP batch print was not read"
    if sqlite:
        assert "family_name" in seen_control.get("name index", set()), "the name index search found no control"
        assert "family_name" in seen_control.get("raw SQLite file", set()), "the raw SQLite search is blind"


# ---------------------------------------------------------------------------------------------- tests

def test_erasure_on_request_leaves_nothing_of_the_person_behind(app, story):
    person, coordinator = story.person, story["coordinator"]
    url = f"/cases/{person.case_id}/erase"
    assert coordinator.get(url).status_code == 200
    erased = coordinator.post(url, data={"reason": "person_request", "number": person.number,
                                         "csrf_token": csrf_token(coordinator, url)})
    assert erased.status_code == 302, f"the erasure page answered {erased.status_code}"
    assert coordinator.get(f"/cases/{person.case_id}").status_code == 404
    for job_id in story.batch_ids:
        download = coordinator.get(f"/print-jobs/{job_id}/download")
        assert download.status_code in GONE, (
            f"batch print {job_id}, which held the erased person, still downloads ({download.status_code})")
    roll = coordinator.get(f"/rolls/{story.roll_id}")
    assert roll.status_code in (200, *GONE)
    assert person.markers["family_name"] not in roll.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, person.case_id) is None
    _print_the_control_again(app, story)
    _search_everywhere(app, story)


# What was typed for the person and must outlive anonymisation (written down, not read back from the app).
KEPT_STATUS = "closed"
KEPT_NATIONALITIES = [scenarios.PERSON_NATIONALITY]
KEPT_SEX = scenarios.PERSON_SEX
KEPT_BIRTH_YEAR = scenarios.PERSON_BIRTH_YEAR


def test_anonymisation_of_a_closed_case_leaves_statistics_and_nothing_personal(app, story):
    person, worker, coordinator = story.person, story["worker"], story["coordinator"]
    person.label = "anonymised person"
    close_reason = scenarios.text_marker("MKCLOSE")
    person.markers["status_reason_on_closing"] = close_reason
    scenarios.move(worker, app, person.case_id, "closed", close_reason, step="close the case, with a reason")
    with app.app_context():
        assert db.session.get(Case, person.case_id).status_reason == close_reason
    result = app.test_cli_runner().invoke(args=["rescue", "anonymise-closed-cases", "--older-than-days", "0"])
    assert result.exit_code == 0, result.output
    assert "1 closed case(s) anonymised" in result.output, result.output

    with app.app_context():
        case = db.session.get(Case, person.case_id)
        assert case is not None, "anonymisation deleted the case row"
        assert case.status == KEPT_STATUS
        assert [n.country for n in case.nationalities] == KEPT_NATIONALITIES
        assert case.sex == KEPT_SEX
        assert case.birth_year == KEPT_BIRTH_YEAR
        assert case.anonymised_at is not None
    page = coordinator.get(f"/cases/{person.case_id}")
    assert page.status_code == 200, f"the anonymised case does not open ({page.status_code})"
    shown = page.get_data(as_text=True).lower()
    assert not [m for m in person.markers.values() if m.lower() in shown], "the case page still shows personal data"
    for job_id in story.batch_ids:
        download = coordinator.get(f"/print-jobs/{job_id}/download")
        if download.status_code not in GONE:
            assert download.status_code == 200
            inside = [hit for where, content in _contents(download.data, None, f"batch print {job_id} download")
                      for hit in _find(content, _needles([person]), where)]
            if inside:
                raise AssertionError(f"batch print {job_id} still holds the anonymised person:\n{report(inside)}")
    _print_the_control_again(app, story)
    _search_everywhere(app, story)
