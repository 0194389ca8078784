"""The experiment's steps, each a real ``crabplug`` subprocess, and the markers that make the loop resumable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from crabplug import ConfigError, CrabError


@attrs.frozen
class Step:
    """One step: a command line (run as ``python -m crabplug ...``) or an in-process function."""

    name: str
    """Unique name; the marker is ``steps/NAME.json`` and the log ``logs/NAME.log``."""
    argv: tuple[str, ...] = ()
    """Arguments after ``crabplug``."""
    call: Callable[[], dict[str, Any]] | None = attrs.field(default=None, eq=False)
    """In-process work instead of a subprocess; returns what the marker records."""
    keeps: tuple[str, ...] = ()
    """Its outputs worth keeping: glob patterns relative to the experiment directory (a folder matched keeps all
    under it; never a model)."""
    model: str = ""
    """The model directory a training step writes ("" for any other step)."""
    reads: str = ""
    """The model directory the step reads ("" where it reads none)."""


def marker(root: Path, step: Step) -> Path:
    """Where a finished step records its command, wall time and result."""
    return root / "steps" / f"{step.name}.json"


def log_path(root: Path, step: Step) -> Path:
    """Where a subprocess step's output goes."""
    return root / "logs" / f"{step.name}.log"


def done(root: Path, step: Step) -> dict[str, Any] | None:
    """The marker of a step finished with the same command, None if it has not finished.

    A step finished with another command (the recipe changed under a finished step) is refused: its output
    would not be what the recipe now says. Paths inside the experiment directory and the current directory are
    compared relative to them, so a marker kept from another checkout (``keep``) still matches.
    """
    path = marker(root, step)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    where = (data.get("root") or str(root), data.get("cwd") or os.getcwd())
    if _relative(data.get("argv"), *where) != _relative(list(step.argv), str(root), os.getcwd()):
        raise ConfigError(
            f"step {step.name!r} in {root} finished with other settings: use another --dir, or --restart to redo it all"
        )
    return data


def run_step(
    root: Path, step: Step, plugin_args: list[str], echo: Callable[[str], None], threads: int | None = None
) -> dict[str, Any]:
    """Run one step (a subprocess with its output in logs/, ``threads`` torch threads if given), then write its
    marker atomically."""
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if step.call is not None:
        result = step.call()
    else:
        log = log_path(root, step)
        log.parent.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "crabplug", *plugin_args, *step.argv]
        with log.open("ab") as out:
            out.write(f"\n$ crabplug {' '.join(step.argv)}\n".encode())
            out.flush()
            env = os.environ.copy()
            if threads is not None:
                env["OMP_NUM_THREADS"] = str(threads)
            code = subprocess.call(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        if code != 0:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            last = tail[0] if tail else ""
            raise CrabError(f"step {step.name!r} failed (exit {code}): {last} — full log in {log}; re-run to resume")
    seconds = round(time.perf_counter() - started, 1)
    data = {"argv": list(step.argv), "root": str(root), "cwd": os.getcwd(), "seconds": seconds, **result}
    path = marker(root, step)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    echo(f"{step.name}: done in {seconds:.0f} s")
    return data


def _relative(argv: Any, root: str, cwd: str) -> list[str]:
    """``argv`` with the experiment directory written ``{dir}`` and the current directory ``{cwd}``."""
    return [str(a).replace(root, "{dir}").replace(cwd, "{cwd}") for a in argv or ()]


def batches(steps: list[Step], jobs: int) -> list[list[Step]]:
    """The steps in order, with each run of consecutive evaluations in one group that :func:`run_group` works
    through ``jobs`` at a time (a slot that frees takes the next one, so one long benchmark never leaves a core idle).

    An evaluation reads a finished model and writes only its own directory, so two of them never touch the same
    file; every other step (data, training, comparison) runs alone, in order, as before.
    """
    out: list[list[Step]] = []
    for step in steps:
        last = out[-1] if out else []
        if jobs > 1 and _evaluation(step) and last and all(_evaluation(s) for s in last):
            last.append(step)
        else:
            out.append([step])
    return out


def _evaluation(step: Step) -> bool:
    return step.argv[:1] == ("eval",) and "--compare" not in step.argv


def run_group(
    root: Path,
    group: list[Step],
    plugin_args: list[str],
    echo: Callable[[str], None],
    jobs: int | None = None,
    after: Callable[[Step], None] | None = None,
) -> None:
    """Run one step, or a run of evaluations ``jobs`` at a time (threads waiting on their subprocesses, each with its
    share of the cores); the first failure is raised once all of them have stopped, so no marker is half written.
    ``after`` is called with each step that finished (``keep``'s copy)."""
    after = after or (lambda step: None)
    if len(group) == 1:
        step = group[0]
        echo(f"{step.name}: running" + (f" (log: {log_path(root, step)})" if step.argv else ""))
        run_step(root, step, plugin_args, echo)
        after(step)
        return
    from concurrent.futures import ThreadPoolExecutor

    slots = max(1, min(jobs or len(group), len(group)))
    threads = max(1, (os.cpu_count() or 1) // slots)

    def start(step: Step) -> dict[str, Any]:
        echo(f"{step.name}: running (log: {log_path(root, step)})")
        data = run_step(root, step, plugin_args, echo, threads)
        after(step)
        return data

    with ThreadPoolExecutor(max_workers=slots) as pool:
        futures = [pool.submit(start, step) for step in group]
    errors = [f.exception() for f in futures if f.exception() is not None]
    if errors:
        raise errors[0]
