"""``crabplug train CONFIG``: run a config's ``train:`` stages on an existing run directory."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import click

from crabplug import ConfigError, hold_directory


@click.command("train")
@click.argument("config_path", metavar="CONFIG", type=click.Path(path_type=Path))
@click.option("-o", "--run-dir", type=click.Path(path_type=Path), help="Run directory (default: the config's run_dir).")
@click.option(
    "--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a config value, e.g. train.sft.epochs=1."
)
@click.option("--only", metavar="TRAINER", help="Run only this trainer of the config (e.g. dpo).")
@click.pass_context
def train_command(
    ctx: click.Context, config_path: Path, run_dir: Path | None, overrides: tuple[str, ...], only: str | None
) -> None:
    """Train models from a run directory's dataset with the CONFIG's train stages (sft, then dpo...).

    Launch it with `accelerate launch -m crabplug train CONFIG` to use several GPUs (docs/training.md).
    """
    from crabplug import Context, build_stage, load_config, registry_from

    config, _ = load_config(config_path, overrides)
    registry = registry_from(ctx)
    run_dir = run_dir or Path(config.run_dir)
    specs = [s for s in config.train if only is None or s.plugin == only]
    if not config.train:
        raise ConfigError(f"{config_path} has no 'train:' section: add e.g. train: [{{plugin: sft, base_model: ...}}]")
    if not specs:
        names = ", ".join(s.plugin for s in config.train)
        raise ConfigError(f"--only {only}: the config's trainers are {names}")
    if not run_dir.is_dir():
        raise ConfigError(f"no run directory {run_dir}: make the dataset first with crabplug run {config_path}")
    trainers = [build_stage(registry, "trainers", spec) for spec in specs]
    context = Context(run_dir=run_dir, seed=config.seed, registry=registry, config=config)
    for trainer in trainers:  # every input checked before hours of training start
        if hasattr(trainer, "check"):
            trainer.check(context)
    main = os.environ.get("RANK", "0") == "0"  # under accelerate launch, one process reports
    # one writer per run directory; under accelerate launch every rank runs this command, so the main one holds it
    with hold_directory(run_dir, "train") if main else contextlib.nullcontext():
        _train_all(trainers, context, run_dir, main)


def _train_all(trainers: list, context: Any, run_dir: Path, main: bool) -> None:
    for trainer in trainers:
        if main:
            click.echo(f"training: {trainer.name} on {run_dir}", err=True)
        out = trainer.train(context)
        summary = context.stats.get("train", {}).get(trainer.name, {})
        shown = {k: summary[k] for k in ("rows", "pairs", "train_loss", "tokens_per_second", "seconds") if k in summary}
        if main:
            click.echo(f"model saved to {out} " + " ".join(f"{k}={v}" for k, v in shown.items()))
