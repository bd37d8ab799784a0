"""Every Markdown document that the code, the tests or the README cite exists in the repository: a docstring
or a comment that sends a reader to a document that is not there fails here."""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where citations are looked for: the package, the tests, and the README.
SOURCES = ("rescue", "tests", "README.md")
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".cfg", ".toml", ".ini"}
# Folders that are not the project's own text.
SKIPPED = {"__pycache__", ".venv", ".git", "node_modules", ".cache", "artifacts", ".pytest_cache", ".hypothesis",
           "instance", "rescue.egg-info"}

# A path under docs/ (docs/domain.md), or a bare upper-case name (README.md and the like).
DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*?\.md\b")
UPPERCASE_NAME = re.compile(r"(?<![\w/.-])[A-Z][A-Z0-9_]*\.md\b")


def cited_in(text: str) -> set[str]:
    """The Markdown files a text cites: docs/ paths as written, and bare upper-case file names."""
    return set(DOCS_PATH.findall(text)) | set(UPPERCASE_NAME.findall(text))


def _files_under(folder: Path):
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED)
        for name in sorted(files):
            yield Path(directory) / name


def _source_files():
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            yield path
        else:
            yield from (f for f in _files_under(path) if f.suffix in TEXT_SUFFIXES)


def _markdown_in_repository() -> tuple[set[str], set[str]]:
    """(paths relative to the root, bare file names) of every Markdown file of the project."""
    found = [f for f in _files_under(ROOT) if f.suffix == ".md"]
    return {f.relative_to(ROOT).as_posix() for f in found}, {f.name for f in found}


def _missing(citations: dict[str, set[str]]) -> list[str]:
    paths, names = _markdown_in_repository()
    missing = []
    for source, cited in sorted(citations.items()):
        for name in sorted(cited):
            found = name in paths if "/" in name else name in names
            if not found:
                missing.append(f"{source} cites {name}, which does not exist")
    return missing


def _citations() -> dict[str, set[str]]:
    citations = {}
    for path in _source_files():
        cited = cited_in(path.read_text(encoding="utf-8", errors="replace"))
        if cited:
            citations[path.relative_to(ROOT).as_posix()] = cited
    return citations


def test_every_cited_markdown_document_exists():
    assert _missing(_citations()) == []


def test_the_readme_sends_readers_to_the_documentation():
    readme = cited_in((ROOT / "README.md").read_text(encoding="utf-8"))
    for document in ("architecture", "domain", "security", "operations"):
        assert f"docs/{document}.md" in readme
        assert (ROOT / "docs" / f"{document}.md").is_file()


def test_a_citation_of_a_document_that_is_not_there_is_found():
    # Built from pieces, so this file itself cites nothing that is missing.
    absent_path = "docs/" + "no-such-guide" + ".md"
    absent_name = "NO_SUCH_GUIDE" + ".md"
    text = f'"""See {absent_path} and {absent_name}; the layers are in ' + "docs/" + 'architecture.md."""'
    assert cited_in(text) == {absent_path, absent_name, "docs/architecture.md"}
    missing = _missing({"rescue/example.py": cited_in(text)})
    assert sorted(missing) == sorted([f"rescue/example.py cites {absent_path}, which does not exist",
                                      f"rescue/example.py cites {absent_name}, which does not exist"])


def test_names_inside_other_words_or_paths_are_not_citations():
    assert cited_in("see readme.md, my-NOTES.md, static/GUIDE.md or subdocs/x.md") == set()
