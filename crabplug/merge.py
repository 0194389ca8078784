"""``crabplug merge``: join the run directories of ``--shard i/n`` runs into one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crabplug.checkpoint import AtomicJsonl
from crabplug.errors import CrabError
from crabplug.export import FILES
from crabplug.stats import merge as merge_counts


def merge_runs(runs: list[Path], out: Path) -> dict[str, int]:
    """Concatenate each dataset file in the given order (rows with an id already seen are dropped)."""
    for run in runs:
        if not (run / "stats.json").is_file():
            raise CrabError(f"{str(run)!r} is not a finished crabplug run directory (no stats.json)")
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name in (*FILES, "failures"):
        sources = [run / f"{name}.jsonl" for run in runs if (run / f"{name}.jsonl").is_file()]
        if not sources:
            continue
        target, seen = AtomicJsonl(out / f"{name}.jsonl"), set()
        for path in sources:
            with path.open(encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    key = row.get("id")
                    if key is not None and name != "failures":
                        if key in seen:
                            continue
                        seen.add(key)
                    target.write(row)
        target.close()
        counts[name] = target.count
    stats: dict = {}
    for run in runs:
        stats = merge_counts(stats, json.loads((run / "stats.json").read_text(encoding="utf-8")))
    (out / "stats.json").write_text(json.dumps({**stats, "merged_from": [str(r) for r in runs]}, indent=2) + "\n")
    return counts


@click.command("merge")
@click.argument("runs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path), help="The merged run directory.")
def merge_command(runs: tuple[Path, ...], out: Path) -> None:
    """Join the run directories of sharded runs (``--shard i/n``) into OUT."""
    for name, n in merge_runs(list(runs), out).items():
        click.echo(f"{name}.jsonl: {n} rows")
