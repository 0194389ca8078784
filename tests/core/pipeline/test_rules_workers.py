"""``rules`` with ``workers: 2`` derives in worker processes that load the same plugins as the run."""

from __future__ import annotations

import asyncio
import json

import pytest
from crabplug_seeds.bundled import bundled_file

from crabplug import Context, Example, load_plugins


@pytest.mark.slow  # spawns two worker processes that import crabplug and load every plugin
def test_worker_processes_load_the_runs_plugin_modules_too(tmp_path):
    registry = load_plugins(["crabplug_testplugin"])  # a --plugin module, not an installed entry point
    assert "test:min_words" in registry.constraint_types
    rules = registry.get("back_translators", "rules")
    examples = [
        Example(instruction=r["instruction"], response=r["output"])
        for r in map(json.loads, bundled_file().read_text(encoding="utf-8").splitlines()[:3])
    ]
    ctx = Context(run_dir=tmp_path, seed=0, registry=registry)

    async def both():
        here = [rules().derive_all(e, ctx) for e in examples]
        there = await asyncio.gather(*(rules(workers=2).translate(e, ctx) for e in examples))
        return here, list(there)

    here, there = asyncio.run(both())
    assert here == there
    assert all("test:min_words" in {c.type for c in found} for found in there)  # the module's type, derived there
