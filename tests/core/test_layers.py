"""The core's layers and the absence of import cycles, read from the source (imports inside functions too).

Layers, bottom up (docs/architecture.md): errors, records, text, jsonl, hookspecs -> config, llm, constraints,
stages, plugins, scoring -> pipeline, rewards -> cli. A module imports only its own layer or lower ones, never in
a circle; plugins and packages import only the public front (``crabplug``), plus ``crabplug.rewards`` (the reward
functions trainers take by path) and, in tests, ``crabplug.testing``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from importgraph import cycles, graph

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").exists())

LAYERS = {
    "crabplug": 0, "crabplug._version": 0, "crabplug.errors": 0, "crabplug.records": 0, "crabplug.text": 0,
    "crabplug.jsonl": 0, "crabplug.hookspecs": 0, "crabplug.dirlock": 0,
    "crabplug.config": 1, "crabplug.llm": 1, "crabplug.constraints": 1, "crabplug.stages": 1, "crabplug.plugins": 1,
    "crabplug.scoring": 1,
    "crabplug.pipeline": 2, "crabplug.rewards": 2,
    "crabplug.cli": 3, "crabplug.__main__": 3, "crabplug.testing": 3,
}  # fmt: skip
#: what plugins and packages may import besides the public front
PUBLIC_PATHS = {"crabplug", "crabplug.rewards", "crabplug.testing", "crabplug.testing.fixtures"}


def _layer(module: str) -> int:
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in LAYERS:
            return LAYERS[".".join(parts[:i])]
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS and docs/architecture.md")


def _core_graph() -> dict[str, set[str]]:
    return graph([(ROOT, ROOT / "crabplug")])


def test_every_core_module_has_a_layer():
    for module in _core_graph():
        _layer(module)


def test_no_core_module_imports_a_higher_layer():
    upward = [
        f"{a} (layer {_layer(a)}) imports {b} (layer {_layer(b)})"
        for a, targets in _core_graph().items()
        for b in sorted(targets)
        if _layer(b) > _layer(a)
    ]
    assert upward == []


def test_nothing_outside_the_cli_imports_it():
    edges = _core_graph()
    into_cli = [f"{a} -> {b}" for a, t in edges.items() for b in t if b.startswith("crabplug.cli")
                and not a.startswith("crabplug.cli") and a not in ("crabplug.__main__", "crabplug.testing")]
    assert into_cli == []


@pytest.mark.parametrize(
    "trees",
    [
        pytest.param([(ROOT, ROOT / "crabplug")], id="crabplug"),
        pytest.param([(ROOT / "plugins", ROOT / "plugins")], id="plugins"),
        *(pytest.param([(p, p / p.name.replace("-", "_"))], id=p.name) for p in PACKAGES),
    ],
)
def test_no_import_cycle(trees):
    assert all(folder.is_dir() for _, folder in trees)
    assert cycles(graph(trees)) == []


def test_plugins_and_packages_import_only_the_public_front():
    import ast

    private = []
    files = [*(ROOT / "plugins").rglob("*.py"), *(f for p in PACKAGES for f in p.rglob("*.py"))]
    assert files
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            private += [f"{path.relative_to(ROOT)}: {n}" for n in names
                        if n.startswith("crabplug.") and n not in PUBLIC_PATHS]
    assert private == []
