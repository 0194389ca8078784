"""``crabplug run``: build the stages a config names, then run the pipeline in its run directory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import attrs

from crabplug import config as config_mod
from crabplug import resume_checks
from crabplug import stats as run_stats
from crabplug.checkpoint import write_atomic
from crabplug.config import RunConfig, StageSpec
from crabplug.errors import ConfigError, PluginError
from crabplug.llm_usage import Usage
from crabplug.pipeline import Pipeline, dump_stats
from crabplug.plugins import Registry, plugin_info
from crabplug.progress import Progress
from crabplug.stages import Context

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
    from crabplug.output_paths import check_output_paths

    stages = {kind: [build_stage(registry, kind, spec) for spec in specs] for kind, specs in config.stage_lists.items()}
    check_output_paths(stages.get("outputs", []), config.stage_lists.get("outputs", []))
    return stages


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
    ctx = Context(
        run_dir=run_dir, seed=config.seed, registry=registry, config=config, limit=config.limit,
        usage=new_usage(before), usage_before=before,
    )  # fmt: skip
    ctx.llm_factory = llm_factory(config, registry, run_dir, ctx)
    ctx.stats["run"] = {"name": config.name, "seed": config.seed, "limit": config.limit, "shard": shard}

    def cost() -> float:
        return float(ctx.usage.snapshot()["total"]["cost"] or 0.0)

    def seed_total() -> int | None:  # the bars' total without --limit, when counting the seeds is cheap
        from crabplug.forecast import count_seeds

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
