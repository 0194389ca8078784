"""``crabplug run``: run (or resume, or plan) a config. Results go to stdout, progress to stderr."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from crabplug.cli.common import ShardType, registry_from
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
@click.option("--restart", is_flag=True, help="Delete the run directory's previous results first.")
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
    if restart and run_dir.exists():
        shutil.rmtree(run_dir)
    from crabplug.pipeline.executor import build_executor, parse_options

    executor = build_executor(registry, executor_name, parse_options(executor_opts))
    result = execute(config, data, registry, run_dir=run_dir, quiet=quiet, shard=shard, executor=executor)
    _print_summary(result)
    _fail_when_empty(result)


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
                reasons[f"{row.get('stage', '?')}: {str(row.get('reason', '?'))[:120]}"] += 1
    return reasons.most_common(n)


def _fail_when_empty(result) -> None:
    """A run that produced no samples is an error the console names, with its top failure reasons."""
    s = result.stats
    if "samples" not in s or s["samples"]:
        return
    seeds = s.get("seeds", {})
    top = top_failure_reasons(result.run_dir / "failures.jsonl")
    why = "; ".join(f"{reason} ({n}x)" for reason, n in top) or "no failure was logged"
    raise CrabError(
        f"the run produced no samples ({seeds.get('failed', 0)} of {seeds.get('read', 0)} seed records failed, "
        f"{seeds.get('filtered', 0)} filtered); top failure reasons: {why}; "
        f"every failure is in {result.run_dir / 'failures.jsonl'}"
    )
