"""``crabplug export RUN``: a run directory's dataset files as a Hugging Face dataset or Parquet files."""

from __future__ import annotations

import os
from pathlib import Path

import click

from crabplug.errors import CrabError

#: the dataset files an export picks up, when present, each becoming one split (hf) or file (parquet)
FILES = ("sft", "backtranslation", "general", "dpo", "samples")


def present(run_dir: Path) -> dict[str, Path]:
    """The run directory's non-empty dataset files by split name."""
    found = {n: run_dir / f"{n}.jsonl" for n in FILES if (run_dir / f"{n}.jsonl").is_file()}
    found = {n: p for n, p in found.items() if p.stat().st_size}
    if not found:
        raise CrabError(f"{str(run_dir)!r} has none of {', '.join(f + '.jsonl' for f in FILES)}: run crabplug run first")
    return found


def export(run_dir: Path, out: Path, fmt: str) -> dict[str, int]:
    """Write the files as ``fmt`` (``hf``: a DatasetDict saved to disk; ``parquet``: one file per split)."""
    from datasets import Dataset, DatasetDict

    splits = {name: Dataset.from_json(str(path)) for name, path in present(run_dir).items()}
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "hf":
        DatasetDict(splits).save_to_disk(str(out))
    else:
        for name, ds in splits.items():
            ds.to_parquet(str(out / f"{name}.parquet"))
    return {name: len(ds) for name, ds in splits.items()}


def push(out: Path, repo: str) -> None:
    """Push an exported dataset to the Hugging Face Hub, one config per split (needs network and HF_TOKEN)."""
    from datasets import load_from_disk

    if not (os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")):
        raise CrabError("pushing needs a Hugging Face token: set HF_TOKEN (a write token) and try again")
    try:
        for name, ds in load_from_disk(str(out)).items():
            ds.push_to_hub(repo, config_name=name, split="train")
    except Exception as err:  # the hub's own errors carry the URL, never the token
        raise CrabError(f"could not push to {repo!r}: {type(err).__name__}: {str(err).splitlines()[0]}") from None


@click.command("export")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["hf", "parquet"]), default="hf", show_default=True)
@click.option("--push-to-hub", "repo", metavar="REPO", help="Also push to this Hub dataset repo (hf format).")
def export_command(run_dir: Path, out: Path, fmt: str, repo: str | None) -> None:
    """Export RUN's dataset files to OUT as a Hugging Face dataset on disk or Parquet files."""
    counts = export(run_dir, out, fmt)
    for name, n in counts.items():
        click.echo(f"{name}: {n} rows")
    if repo:
        if fmt != "hf":
            raise CrabError("--push-to-hub needs --format hf")
        push(out, repo)
        click.echo(f"pushed to {repo}")
    click.echo(f"written to {out}")
