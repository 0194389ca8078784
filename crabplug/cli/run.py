"""``crabplug run``: run (or resume, or plan) a config. Results go to stdout, progress to stderr."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crabplug.cli.common import ShardType, registry_from
from crabplug.cli.outdir import remove
from crabplug.errors import CrabError


@click.command("run")
@click.argument("config_path", metavar="CONFIG", type=click.Path(path_type=Path))
@click.option("-o", "--run-dir", type=click.Path(path_type=Path), help="Run directory (default: the config's run_dir).")
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a config value, e.g. filters.min_words=100.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Only this many seed records (to try a config).")
@click.option("--shard", type=ShardType(), help="Process only shard i of n (split by record id).")
@click.option("--dry-run", is_flag=True, help="Print the plan (stages, plugins, estimated LLM calls) and stop.")
@click.option("--restart", is_flag=True, help="Delete the run directory's previous results first (not its LLM cache).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.option("--executor", "executor_name", default="local", show_default=True, metavar="NAME",
              help="Where back-translate and verify run: local, or ray for a Ray cluster (docs/scaling.md).")
@click.option("--executor-opt", "executor_opts", multiple=True, metavar="KEY=VALUE",
              help="An executor option, e.g. address=ray://head:10001 (see docs/scaling.md).")
@click.pass_context
def run(ctx: click.Context, config_path: Path, run_dir: Path | None, overrides: tuple[str, ...], limit: int | None,
        shard: tuple[int, int] | None, dry_run: bool, restart: bool, quiet: bool, executor_name: str = "local",
        executor_opts: tuple[str, ...] = ()) -> None:
    """Run (or resume) the pipeline a CONFIG describes."""
    from crabplug import config as config_mod
    from crabplug.pipeline.run import execute

    if limit is not None:
        overrides = (*overrides, f"limit={limit}")
    config, data = config_mod.load(config_path, overrides)
    registry = registry_from(ctx)
    run_dir = run_dir or Path(config.run_dir)
    if shard:
        run_dir = run_dir / f"shard-{shard[0]}-of-{shard[1]}"
    if dry_run:
        _print_plan(config, registry, run_dir, shard)
        return
    from crabplug.dirlock import hold
    from crabplug.pipeline.executor import build_executor, parse_options

    with hold(run_dir, "run"):  # before --restart deletes anything: a live run's files are not pulled from under it
        if restart:
            clear_run_dir(run_dir)
        executor = build_executor(registry, executor_name, parse_options(executor_opts))
        result = execute(config, data, registry, run_dir=run_dir, quiet=quiet, shard=shard, executor=executor)
    _print_summary(result)
    _fail_when_empty(result)
    _fail_when_llm_failed(result)


#: what ``--restart`` keeps: the lock it holds, and the LLM cache (answers paid for stay free; they are keyed by
#: the whole request, so a changed config asks anew where it must)
KEPT_BY_RESTART = (".lock", "llm-cache.sqlite", "llm-cache.sqlite-wal", "llm-cache.sqlite-shm")


def clear_run_dir(run_dir: Path) -> None:
    """Delete a run directory's previous results for ``--restart``, all but :data:`KEPT_BY_RESTART`."""
    for path in run_dir.iterdir():
        if path.name not in KEPT_BY_RESTART:
            remove(path)


def _print_plan(config, registry, run_dir: Path, shard) -> None:
    from rich.console import Console
    from rich.table import Table

    from crabplug.pipeline.assemble import build_stages, open_context
    from crabplug.pipeline.forecast import forecast, print_forecast

    stages = build_stages(config, registry)
    table = Table("stage", "plugin", "from", "options", title=f"plan for {run_dir}")
    for kind, specs in config.stage_lists.items():
        for spec in specs:
            table.add_row(kind, spec.plugin, registry.owner(kind, spec.plugin), json.dumps(spec.options))
    console = Console()
    console.print(table)
    ctx = open_context(config, registry, run_dir)  # for stages that read settings; nothing is sent
    import os

    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):  # a dry run reads what is cached, downloads nothing
        os.environ.setdefault(name, "1")
    data = forecast(config, registry, stages, ctx, shard)
    print_forecast(data, console, int((config.llm or {}).get("concurrency", 8)))


