"""Every module of rescue/ imports on its own, first, in an interpreter that has imported nothing of rescue:
a module that only works when something else happened to be imported before it hides an import cycle."""
from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import pkgutil
import sys
import traceback

import rescue

THIRD_PARTY = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_migrate", "flask_limiter", "sqlalchemy",
               "wtforms", "babel", "icu", "weasyprint", "openpyxl", "PIL", "rq", "redis", "cryptography", "segno",
               "rapidfuzz", "pypdf", "argon2", "pyotp", "blinker", "config")


def _modules() -> list[str]:
    names = ["rescue"]
    for info in pkgutil.walk_packages(rescue.__path__, "rescue."):
        names.append(info.name)
    return sorted(names)


def _import_alone(name: str) -> str | None:
    for loaded in [m for m in sys.modules if m == "rescue" or m.startswith("rescue.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - the test reports whatever went wrong
        return f"{name}: {traceback.format_exc(limit=-2)}"
    return None


def _warm() -> None:
    os.environ.setdefault("RESCUE_CONFIG", "test")
    for name in THIRD_PARTY:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def test_every_module_imports_on_its_own():
    context = multiprocessing.get_context("fork")
    # Each module in a fresh child forked from a parent that has the libraries but nothing of rescue; a child
    # per module (maxtasksperchild=1), so no module benefits from another's imports.
    pool = context.Pool(processes=2, initializer=_warm, maxtasksperchild=1)
    try:
        failures = [failure for failure in pool.map(_import_alone, _modules(), chunksize=1) if failure]
    finally:
        # Closed and joined, not terminated: terminating while the pool forks a fresh worker can leave that
        # worker waiting forever on a lock it inherited.
        pool.close()
        pool.join()
    assert failures == [], "\n".join(failures)


def test_no_view_imports_another_view_and_no_service_imports_a_view():
    """Views are the outermost shell of each capability: only the app factory imports them, and each package's
    blueprint.py, which nests that package's own view modules under its one blueprint."""
    import ast
    from pathlib import Path

    package = Path(rescue.__file__).parent
    offending = []
    for path in package.rglob("*.py"):
        if path == package / "__init__.py":
            continue  # the app factory registers every blueprint
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                last = name.rsplit(".", 1)[-1]
                if path.name == "blueprint.py" and name.split(".")[:2] == ["rescue", path.parent.name]:
                    continue
                if name.startswith("rescue.") and (last == "views" or last.endswith("_views")):
                    offending.append(f"{path.relative_to(package.parent)} imports {name}")
    assert offending == []
