"""``crabplug experiment RECIPE``: the whole loop in one resumable command."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from crabplug import ConfigError


@click.command("experiment")
@click.argument("recipe_path", metavar="RECIPE", type=click.Path(path_type=Path))
@click.option("--quick", is_flag=True, help="Tiny slices of every step (minutes), in DIR-quick.")
@click.option(
    "-d", "--dir", "root", type=click.Path(path_type=Path), help="Experiment directory (default: the recipe's)."
)
@click.option("--restart", is_flag=True, help="Delete the experiment directory (and the kept folder) first.")
@click.option(
    "--keep",
    type=click.Path(path_type=Path),
    help="Folder for finished steps' small outputs, to commit (default: the recipe's keep; none with --quick).",
)
@click.option("--plan", "show_plan", is_flag=True, help="Print the steps and stop.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Evaluations run at once, each its own process with its share of the cores (training runs alone).",
)
@click.pass_context
def experiment_command(
    ctx: click.Context,
    recipe_path: Path,
    quick: bool,
    root: Path | None,
    restart: bool,
    keep: Path | None,
    show_plan: bool,
    jobs: int,
) -> None:
    """Data from real seeds, SFT, DPO, GRPO, then every model on the benchmarks and a comparison (docs/results.md).

    A recipe with arms trains each arm and compares every one, paired, with the base and with its baseline arm.

    Each step is a crabplug command run as a subprocess; a finished step is not run again, and an unfinished
    one resumes by itself, so re-running the same command after a stop continues where it stopped. With a kept
    folder (the recipe's ``keep:``, or ``--keep``) each finished step's small outputs are copied there to commit, and
    a fresh checkout resumes from them: a model is trained again only where a step still to run needs it.
    """
    from crabplug import registry_from
    from crabplug_experiment import keep as kept
    from crabplug_experiment import plan, report
    from crabplug_experiment.recipe import load_recipe
    from crabplug_experiment.steps import batches, done, marker, run_group

    recipe = load_recipe(recipe_path)
    root = root or (Path(f"{recipe.dir}-quick") if quick else recipe.dir)
    keep = keep or (None if quick else recipe.keep)
    registry = registry_from(ctx)
    missing = [b for b in recipe.eval.benchmarks if b not in registry.items["benchmarks"]]
    if missing:
        raise ConfigError(f"{recipe_path}: no benchmark {missing[0]!r} is registered (install its plugin)")
    base = registry.pm.hook.resolve_model_path(name=recipe.base_model) or recipe.base_model
    if not Path(base).is_dir():
        raise ConfigError(f"{recipe_path}: base model {recipe.base_model!r} is not a checkpoint directory here")
    base = str(Path(base).resolve())
    if recipe.arms:
        from crabplug_experiment.side import heldout_step

        heldout = heldout_step(recipe, root.resolve(), quick)
        steps = plan.arm_steps(recipe, root.resolve(), base, registry, quick, heldout)
    else:
        steps = plan.steps(recipe, root.resolve(), base, registry, quick)
    if show_plan:
        for step in steps:
            click.echo(f"{step.name}: " + (f"crabplug {' '.join(step.argv)}" if step.argv else "(in process)"))
        return
    for folder in (root, keep) if restart else ():
        if folder is not None and folder.exists():
            shutil.rmtree(folder)
    root.mkdir(parents=True, exist_ok=True)
    plugin_args = [arg for m in (ctx.obj or {}).get("plugin_modules", []) for arg in ("--plugin", m)]
    echo = lambda line: click.echo(line, err=True)  # noqa: E731
    if keep is not None:
        restored = kept.restore(keep, root)
        if restored:
            echo(f"{restored} kept files copied back from {keep}")
    finished = {step.name for step in steps if done(root.resolve(), step) is not None}
    for step in steps if keep is not None else ():
        # steps finished before the recipe named a kept folder, or before a crash between a marker and its copy
        if step.name in finished and not marker(keep, step).is_file():
            kept.save(keep, root.resolve(), step)
    todo = kept.to_run(steps, finished)
    for step in steps:
        if step not in todo:
            echo(f"{step.name}: done before, skipped")
        elif step.name in finished:
            echo(f"{step.name}: done before, but its model is gone and a step still to run reads it: again")
    save = None if keep is None else (lambda step: kept.save(keep, root.resolve(), step))
    for group in batches(todo, jobs):
        run_group(root.resolve(), group, plugin_args, echo, jobs, save)
    if recipe.arms:
        from crabplug_experiment import arms_report

        path = arms_report.write(root.resolve(), recipe, base, quick)
        click.echo(f"results: {path}; comparison charts: {root}/compare/*/compare.png")
        return
    path = report.write(root.resolve(), recipe.eval.benchmarks, plan.labels(recipe), quick)
    click.echo(f"results: {path}; comparison chart: {root}/compare/compare.png")
