"""Rebuild a run directory's output files from a stream of samples, with the run's own config.

Used by ``crabplug merge`` (shards -> one dataset, one card) and ``crabplug drop`` (review): every output the
config names is opened, given the samples in order, and closed in config order, exactly as at the end of
``crabplug run``, so the same samples give byte-identical files (per-sample randomness is seeded by sample id).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crabplug.pipeline.checkpoint import AtomicJsonl, write_atomic
from crabplug.records import Sample

CHUNK = 64


def read_samples(path: Path) -> Iterator[Sample]:
    """The samples of a ``samples.jsonl``, streamed."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield Sample.from_dict(json.loads(line))


def rebuild_outputs(run_dir: Path, registry: Any, samples: Iterable[Sample], stats: dict[str, Any]) -> dict[str, Any]:
    """Write ``samples.jsonl`` and every output of ``run_dir/config.yaml`` from ``samples``; returns output stats.

    ``stats`` are the run's counts (seeds, failures, usage) the dataset card reports; ``stats.json`` is rewritten
    with them and the outputs' new stats. Output failures are appended to ``failures.jsonl``.
    """
    import asyncio  # here, like the imports below: crabplug --help imports the merge command, which imports this

    from crabplug import config as config_mod
    from crabplug.pipeline.assemble import build_stages, open_context
    from crabplug.pipeline.record_stages import maybe_await
    from crabplug.pipeline.stream import close_outputs

    config, _ = config_mod.load(run_dir / "config.yaml")
    outputs = build_stages(config, registry)["outputs"]
    ctx = open_context(config, registry, run_dir)
    ctx.stats.update({k: v for k, v in stats.items() if k != "outputs"})

    async def go() -> dict[str, Any]:
        failures_path = run_dir / "failures.jsonl"
        failures = AtomicJsonl(failures_path)  # written beside the old file and renamed: the old one streams in
        if failures_path.is_file():
            with failures_path.open(encoding="utf-8") as f:
                for line in f:
                    failures.write(json.loads(line))
        for out in outputs:
            out.open(ctx)
        written = AtomicJsonl(run_dir / "samples.jsonl")  # renamed into place on close: it may be read meanwhile
        stream = iter(samples)
        while batch := list(itertools.islice(stream, CHUNK)):
            for s in batch:
                written.write(s.to_dict())
            for out in outputs:
                for bad in await maybe_await(out.write(batch, ctx)) or []:
                    failures.write(bad.to_dict())
        written.close()
        failures.close()
        ctx.stats["samples"] = written.count
        ctx.stats["failures"] = failures.count
        return await close_outputs(outputs, ctx)  # reports (the card) see every output's stats

    closed = asyncio.run(go())
    body = {k: v for k, v in ctx.stats.items() if not k.startswith("_")}
    text = json.dumps({**body, "outputs": closed}, indent=2, sort_keys=True, default=str)
    write_atomic(run_dir / "stats.json", text + "\n")
    return closed
