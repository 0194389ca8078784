"""From a recipe to the list of steps: data, contamination check, trainers in order, evaluations, comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crabplug import ConfigError, CrabError, load_config
from crabplug_experiment.contamination import Index, benchmark_prompts, check_files
from crabplug_experiment.recipe import Recipe
from crabplug_experiment.steps import Step

#: Run files that are not training rows.
NOT_TRAINING = {"failures.jsonl"}


def trainer_names(recipe: Recipe) -> list[str]:
    """The train config's trainers in order (each starts from the model the previous one saved)."""
    config, _ = load_config(recipe.train, ())
    names = [spec.plugin for spec in config.train]
    if not names:
        raise ConfigError(f"{recipe.train} has no 'train:' section")
    if len(set(names)) != len(names):
        raise ConfigError(f"{recipe.train}: each trainer may appear once in an experiment (got {', '.join(names)})")
    return names


def contamination_step(root: Path, registry: Any, data: Path | None = None, name: str = "contamination") -> Step:
    """Every training file of the data step against every registered benchmark prompt; contamination stops here."""
    data = data or root / "data"
    report_path = root / f"{name}.json"

    def call() -> dict[str, Any]:
        files = sorted(p for p in data.glob("*.jsonl") if p.name not in NOT_TRAINING)
        if not files:
            raise CrabError(f"the data step wrote no training file in {data}")
        report = check_files(files, Index(benchmark_prompts(registry)))
        report_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        bad = report["contaminated"]
        if bad:
            first = bad[0]
            raise CrabError(
                f"{len(bad)} training rows contain a benchmark prompt (first: {first['file']}:{first['line']} "
                f"~ {first['prompts'][0]}): remove those seeds; details in {report_path}"
            )
        return {"rows_checked": report["rows"], "files": report["files"]}

    return Step(name, call=call, keeps=(f"{name}.json",))


def steps(recipe: Recipe, root: Path, base: str, registry: Any, quick: bool) -> list[Step]:
    """Every step of the experiment, in order."""
    data_dir, models, evals = root / "data", root / "models", root / "eval"
    run = ["run", str(recipe.data), "-o", str(data_dir), "-q", *_sets(recipe.data_set)]
    if quick:
        run += ["--limit", str(recipe.quick.limit)]
    plan = [Step("data", tuple(run), keeps=data_keeps("data")), contamination_step(root, registry)]
    previous = base
    trained: list[tuple[str, str]] = [("base", base)]
    for name in trainer_names(recipe):
        out = str(models / name)
        argv = ["train", str(recipe.train), "-o", str(data_dir), "--only", name]
        argv += _sets([f"train.{name}.base_model={previous}", f"train.{name}.output_dir={out}"])
        if quick:
            argv += _sets(s for s in recipe.quick.train if s.startswith(f"train.{name}."))
        plan.append(Step(f"train-{name}", tuple(argv), keeps=model_keeps(root, out), model=out, reads=previous))
        trained.append((name, out))
        previous = out
    settings = recipe.eval
    limit = recipe.quick.eval_limit if quick else settings.limit
    max_tokens = recipe.quick.eval_max_tokens if quick else settings.max_tokens
    for benchmark in settings.benchmarks:
        for label, model in trained:
            argv = ["eval", "-m", model, "-b", benchmark, "-o", str(evals / benchmark / label), "-q"]
            argv += ["--max-tokens", str(max_tokens), "--batch-size", str(settings.batch_size)]
            if limit:
                argv += ["--limit", str(limit)]
            plan.append(
                Step(f"eval-{benchmark}-{label}", tuple(argv), keeps=(f"eval/{benchmark}/{label}",), reads=model)
            )
    dirs = [str(evals / b / label) for b in settings.benchmarks for label, _ in trained]
    plan.append(Step("compare", ("eval", "--compare", *dirs, "-o", str(root / "compare")), keeps=("compare",)))
    return plan


def data_keeps(name: str) -> tuple[str, ...]:
    """What ``keep`` holds of a data step: its rows, statistics, card text and config (not its stage checkpoints
    or charts)."""
    return tuple(f"{name}/{pattern}" for pattern in ("*.jsonl", "*.json", "*.md", "*.yaml"))


def model_keeps(root: Path, model: str) -> tuple[str, ...]:
    """What ``keep`` holds of a training step: its model's training log and card, never the weights."""
    where = Path(model).relative_to(root)
    return (f"{where}/log_history.json", f"{where}/README.md")


def _sets(values: Any) -> list[str]:
    return [arg for value in values for arg in ("--set", value)]


