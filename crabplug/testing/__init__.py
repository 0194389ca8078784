"""What plugin authors' tests need, and crabplug's own tests use: real components, no mocks.

- :class:`LLMServer`: a real OpenAI-compatible server on 127.0.0.1 (point ``llm.api_base`` at ``server.url``);
  script its answers with ``reply`` or ``script(...)``, read what it received in ``requests``.
- :func:`write_seeds` and :func:`write_config`: a seed file and a run config in a temporary folder.
- :func:`load_only`: a registry of the core plus the named plugin modules, nothing else installed.
- :data:`EDGE_CASES`: texts that break naive checks, for a family's check/derive tests.
- :func:`run_cli`: ``crabplug`` in a subprocess, as a user runs it (``--plugin`` modules loaded).
- pytest fixtures ``llm_server`` and ``crabplug_registry``: add ``pytest_plugins = ["crabplug.testing.fixtures"]``
  to your conftest.py.

See docs/testing.md. ``crabplug new-plugin`` writes a package whose tests use these.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from crabplug.testing.edge_cases import EDGE_CASES
from crabplug.testing.llm_server import LLMServer, completion, echo

__all__ = ["EDGE_CASES", "LLMServer", "completion", "echo", "load_only", "run_cli", "write_config", "write_seeds"]


def write_seeds(path: Path, rows: Iterable[Mapping[str, Any] | tuple[str, str]]) -> Path:
    """A JSONL seed file: each row a mapping (written as it is) or an ``(instruction, response)`` pair."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            if not isinstance(row, Mapping):
                instruction, response = row
                row = {"instruction": instruction, "response": response}
            f.write(json.dumps(dict(row), ensure_ascii=False) + "\n")
    return path


def write_config(folder: Path, *, seeds: Path | str | Iterable[Any], name: str = "test", **sections: Any) -> Path:
    """``folder/config.yaml`` running ``seeds`` (a seed file path, read by the ``jsonl`` source, or a list of seed
    entries) into ``folder/run``; ``sections`` are the config's other keys as Python values (``back_translators=
    ["rules"]``, ``combiner={"plugin": "crab"}``, ``outputs=["sft"]``, ``llm={"model": ..., "api_base": ...}``)."""
    import yaml

    folder = Path(folder)
    if isinstance(seeds, str | Path):
        seeds = [{"plugin": "jsonl", "path": str(seeds)}]
    data = {"name": name, "run_dir": str(folder / "run"), "seeds": list(seeds), **sections}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def load_only(*modules: str) -> Any:
    """The registry of the core's plugins and ``modules`` (imported by name), no installed entry point: a test
    sees exactly the plugins it names."""
    from crabplug.plugins import load

    return load(modules, only=[])


def run_cli(
    *args: str,
    plugins: Iterable[str] = (),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """``crabplug ARGS`` in a subprocess (``--plugin`` for each of ``plugins``), its output captured as text."""
    flags = [x for module in plugins for x in ("--plugin", module)]
    command = [sys.executable, "-c", "from crabplug.cli import main; main()", *flags, *args]
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
