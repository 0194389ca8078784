"""``crabplug merge``: join the run directories of ``--shard i/n`` runs into one, outputs and card rebuilt."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from crabplug.cli.export import reported_files
from crabplug.cli.outdir import check_out, written_whole
from crabplug.errors import CrabError
from crabplug.pipeline.checkpoint import AtomicJsonl
from crabplug.pipeline.rebuild import read_samples, rebuild_outputs
from crabplug.pipeline.stats import merge as merge_counts
from crabplug.records import Sample


def _check_shards(runs: list[Path]) -> None:
    for run in runs:
        if not (run / "stats.json").is_file() or not (run / "config.yaml").is_file():
            raise CrabError(f"{str(run)!r} is not a finished crabplug run directory (no stats.json): finish it first")
    first = (runs[0] / "config.yaml").read_text(encoding="utf-8")
    for run in runs[1:]:
        if (run / "config.yaml").read_text(encoding="utf-8") != first:
            raise CrabError(f"{str(run)!r} was made with another config than {str(runs[0])!r}: merge shards of one run")


def _unique_samples(runs: list[Path]) -> Iterator[Sample]:
    seen: set[str] = set()  # sample ids only: a few bytes each, the samples themselves stream
    for run in runs:
        if (run / "samples.jsonl").is_file():
            for sample in read_samples(run / "samples.jsonl"):
                if sample.id not in seen:
                    seen.add(sample.id)
                    yield sample


def merge_runs(runs: list[Path], out: Path, *, registry: Any = None, force: bool = False) -> dict[str, int]:
    """Merge shard run directories into ``out``: samples (each id once), failures, counts, then every output.

    The outputs of the shards' config (sft.jsonl, sft-mix.jsonl, the dataset card and its plots, ...) are rebuilt
    from the merged samples, so the card counts the whole run; returns rows per written JSONL file.
    """
    if registry is None:
        from crabplug.plugins import load

        registry = load([])
    check_out(out, runs, force)
    _check_shards(runs)
    with written_whole(out, runs, force=force, command="merge") as new:
        return _merge_into(runs, new, registry)


def _merge_into(runs: list[Path], out: Path, registry: Any) -> dict[str, int]:
    for name in ("config.yaml", "plugins.json"):
        if (runs[0] / name).is_file():
            shutil.copyfile(runs[0] / name, out / name)
    failures = AtomicJsonl(out / "failures.jsonl")
    for run in runs:
        if (run / "failures.jsonl").is_file():
            with (run / "failures.jsonl").open(encoding="utf-8") as f:
                for line in f:
                    failures.write(json.loads(line))
    failures.close()
    stats: dict = {}
    for run in runs:
        shard = json.loads((run / "stats.json").read_text(encoding="utf-8"))
        stats = merge_counts(stats, {k: v for k, v in shard.items() if k not in ("outputs", "run")})
    first = json.loads((runs[0] / "stats.json").read_text(encoding="utf-8"))
    stats["run"] = {**(first.get("run") or {}), "shard": None}
    stats["merged_from"] = [str(r) for r in runs]
    rebuild_outputs(out, registry, _unique_samples(runs), stats)
    missing = sorted(set(reported_files(runs[0])) - set(reported_files(out)))
    if missing:  # an output that writes a file only in some shards: say so rather than publish less
        raise CrabError(f"the merged run lacks {', '.join(missing)}, which {str(runs[0])!r} has")
    counts: dict[str, int] = {}
    for name in reported_files(out) + ["failures.jsonl"]:
        if name.endswith(".jsonl"):
            with (out / name).open(encoding="utf-8") as f:
                counts[name.removesuffix(".jsonl")] = sum(1 for line in f if line.strip())
    return counts


@click.command("merge")
@click.argument("runs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path), help="The merged run directory.")
@click.option("--force", is_flag=True, help="Replace OUT if it already exists (once the new copy is complete).")
@click.pass_context
def merge_command(ctx: click.Context, runs: tuple[Path, ...], out: Path, force: bool) -> None:
    """Join the run directories of sharded runs (``--shard i/n``) into OUT, rebuilding every output and the card."""
    from crabplug.cli.common import registry_from

    for name, n in merge_runs(list(runs), out, registry=registry_from(ctx), force=force).items():
        click.echo(f"{name}.jsonl: {n} rows")
    click.echo(f"merged into {out}")
