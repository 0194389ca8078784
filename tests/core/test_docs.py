"""Documentation that can drift is tested: every hook pluggy knows is in the hook reference with its signature,
and the reference is what crabplug/hookspecs.py's docstrings generate."""

from __future__ import annotations

import inspect
from pathlib import Path

from crabplug import hookspecs, load_plugins
from crabplug.cli import hookdoc

DOCS = Path(__file__).parents[2] / "docs"
REGENERATE = "regenerate it with: .venv/bin/python -m crabplug.cli.hookdoc"


def _hook_callers():
    """Every hook of a loaded plugin manager, firstresult ones included (what pluggy calls, not what we list)."""
    pm = load_plugins().pm
    callers = {name: caller for name, caller in vars(pm.hook).items() if not name.startswith("_")}
    assert "register_seed_sources" in callers and "default_llm_model" in callers
    return callers


def test_every_hook_is_documented_with_its_signature():
    text = (DOCS / "hooks.md").read_text()
    for name in _hook_callers():
        fn = getattr(hookspecs, name)
        assert f"### {hookdoc.signature(name, fn)}" in text, f"docs/hooks.md lacks {name}: {REGENERATE}"


def test_every_documented_hook_exists():
    text = (DOCS / "hooks.md").read_text()
    documented = {line[4:].split("(")[0] for line in text.splitlines() if line.startswith("### ")}
    assert documented == set(_hook_callers())


def test_the_hook_reference_is_generated_from_the_hookspecs():
    text = (DOCS / "hooks.md").read_text()
    assert hookdoc.rewrite(text) == text, REGENERATE


def test_every_hook_has_a_docstring_with_a_summary():
    for name in _hook_callers():
        doc = inspect.getdoc(getattr(hookspecs, name))
        assert doc and doc.split("\n\n")[0].strip().endswith((".", ")")), name


def test_the_kinds_of_registration_are_the_register_hooks():
    from crabplug.plugins import KINDS

    hooks = {n for n in _hook_callers() if n.startswith("register_") and n != "register_commands"}
    assert set(KINDS.values()) == hooks
