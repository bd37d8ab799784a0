"""An installed wheel carries every template, asset, catalog and migration (see rescue/paths.py)."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_folder_is_declared():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    folders = {key.removeprefix("share/rescue/").removeprefix("share/rescue") for key in declared}
    needed = set()
    for top in ("templates", "static", "translations", "migrations"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith(".mo"):
                needed.add(str(path.parent.relative_to(ROOT)))
    assert needed <= folders, f"not shipped: {sorted(needed - folders)}"
