"""Assembling a run: the stages a config names, built from the registry, and the context they share.

``open_context`` is the one set-up of a :class:`~crabplug.stages.Context` with its LLM door, used by a run, a
dry run's plan, an executor's worker, a rebuild of the outputs and ``crabplug drop``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from crabplug.config import RunConfig, StageSpec
from crabplug.errors import ConfigError, PluginError
from crabplug.llm.usage import Usage
from crabplug.plugins import Registry
from crabplug.stages import Context


def build_stage(registry: Registry, kind: str, spec: StageSpec) -> Any:
    """One stage: the plugin class ``spec`` names among ``kind`` (``trainers``, ``outputs``...), with its options
    validated; a PluginError or ConfigError names the config file and line."""
    try:
        cls = registry.get(kind, spec.plugin)
    except PluginError as err:
        raise PluginError(f"{spec.where}: {err}" if spec.where else str(err)) from None
    label = f"{kind.replace('_', ' ')[:-1]} {spec.plugin!r}"
    return spec.build(cls, label) if attrs.has(cls) else cls(**spec.options)


def build_stages(config: RunConfig, registry: Registry) -> dict[str, list[Any]]:
    """Instantiate every stage's plugin class with its validated options."""
    from crabplug.pipeline.output_paths import check_output_paths

    stages = {kind: [build_stage(registry, kind, spec) for spec in specs] for kind, specs in config.stage_lists.items()}
    check_output_paths(stages.get("outputs", []), config.stage_lists.get("outputs", []))
    return stages


def llm_factory(config: RunConfig, registry: Registry, run_dir: Path, ctx: Context):
    """Make ``ctx.llm(model, **overrides)``: one door client per distinct settings, one usage tally per run."""
    clients: dict[str, Any] = {}

    def factory(model: str | None = None, **overrides: Any) -> Any:
        from crabplug import llm

        settings = {**config.llm, **{k: v for k, v in overrides.items() if v is not None}}
        if model:
            settings["model"] = model
        settings.setdefault("cache_path", str(run_dir / "llm-cache.sqlite"))
        key = json.dumps(settings, sort_keys=True, default=str)
        if key not in clients:
            if ctx.usage is None:  # a context made outside execute (a rebuild of the outputs)
                ctx.usage = new_usage(ctx.usage_before)
            known = {f.name for f in attrs.fields(llm.LLMSettings)}
            if unknown := sorted(set(settings) - known):
                raise ConfigError(f"unknown llm setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
            clients[key] = llm.LLM(llm.LLMSettings(**settings), usage=ctx.usage, registry=registry)
        return clients[key]

    return factory


def new_usage(before: dict[str, Any]) -> Usage:
    """The run's one usage tally; earlier runs' spending (``before``) counts against ``max_cost``."""
    return Usage(spent_before=float(before.get("total", {}).get("cost", 0.0) or 0.0))


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and ``taskset`` narrow)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def open_context(
    config: RunConfig, registry: Registry, run_dir: Path, *, limit: int | None = None, usage: Usage | None = None,
    usage_before: dict[str, Any] | None = None, cores: int | None = None,
) -> Context:
    """A context for ``config`` in ``run_dir`` with its LLM door (``ctx.llm``); ``limit`` defaults to the
    config's, ``cores`` to its ``workers`` (every usable core when unset). Nothing is sent until a stage asks
    the door."""
    ctx = Context(
        run_dir=run_dir, seed=config.seed, registry=registry, config=config,
        limit=config.limit if limit is None else limit, usage=usage, usage_before=usage_before or {},
        cores=cores or config.workers or usable_cores(),
    )  # fmt: skip
    ctx.llm_factory = llm_factory(config, registry, run_dir, ctx)
    return ctx
