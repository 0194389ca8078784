"""The import graph of Python source trees, read from the AST (imports inside functions included).

Used by the layering and no-cycle tests of crabplug's own tree, and usable on a plugin package's tree. A module
importing ``P.m`` depends on ``P.m`` and, unless ``P`` is one of its own packages, on ``P`` (its ``__init__``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path


def module_name(path: Path, root: Path) -> str:
    """``crabplug/llm/client.py`` under ``root`` -> ``crabplug.llm.client``; a package's ``__init__`` -> the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{alias.name}" for alias in node.names)  # kept below only when it is a module
    return out


def graph(roots: Iterable[tuple[Path, Path]]) -> dict[str, set[str]]:
    """``{module: modules it imports}`` for every ``.py`` file under each ``(root, folder)``, edges kept only
    between modules found in the trees. ``root`` is the import root (the folder on ``sys.path``)."""
    files: dict[str, tuple[Path, bool]] = {}
    for root, folder in roots:
        for path in sorted(folder.rglob("*.py")):
            files[module_name(path, root)] = (path, path.name == "__init__.py")
    edges: dict[str, set[str]] = {}
    for name, (path, is_package) in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1 + is_package)}
        edges[name] = {m for m in _imported(tree, name, is_package) if m in files and m != name and m not in own}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan's algorithm), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)
