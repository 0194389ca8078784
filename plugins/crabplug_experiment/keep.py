"""A recipe's ``keep:`` folder: finished steps' small outputs, committed, so a fresh checkout resumes the experiment.

An experiment directory holds models of hundreds of megabytes and lives outside version control; a long experiment
that spans sittings on machines that start from a fresh clone would lose it all. With ``keep: results/NAME`` in the
recipe, every finished step copies its marker, its log and the outputs it names (data rows, evaluation answers and
verdicts, held-out losses, comparisons; never a model) into that folder, at the same relative paths. A later run
first copies back whatever the experiment directory lacks, so each kept step counts as done; a training step is run
again only where a step not yet done needs its model.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from crabplug import CrabError
from crabplug_experiment.steps import Step, log_path, marker

#: A kept file larger than this is a mistake (a model, a cache): it is refused rather than committed.
MAX_BYTES = 20 * 1024 * 1024


def kept_paths(root: Path, step: Step) -> list[Path]:
    """The files of a finished step that ``keep`` holds: its marker, its log, and every file its ``keeps`` patterns
    match (a folder with everything under it), less hidden files (a directory's ``.lock``) and half-written ones."""
    paths = [marker(root, step), log_path(root, step)]
    for pattern in step.keeps:
        for found in sorted(root.glob(pattern)):
            paths += sorted(p for p in found.rglob("*") if p.is_file()) if found.is_dir() else [found]
    return [p for p in paths if p.is_file() and not p.name.endswith(".tmp") and not p.name.startswith(".")]


def save(keep: Path, root: Path, step: Step) -> int:
    """Copy a finished step's kept files from the experiment directory into ``keep``; returns how many."""
    count = 0
    for path in kept_paths(root, step):
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CrabError(f"{path} is {size / 1e6:.0f} MB, too large to keep: drop it from the step's keeps")
        target = keep / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
        count += 1
    return count


def restore(keep: Path, root: Path) -> int:
    """Copy every kept file the experiment directory lacks back into it; returns how many (a file already there,
    perhaps newer, is left alone)."""
    if not keep.is_dir():
        return 0
    count = 0
    for path in sorted(p for p in keep.rglob("*") if p.is_file() and not p.name.endswith(".part")):
        target = root / path.relative_to(keep)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
    return count


def to_run(steps: list[Step], finished: Iterable[str]) -> list[Step]:
    """The steps to run: every unfinished one in order, and every finished training step whose model is gone (a fresh
    checkout keeps no model) while a step still to run reads it, placed just before the first step that reads it (so
    a sitting spends no time on a model it will not use yet)."""
    finished = set(finished)
    todo = [step for step in steps if step.name not in finished]
    for step in reversed(steps):  # later models first: an earlier one then goes before the training that reads it
        if step.name not in finished or not step.model or has_model(step.model):
            continue
        readers = [n for n, later in enumerate(todo) if later.reads == step.model]
        if readers:
            todo.insert(readers[0], step)
    return todo


def has_model(path: str) -> bool:
    """Whether a saved model is there (kept training logs alone do not make one)."""
    return (Path(path) / "config.json").is_file()
