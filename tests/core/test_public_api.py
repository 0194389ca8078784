"""The plugin boundary, both ways: plugins import only crabplug's public API, and the core names no plugin.

The built-ins, the separate distributions under packages/ and the example package under docs/plugins/ are
written exactly as a third party would write them; the core knows no plugin, model or family by name.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import crabplug

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = {"crabplug", "crabplug.api", "crabplug.rewards", "crabplug.testing", "crabplug.testing.fixtures"}
PLUGIN_TREES = [ROOT / "plugins", ROOT / "packages", ROOT / "docs" / "plugins"]


def _plugin_files() -> list[Path]:
    files = [p for tree in PLUGIN_TREES if tree.is_dir() for p in sorted(tree.rglob("*.py"))]
    assert len(files) > 50, f"expected the built-in plugins' sources, found {len(files)} files"
    return files


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            if node.module == "crabplug":  # `from crabplug import jsonl` is a private module too
                out += [(node.lineno, f"crabplug.{a.name}") for a in node.names if a.name.islower()
                        and (ROOT / "crabplug" / f"{a.name}.py").exists()]
    return out


def test_plugins_import_only_the_public_api():
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _plugin_files()
        for line, module in _imported_modules(path)
        if (module == "crabplug" or module.startswith("crabplug.")) and module not in PUBLIC
    ]
    assert bad == [], "plugins import private core modules (export what they need from crabplug):\n" + "\n".join(bad)


def _own_package(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return next(p for p in parts if p.startswith("crabplug_"))


def test_no_plugin_imports_another():
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _plugin_files()
        if any(p.startswith("crabplug_") for p in path.relative_to(ROOT).parts)
        for line, module in _imported_modules(path)
        if module.startswith("crabplug_") and module.split(".")[0] != _own_package(path)
    ]
    assert bad == [], "a plugin imports another plugin (share it through crabplug's public API):\n" + "\n".join(bad)


def test_every_public_name_resolves():
    for name in crabplug.__all__:
        assert getattr(crabplug, name) is not None, name


def test_the_public_front_is_one_sorted_table_and_all_is_made_from_it():
    assert list(crabplug._PUBLIC) == sorted(crabplug._PUBLIC)
    assert crabplug.__all__ == ["__version__", *crabplug._PUBLIC]
    assert not set(crabplug._PUBLIC) & set(crabplug._DEPRECATED)


def test_every_public_name_is_in_the_hook_reference():
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    missing = [name for name in crabplug._PUBLIC if f"`{name}`" not in text and f"`{name}(" not in text]
    assert missing == [], "docs/hooks.md's public API list lacks these names"


def test_a_name_that_left_the_front_still_resolves_with_a_warning():
    with pytest.warns(DeprecationWarning, match="crabplug.build_stages is no longer public"):
        from crabplug.pipeline.assemble import build_stages

        assert crabplug.build_stages is build_stages


def test_importing_crabplug_imports_no_core_module():
    import subprocess
    import sys

    code = "import crabplug, sys; print(sorted(m for m in sys.modules if m.startswith('crabplug.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['crabplug._version']"


def test_the_import_check_catches_a_private_import(tmp_path):
    plugin = tmp_path / "p.py"
    plugin.write_text("from crabplug.pipeline.checkpoint import AtomicJsonl\nfrom crabplug import jsonl, Sample\n")
    assert [m for _, m in _imported_modules(plugin)] == ["crabplug.pipeline.checkpoint", "crabplug", "crabplug.jsonl"]


# -- the core names no plugin -------------------------------------------------------------------------------


def _plugin_names() -> set[str]:
    """The built-in distributions' plugin modules, every family and type id they register, every LLM provider
    prefix, and the embedded model and keyword extractor by name."""
    names: set[str] = set()
    for pyproject in [ROOT / "pyproject.toml", *ROOT.glob("packages/*/pyproject.toml")]:
        eps = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("entry-points", {})
        names |= {target.split(":")[0].split(".")[0] for target in eps.get("crabplug", {}).values()}
    registry = crabplug.load_plugins()
    for ctype in registry.constraint_types.values():
        names |= {ctype.family, ctype.id}
    names |= {f"{provider}/" for provider in registry.items["llm_providers"]}
    # the core has an LLM door of its own: a family named after it (crab's free-text ``llm:*`` types) is no leak
    # YAKE is not a plugin: the keyword extractors (``fast``, ``yake``) are the core's public text utility that
    # every family with keyword types imports from ``crabplug``, so the core may name them.
    return (names | {"smollm", "ifeval", "ifbench"}) - CORE_WORDS


CORE_WORDS = {"llm"}


def _prose(tree: ast.Module) -> set[int]:
    """ids of docstring constants: module, class and function docstrings, and attribute docstrings (a string
    statement right after an assignment)."""
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for i, stmt in enumerate(body):
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
                continue
            first = i == 0 and isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            if first or (i > 0 and isinstance(body[i - 1], ast.AnnAssign | ast.Assign)):
                out.add(id(stmt.value))
    return out


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants and names of a module, without its docstrings (prose may cite a benchmark)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _prose(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.Name | ast.Attribute):
            out.append((node.lineno, node.id if isinstance(node, ast.Name) else node.attr))
    return out


def _pattern(names: set[str]) -> re.Pattern:
    """One regex for every name: ids and prefixes anywhere, plain names as whole words."""
    parts = [re.escape(n.lower()) if n.endswith("/") or ":" in n
             else rf"(?<![a-z0-9_]){re.escape(n.lower())}(?![a-z0-9])" for n in sorted(names, key=len, reverse=True)]
    return re.compile("|".join(parts))


def _mentions(text: str, name: str) -> bool:
    return _pattern({name}).search(text.lower()) is not None


def test_the_core_names_no_plugin_model_or_family():
    names = _plugin_names()
    expected = {"crab", "ifeval", "crabplug_crab", "crabplug_seeds", "local/"}
    assert expected <= names, "the plugin list itself came out empty"
    core = [p for p in sorted((ROOT / "crabplug").rglob("*.py"))]
    pattern = _pattern(names)
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {m.group(0)!r} in {text!r}"
        for path in core
        for line, text in _code_strings(path)
        if (m := pattern.search(text.lower()))
    ]
    assert bad == [], "the core names plugins (make it data: config, a hook, a registered type):\n" + "\n".join(bad)


@pytest.mark.parametrize("text, found", [("local/smollm2-135m", True), ("crab:keywords", True), ("crabby", False)])
def test_the_name_check_matches_whole_names(text, found):
    assert any(_mentions(text, n) for n in ("local/", "smollm", "crab", "crab:keywords")) is found


def test_each_distribution_registers_through_one_entry_point():
    """A plugin package registers everything from its top-level module: `crabplug plugins` shows one `crab`."""
    for pyproject in [ROOT / "pyproject.toml", *ROOT.glob("packages/*/pyproject.toml")]:
        eps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["entry-points"]["crabplug"]
        targets = list(eps.values())
        assert all("." not in t and ":" not in t for t in targets), f"{pyproject}: {eps}"
        assert len(set(targets)) == len(targets), f"{pyproject}: a package behind two entry points: {eps}"
    from crabplug.plugins import plugin_info

    names = [row["name"] for row in plugin_info(crabplug.load_plugins())]
    assert names.count("crab") == 1 and not [n for n in names if n.startswith("crab-")], names
