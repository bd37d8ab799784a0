"""Where templates/, static/ and translations/ are: beside the package in a checkout or an editable
install, under <prefix>/share/rescue in an installed wheel."""
from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _project_dir() -> Path:
    checkout = PACKAGE_DIR.parent
    if (checkout / "templates").is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "rescue"


PROJECT_DIR = _project_dir()
TEMPLATES_DIR = PROJECT_DIR / "templates"
STATIC_DIR = PROJECT_DIR / "static"
TRANSLATIONS_DIR = PROJECT_DIR / "translations"
MIGRATIONS_DIR = PROJECT_DIR / "migrations"