def _print_summary(result) -> None:
    from rich.console import Console

    s = result.stats
    seeds = s.get("seeds", {})
    console = Console()
    console.print(f"[bold]run directory[/bold] {result.run_dir}")
    console.print(
        f"seeds read {seeds.get('read', 0)}: ok {seeds.get('ok', 0)}, filtered {seeds.get('filtered', 0)}, "
        f"failed {seeds.get('failed', 0)}; samples {s.get('samples', 0)}; failures logged {s.get('failures', 0)}"
    )
    for name, out in result.outputs.items():
        if out:
            console.print(f"output {name}: {json.dumps(out, default=str)}")
    for model in result.models:
        console.print(f"model saved to {model}")


def top_failure_reasons(path: Path, n: int = 3) -> list[tuple[str, int]]:
    """The ``n`` most frequent ``stage: reason`` of a failures.jsonl, streamed."""
    from collections import Counter

    reasons: Counter[str] = Counter()
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                reasons[f"{row.get('stage', '?')}: {_shortened(str(row.get('reason', '?')))}"] += 1
    return reasons.most_common(n)


def _shortened(reason: str, most: int = 400) -> str:
    """A reason whole (its advice is at its end), or cut at a word with an ellipsis when it is very long."""
    return reason if len(reason) <= most else reason[:most].rsplit(" ", 1)[0] + "…"


def _fail_when_empty(result) -> None:
    """A run that produced no samples is an error the console names, with its top failure reasons."""
    s = result.stats
    if "samples" not in s or s["samples"]:
        return
    seeds = s.get("seeds", {})
    top = top_failure_reasons(result.run_dir / "failures.jsonl")
    why = "; ".join(f"{reason} ({n}x)" for reason, n in top) or "no failure was logged" + _left_out(s)
    raise CrabError(
        f"the run produced no samples ({seeds.get('failed', 0)} of {seeds.get('read', 0)} seed records failed, "
        f"{seeds.get('filtered', 0)} filtered); top failure reasons: {why}; "
        f"every failure is in {result.run_dir / 'failures.jsonl'}"
    )


def _left_out(stats: dict, most: int = 3) -> str:
    """The counters that say why records were left out without failing (``crab.no_natural_anchor``,
    ``rules.reader_dropped.trivial``...), the largest first: what to loosen when a run makes nothing."""
    found = [(n, name) for name, n in _counters(stats) if n and _leaves_out(name)]
    top = ", ".join(f"{name} ({n})" for n, name in sorted(found, reverse=True)[:most])
    return f"; left out by {top}" if top else ""


def _counters(node: dict, prefix: str = ""):
    for key, value in node.items():
        if isinstance(value, dict):
            yield from _counters(value, f"{prefix}{key}.")
        elif isinstance(value, int) and not isinstance(value, bool):
            yield f"{prefix}{key}", value


def _leaves_out(name: str) -> bool:
    return any(part.startswith("no_") or "dropped" in part for part in name.split("."))


def _fail_when_llm_failed(result) -> None:
    """A stage whose every LLM call failed made its share of the data from nothing: after the outputs are written
    (what the other stages made is kept), the run exits 1 saying how many calls failed where."""
    by_stage = (result.stats.get("llm") or {}).get("by_stage") or {}
    dead = {stage: n["failed"] for stage, n in by_stage.items() if n.get("failed") and not n.get("calls")}
    if not dead:
        return
    where = ", ".join(f"{stage} ({n} calls)" for stage, n in sorted(dead.items()))
    top = "; ".join(f"{reason} ({n}x)" for reason, n in top_failure_reasons(result.run_dir / "failures.jsonl"))
    raise CrabError(
        f"every LLM call failed in {where}: the outputs hold only what the other stages made; "
        f"top failure reasons: {top or 'none logged'}; fix the endpoint and re-run with --restart "
        "(failed records are not retried by a resume; answers received stay cached)"
    )
