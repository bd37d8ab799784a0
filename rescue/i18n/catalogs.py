"""The message catalogs: extract, update, compile, and check that every locale is complete."""
from __future__ import annotations

import contextlib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from rescue import paths

KEYWORDS = ["-k", "_l", "-k", "N_", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]
SOURCE_LOCALE = "en"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}|%[sdif]")


def _pybabel(*args: str) -> None:
    # Run from the project folder so that catalogs name source files by relative paths.
    with contextlib.chdir(paths.PROJECT_DIR):
        CommandLineInterface().run(["pybabel", "-q", *args])


def pot_path() -> Path:
    return paths.TRANSLATIONS_DIR / "messages.pot"


def extract(output: Path | None = None) -> Path:
    output = output or pot_path()
    _pybabel(
        "extract", "-F", str(paths.PROJECT_DIR / "babel.cfg"), *KEYWORDS, "--add-location=file",
        "--sort-by-file", "--project=rescue", "--copyright-holder=rescue contributors",
        "-o", str(output), ".",
    )
    return output


def init(locale: str) -> None:
    _pybabel("init", "-i", str(pot_path()), "-d", str(paths.TRANSLATIONS_DIR), "-l", locale)


def update() -> None:
    _pybabel("update", "-i", str(pot_path()), "-d", str(paths.TRANSLATIONS_DIR), "--ignore-obsolete",
             "--no-fuzzy-matching")


def compile_all() -> None:
    if any(paths.TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")):
        _pybabel("compile", "-d", str(paths.TRANSLATIONS_DIR))


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in _PLACEHOLDER.finditer(text or ""))


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(locales: list[str]) -> Report:
    """Fails when extraction would add or drop a message, when a locale is incomplete or fuzzy,
    or when a translation's placeholders differ from the original's."""
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _read(extract(Path(tmp) / "messages.pot"))
    committed_pot = pot_path()
    if not committed_pot.exists():
        report.problems.append("translations/messages.pot is missing: run `flask translate extract`")
        return report
    expected = _ids(fresh)
    committed = _ids(_read(committed_pot))
    for msgid in sorted(map(str, expected - committed))[:20]:
        report.problems.append(f"messages.pot lacks a message the code uses: {msgid!r}")
    for msgid in sorted(map(str, committed - expected))[:20]:
        report.problems.append(f"messages.pot has a message the code no longer uses: {msgid!r}")
    for locale in locales:
        if locale == SOURCE_LOCALE:
            continue
        po = paths.TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            report.problems.append(f"{locale}: no catalog")
            continue
        catalog = _read(po)
        if catalog.fuzzy:
            report.problems.append(f"{locale}: the catalog header is marked fuzzy, so it would not be compiled")
        ids = _ids(catalog)
        missing = expected - ids
        if missing:
            report.problems.append(f"{locale}: {len(missing)} message(s) missing, e.g. {sorted(map(str, missing))[0]!r}")
        for message in catalog:
            if not message.id or message.id not in expected:
                continue
            report.problems.extend(_message_problems(locale, message, catalog.num_plurals))
    return report


def _message_problems(locale: str, message, num_plurals: int) -> list[str]:
    problems = []
    label = message.id if isinstance(message.id, str) else message.id[0]
    if message.fuzzy:
        problems.append(f"{locale}: fuzzy: {label!r}")
    if isinstance(message.id, (list, tuple)):
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if len(strings) < num_plurals or not all(strings):
            problems.append(f"{locale}: untranslated plural: {label!r}")
            return problems
        allowed = {tuple(placeholders(message.id[0])), tuple(placeholders(message.id[1]))}
        for text in strings:
            found = placeholders(text)
            # A plural form may leave the count out (Arabic's "one" and "two" name no number).
            if tuple(found) not in allowed and not set(found) <= set(placeholders(message.id[1])):
                problems.append(f"{locale}: placeholders differ in {label!r}: {found}")
    else:
        if not message.string:
            problems.append(f"{locale}: untranslated: {label!r}")
        elif placeholders(message.string) != placeholders(message.id):
            problems.append(f"{locale}: placeholders differ in {label!r}: {placeholders(message.string)}")
    return problems
