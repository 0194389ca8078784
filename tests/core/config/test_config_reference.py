"""docs/configuration.md documents every config option and every built-in stage plugin's options.

When a test here fails after you added an option or a plugin, regenerate the reference:
    .venv/bin/python -m crabplug.cli.docgen > docs/configuration.md
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import attrs

from crabplug.cli import docgen
from crabplug.config import Filters, RunConfig
from crabplug.plugins import load

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"
REGENERATE = "regenerate it with: .venv/bin/python -m crabplug.cli.docgen > docs/configuration.md"


def sections() -> dict[str, str]:
    """Heading line -> the text under it, up to the next heading."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^(#{2,3} .+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def init_names(cls: type) -> list[str]:
    return [getattr(f, "alias", None) or f.name.lstrip("_") for f in attrs.fields(cls) if f.init]


def missing_rows(heading: str, names: list[str], found: dict[str, str]) -> list[str]:
    if heading not in found:
        return [f"section {heading!r}"]
    return [f"{heading} -> {n}" for n in names if f"| `{n}` |" not in found[heading]]


def test_every_run_config_option_is_documented():
    found = sections()
    missing = missing_rows("## Top-level keys", init_names(RunConfig), found)
    missing += missing_rows("## `filters`", init_names(Filters), found)
    missing += missing_rows("## Stage entries", ["plugin"], found)
    settings = docgen.llm_settings()
    if settings is not None:
        missing += missing_rows("## `llm`", init_names(settings), found)
    assert not missing, f"docs/configuration.md lacks {missing}; {REGENERATE}"


def test_every_builtin_stage_plugin_option_is_documented():
    found = sections()
    registry = docgen.builtin_registry()
    missing = []
    for kind, (_, label) in docgen.stage_kinds().items():
        for name, cls in registry.items[kind].items():
            missing += missing_rows(f"### `{name}` ({label})", init_names(cls) if attrs.has(cls) else [], found)
    assert not missing, f"docs/configuration.md lacks {missing}; {REGENERATE}"


def test_no_documented_option_lacks_a_description():
    undocumented = [line for line in DOC.read_text(encoding="utf-8").splitlines() if "*(undocumented" in line]
    assert not undocumented, f"add a docstring under these fields, then {REGENERATE}: {undocumented}"


@attrs.frozen
class _Base:
    """A base stage."""

    path: str = ""
    """Where to read | with a pipe."""


@attrs.frozen
class _Child(_Base):
    """A child stage.

    Second paragraph, not in the summary.
    """

    name: ClassVar[str] = "child"
    retries: int | None = None
    """How often to retry;
    None: never."""
    _secret: str = attrs.field(default="x", alias="secret")
    """Given as ``secret``."""
    undocumented: bool = True


def test_option_docstrings_come_from_the_class_source_and_its_bases():
    assert docgen.field_docs(_Child) == {
        "path": "Where to read | with a pipe.",
        "retries": "How often to retry;\nNone: never.",
        "_secret": "Given as ``secret``.",
    }


def test_options_are_listed_by_their_config_name_with_type_and_default():
    opts = {o.name: o for o in docgen.options(_Child)}
    assert list(opts) == ["path", "retries", "secret", "undocumented"]
    assert (opts["retries"].type, opts["retries"].default) == ("int | None", "null")
    assert opts["undocumented"].default == "true" and opts["undocumented"].doc == ""


def test_table_cells_escape_pipes_and_flag_missing_docs():
    rows = list(docgen.table(docgen.options(_Child)))
    assert "| `path` | `str` | `\"\"` | Where to read \\| with a pipe. |" in rows
    assert any(r.startswith("| `undocumented` |") and "undocumented: add a docstring" in r for r in rows)


def test_a_plugin_loaded_with_the_registry_gets_its_own_section():
    text = docgen.render(load(["crabplug_testplugin"], only=[]))
    assert "### `test-count` (back-translator)" in text
    assert "| `delay` | `float` | `0.0` | Seconds to wait per record. |" in text


def test_the_module_prints_the_reference():
    proc = subprocess.run([sys.executable, "-m", "crabplug.cli.docgen"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Configuration reference\n") and "## Top-level keys" in proc.stdout
