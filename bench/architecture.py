"""Figures of the code's shape: the import graph between capability packages, long modules and long functions.

Run with ``python -m bench.architecture``. It reads the source only (nothing is imported), so it works on any checkout.
Every import counts, at module level or inside a function, since both tie one package to another; imports
only for type checkers (under ``if TYPE_CHECKING:``) do not run and are left out.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "rescue"


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (ROOT / parts[1]).is_dir() else "(app)"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    typing_only = {
        id(inner) for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in node.body for inner in ast.walk(child)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("rescue"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("rescue"):
                found.add(name)
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[set[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.add(item)
                if item == node:
                    break
            result.append(group)

    for node in list(graph):
        if node not in index:
            visit(node)
    return result


def main() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    long_modules: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > 300:
            long_modules.append((lines, module))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                functions.append((length, f"{module}.{node.name}"))
        mine = package_of(module)
        packages.setdefault(mine, set())
        for target in imports_of(path, module):
            theirs = package_of(target)
            if theirs != mine and mine != "(app)":
                packages[mine].add(theirs)
    cycles = [group for group in strongly_connected(packages) if len(group) > 1]
    print(f"capability packages: {len([p for p in packages if p != '(app)'])}")
    print(f"import cycles between packages: {len(cycles)}")
    for group in cycles:
        print("  cycle:", ", ".join(sorted(group)))
    print(f"modules over 300 lines: {len(long_modules)}")
    for lines, module in sorted(long_modules, reverse=True):
        print(f"  {lines:5d}  {module}")
    functions.sort(reverse=True)
    print("longest functions:")
    for length, name in functions[:5]:
        print(f"  {length:5d}  {name}")


if __name__ == "__main__":
    main()
