"""``crabplug export RUN``: every file a run's outputs wrote, as a Hugging Face dataset, Parquet, or on the Hub.

What a run produced is what its outputs *reported* in ``stats.json`` (each output's ``close()`` names its
``file``, ``plots`` or ``files``; the dataset card reports ``README.md`` and ``card/*.png``, the sft output
``sft.jsonl`` and ``sft-mix.jsonl``), plus the core's ``samples.jsonl``. An export carries all of them: JSONL
files become splits (hf) or Parquet files, the others (the card and its plots) are copied as they are.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import click

from crabplug.cli.outdir import check_out, written_whole
from crabplug.errors import CrabError

#: keys under which an output's ``close()`` names the files it wrote (relative to the run directory)
FILE_KEYS = ("file", "files", "plots")


def _named_files(value: Any) -> list[str]:
    """File names under ``FILE_KEYS`` at any depth of one output's stats (``{"mix": {"file": ...}}``)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FILE_KEYS:
                found.extend([item] if isinstance(item, str) else [x for x in item or () if isinstance(x, str)])
            else:
                found.extend(_named_files(item))
    return found


def reported_files(run_dir: Path) -> list[str]:
    """Every file the run's outputs reported, plus ``samples.jsonl``, as paths relative to ``run_dir``.

    A reported file that is missing is an error: the run directory was changed after the run.
    """
    stats_path = run_dir / "stats.json"
    if not stats_path.is_file():
        raise CrabError(
            f"{str(run_dir)!r} is not a finished crabplug run directory (no stats.json): run crabplug run first"
        )
    outputs = json.loads(stats_path.read_text(encoding="utf-8")).get("outputs") or {}
    names = ["samples.jsonl"] if (run_dir / "samples.jsonl").is_file() else []
    for stats in outputs.values():
        names.extend(n for n in _named_files(stats) if n not in names)
    for name in names:
        path = run_dir / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise CrabError(f"an output of {str(run_dir)!r} reported {name!r}, which is outside the run directory")
        if not path.is_file():
            raise CrabError(
                f"{str(run_dir)!r} lacks {name}, which its outputs reported: re-run crabplug run to rebuild it"
            )
    return names


def split_name(file_name: str) -> str:
    """A dataset split name for a JSONL file (``sft-mix.jsonl`` -> ``sft_mix``: splits are word characters)."""
    return re.sub(r"\W", "_", Path(file_name).name.removesuffix(".jsonl"))


def _copy(run_dir: Path, name: str, out: Path) -> None:
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(run_dir / name, out / name)


def export(run_dir: Path, out: Path, fmt: str, *, force: bool = False) -> dict[str, int | str]:
    """Write every reported file to ``out``; returns rows per JSONL split and "copied" for the other files.

    ``hf``: the JSONL files as a DatasetDict saved to disk, the card and plots beside it. ``parquet``: one Parquet
    file per JSONL file, the card's ``configs`` pointing at them, and the plots.
    """
    from datasets import Dataset

    names = reported_files(run_dir)
    jsonl = [n for n in names if n.endswith(".jsonl") and (run_dir / n).stat().st_size]
    others = [n for n in names if not n.endswith(".jsonl")]
    check_out(out, [run_dir], force)  # before the splits are read: a refusal costs nothing
    with written_whole(out, [run_dir], force=force, command="export") as new:
        # datasets converts each JSONL file to Arrow in a cache: one inside the new copy, deleted before the
        # rename, instead of a copy of the data left in ~/.cache/huggingface/datasets
        cache = new / ".arrow-cache"
        splits = {split_name(n): Dataset.from_json(str(run_dir / n), cache_dir=str(cache)) for n in jsonl}
        _write(run_dir, new, fmt, jsonl, others, splits)
        rows = {name: len(ds) for name, ds in splits.items()}
        del splits  # the saved copy stands alone; the cache's memory maps go before the cache does
        shutil.rmtree(cache, ignore_errors=True)
    return {**rows, **{name: "copied" for name in others}}


def _write(run_dir: Path, out: Path, fmt: str, jsonl: list[str], others: list[str], splits: dict[str, Any]) -> None:
    from datasets import DatasetDict

    if fmt == "hf":
        if splits:
            DatasetDict(splits).save_to_disk(str(out))
    else:
        for name, ds in zip(jsonl, splits.values(), strict=True):
            ds.to_parquet(str(out / Path(name).with_suffix(".parquet")))
    for name in others:
        _copy(run_dir, name, out)
        if name == "README.md":  # the card's configs name the data files: point them at the exported ones
            text = (out / name).read_text(encoding="utf-8")
            for data in jsonl:
                now = Path(data).with_suffix(".parquet") if fmt == "parquet" else f"{split_name(data)}/data-*.arrow"
                text = text.replace(f"path: {data}\n", f"path: {now}\n")
            (out / name).write_text(text, encoding="utf-8")


def stage_for_hub(run_dir: Path, folder: Path) -> list[str]:
    """Copy what a push uploads into ``folder``: every reported file as the run wrote it, paths kept.

    The card's YAML header names the JSONL files (``configs``), so the Hub's viewer and ``load_dataset(repo)``
    read the splits from these very files; the plots sit where the card's images point.
    """
    names = reported_files(run_dir)
    for name in names:
        _copy(run_dir, name, folder)
    return names


def push(run_dir: Path, repo: str, *, api: Any = None) -> list[str]:
    """Upload every reported file of ``run_dir`` (card, plots, data) to the Hub dataset ``repo`` in one commit."""
    import tempfile

    token = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if not token:
        raise CrabError("pushing needs a Hugging Face token: set HF_TOKEN (a write token) and try again")
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi(token=token)
    with tempfile.TemporaryDirectory(prefix="crabplug-push-") as tmp:
        names = stage_for_hub(run_dir, Path(tmp))
        try:
            api.create_repo(repo, repo_type="dataset", exist_ok=True)
            api.upload_folder(folder_path=tmp, repo_id=repo, repo_type="dataset",
                              commit_message=f"crabplug export of {run_dir.name}")
        except Exception as err:  # the hub's own errors carry the URL, never the token
            raise CrabError(f"could not push to {repo!r}: {type(err).__name__}: {str(err).splitlines()[0]}") from None
    return names


@click.command("export")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["hf", "parquet"]), default="hf", show_default=True)
@click.option(
    "--push-to-hub",
    "repo",
    metavar="REPO",
    help="Also push every file of the run (card and plots included) to this Hub dataset repo.",
)
@click.option("--force", is_flag=True, help="Replace OUT if it already exists (once the new copy is complete).")
def export_command(run_dir: Path, out: Path, fmt: str, repo: str | None, force: bool) -> None:
    """Export every file RUN's outputs wrote (data, dataset card, plots) to OUT as a Hugging Face dataset or Parquet."""
    if repo and not (os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")):
        raise CrabError("pushing needs a Hugging Face token: set HF_TOKEN (a write token) and try again")
    for name, n in export(run_dir, out, fmt, force=force).items():
        click.echo(f"{name}: {n} rows" if isinstance(n, int) else f"{name}: {n}")
    click.echo(f"written to {out}")
    if repo:
        names = push(run_dir, repo)
        click.echo(f"pushed {len(names)} files to {repo}: {', '.join(names)}")