def arm_trainers(recipe: Recipe, arm: Any) -> list[str]:
    """The trainers an arm runs, in its train config's order; a name the config lacks is one sentence."""
    config, _ = load_config(arm.train, ())
    names = [spec.plugin for spec in config.train]
    wanted = list(arm.only) or names
    missing = [n for n in wanted if n not in names]
    if missing:
        raise ConfigError(f"arm {arm.name!r}: {arm.train} has no trainer {missing[0]!r} (it has {', '.join(names)})")
    if len(set(wanted)) != len(wanted) or len(set(names)) != len(names):
        raise ConfigError(f"arm {arm.name!r}: each trainer may appear once in {arm.train}")
    return [n for n in names if n in wanted]


def labels(recipe: Recipe) -> list[str]:
    """The evaluated models' labels: ``base``, then the arms (or, without arms, each trainer of the chain)."""
    return ["base", *(a.name for a in recipe.arms)] if recipe.arms else ["base", *trainer_names(recipe)]


def arm_steps(recipe: Recipe, root: Path, base: str, registry: Any, quick: bool, heldout: Any = None) -> list[Step]:
    """Every step of an arms recipe: data (shared, and each arm's own), then the base model's measures (every
    benchmark, then the side measure), then each arm's training followed at once by its own measures, and last the
    paired comparisons against the base and against the baseline arm.

    A model is measured as soon as it is trained, so a run stopped halfway already holds whole results for the
    arms before the stop (and ``--jobs`` runs one model's benchmarks side by side)."""
    plan: list[Step] = []
    data_dirs: dict[str, Path] = {}
    for arm_name, config in [("", recipe.data), *((a.name, a.data) for a in recipe.arms if a.data)]:
        suffix = f"-{arm_name}" if arm_name else ""
        data_dir = root / f"data{suffix}"
        run = ["run", str(config), "-o", str(data_dir), "-q", *_sets(recipe.data_set)]
        if quick:
            run += ["--limit", str(recipe.quick.limit)]
        plan.append(Step(f"data{suffix}", tuple(run), keeps=data_keeps(f"data{suffix}")))
        plan.append(contamination_step(root, registry, data_dir, f"contamination{suffix}"))
        data_dirs[arm_name] = data_dir
    settings, evals = recipe.eval, root / "eval"
    limit = recipe.quick.eval_limit if quick else settings.limit
    max_tokens = recipe.quick.eval_max_tokens if quick else settings.max_tokens

    def measures(label: str, model: str) -> list[Step]:
        found = []
        for benchmark in settings.benchmarks:
            argv = ["eval", "-m", model, "-b", benchmark, "-o", str(evals / benchmark / label), "-q"]
            argv += ["--max-tokens", str(max_tokens), "--batch-size", str(settings.batch_size)]
            if limit:
                argv += ["--limit", str(limit)]
            found.append(
                Step(f"eval-{benchmark}-{label}", tuple(argv), keeps=(f"eval/{benchmark}/{label}",), reads=model)
            )
        # the side measure last: the evaluations of models already trained (the base's and a finished arm's) then
        # follow one another and share the cores ``--jobs`` at a time
        return found + ([heldout(label, model)] if heldout is not None else [])

    models = {"base": base}
    plan += measures("base", base)
    for arm in recipe.arms:
        previous = models[arm.start]
        data_dir = data_dirs[arm.name if arm.data else ""]
        for trainer in arm_trainers(recipe, arm):
            out = str(root / "models" / arm.name / trainer)
            argv = ["train", str(arm.train), "-o", str(data_dir), "--only", trainer]
            argv += _sets([f"train.{trainer}.base_model={previous}", f"train.{trainer}.output_dir={out}"])
            argv += _sets(arm.set)
            if quick:
                argv += _sets(s for s in recipe.quick.train if s.startswith(f"train.{trainer}."))
            step = Step(
                f"train-{arm.name}-{trainer}", tuple(argv), keeps=model_keeps(root, out), model=out, reads=previous
            )
            plan.append(step)
            previous = out
        models[arm.name] = previous
        plan += measures(arm.name, previous)
    for benchmark in settings.benchmarks:
        against = ["base"] + ([recipe.baseline] if recipe.baseline else [])
        for first in against:
            order = [first, *(label for label in models if label != first)]
            name = f"compare-{benchmark}" + ("" if first == "base" else f"-vs-{first}")
            out = root / "compare" / name.removeprefix("compare-")
            dirs = [str(evals / benchmark / label) for label in order]
            step = Step(name, ("eval", "--compare", *dirs, "-o", str(out)), keeps=(str(out.relative_to(root)),))
            plan.append(step)
    return plan
