"""Documentation that can drift is tested: every hook is in the hook reference with its signature."""

from __future__ import annotations

import inspect
from pathlib import Path

from crabplug import hookspecs

DOCS = Path(__file__).parent.parent / "docs"


def _hooks():
    return [(n, f) for n, f in vars(hookspecs).items() if n.startswith("register_") and inspect.isfunction(f)]


def test_every_hook_is_documented_with_its_signature():
    text = (DOCS / "hooks.md").read_text()
    for name, fn in _hooks():
        signature = f"## {name}({', '.join(inspect.signature(fn).parameters)})"
        assert signature in text, f"docs/hooks.md lacks the heading {signature!r}"


def test_every_documented_hook_exists():
    text = (DOCS / "hooks.md").read_text()
    documented = {line[3:].split("(")[0] for line in text.splitlines() if line.startswith("## register_")}
    assert documented == {name for name, _ in _hooks()}


def test_every_hook_has_a_docstring():
    assert all(fn.__doc__ for _, fn in _hooks())
