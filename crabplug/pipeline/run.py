"""``crabplug run``: build the stages a config names, then run the pipeline in its run directory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import attrs

from crabplug import config as config_mod
from crabplug.config import RunConfig
from crabplug.errors import ConfigError
from crabplug.pipeline import resume as resume_checks
from crabplug.pipeline import stats as run_stats
from crabplug.pipeline.assemble import build_stages, new_usage, open_context
from crabplug.pipeline.checkpoint import write_atomic
from crabplug.pipeline.progress import Progress
from crabplug.pipeline.stream import Pipeline, dump_stats
from crabplug.plugins import Registry, plugin_info

#: config keys that may change between a run and its resume without changing finished records
_RESUMABLE_KEYS = {"limit", "outputs", "combiner", "train", "chunk_size"}
# llm settings that never change an answer: a resumed run may raise its budget, limits or key variable.
_RESUMABLE_LLM_KEYS = {"max_cost", "concurrency", "rpm", "tpm", "timeout", "max_retries", "api_key_env", "cache_path"}


def _answer_relevant(data: dict) -> dict:
    llm = data.get("llm")
    if not isinstance(llm, dict):
        return data
    kept = {k: v for k, v in llm.items() if k not in _RESUMABLE_LLM_KEYS}
    return {**{k: v for k, v in data.items() if k != "llm"}, **({"llm": kept} if kept else {})}


def _check_same_run(run_dir: Path, data: dict) -> None:
    saved = run_dir / "config.yaml"
    if not saved.exists():
        return
    import yaml

    old = _answer_relevant(yaml.safe_load(saved.read_text(encoding="utf-8")) or {})
    data = _answer_relevant(config_mod.redacted(data))  # config.yaml holds secrets as ***: compare like with like
    changed = sorted(k for k in set(old) | set(data) if k not in _RESUMABLE_KEYS and old.get(k) != data.get(k))
    if changed:
        raise ConfigError(
            f"run directory {str(run_dir)!r} was made with a different config ({', '.join(changed)} changed); "
            "use another run_dir (-o DIR) or add --restart to start it over"
        )


def _with_type_options(config: RunConfig, data: dict, registry: Registry) -> dict:
    """The config with every constraint type option resolved: they change the data, so config.yaml records
    them and a resume with other values is refused like any other changed key."""
    from crabplug.constraints import resolved_type_options, validate_type_options

    validate_type_options(config.constraints, registry.constraint_types)
    resolved = resolved_type_options(config.constraints, registry.constraint_types)
    return {**data, "constraints": resolved} if resolved else data


@attrs.frozen
class RunResult:
    """What a run produced."""

    run_dir: Path
    stats: dict[str, Any]
    outputs: dict[str, Any]
    models: list[Path]


def execute(
    config: RunConfig,
    data: dict,
    registry: Registry,
    *,
    run_dir: Path,
    quiet: bool = False,
    shard: tuple[int, int] | None = None,
    executor: Any = None,
) -> RunResult:
    """Run (or resume) ``config`` in ``run_dir``; ``executor`` runs the per-record stages (None: ``local``)."""
    stages = build_stages(config, registry)
    if not stages["seed_sources"]:
        raise ConfigError("the config names no seed source: add a 'seeds:' section, e.g. seeds: [{plugin: bundled}]")
    data = _with_type_options(config, data, registry)
    _check_same_run(run_dir, data)
    names = {kind: {spec.plugin for spec in specs} for kind, specs in config.stage_lists.items()}
    resume_checks.check_plugins(run_dir, plugin_info(registry), names)
    resume_checks.check_limit(run_dir, config.limit)
    run_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(run_dir / "config.yaml", config_mod.dump(data))
    write_atomic(run_dir / "plugins.json", json.dumps(plugin_info(registry), indent=2) + "\n")
    before = run_stats.previous_usage(run_dir)
    ctx = open_context(config, registry, run_dir, usage=new_usage(before), usage_before=before)
    ctx.stats["run"] = {"name": config.name, "seed": config.seed, "limit": config.limit, "shard": shard}

    def cost() -> float:
        return float(ctx.usage.snapshot()["total"]["cost"] or 0.0)

    def seed_total() -> int | None:  # the bars' total without --limit, when counting the seeds is cheap
        from crabplug.pipeline.forecast import count_seeds

        return count_seeds(stages, config, ctx, shard)

    with Progress(quiet=quiet, cost=cost, total_hint=seed_total) as progress:
        pipeline = Pipeline(config=config, ctx=ctx, stages=stages, progress=progress, shard=shard, executor=executor)
        try:
            outputs = asyncio.run(_run_all(pipeline))
        except BaseException:  # a stop mid-chunk (budget, auth, Ctrl-C): keep what was spent for the next run
            run_stats.save_usage(ctx)
            raise
        models = pipeline.run_trainers()
    stats = {k: v for k, v in ctx.stats.items() if not k.startswith("_")}
    dump_stats(run_dir / "stats.json", {**stats, "outputs": outputs})
    return RunResult(run_dir=run_dir, stats=stats, outputs=outputs, models=models)


async def _run_all(pipeline: Pipeline) -> dict[str, Any]:
    await pipeline.run_records()
    return await pipeline.run_samples()
