"""``crabplug verify``: check responses against every constraint they carry, at scale.

Input lines hold ``response`` (or chat ``messages``) and ``instruction_id_list`` + ``kwargs`` (the benchmark
format), crabplug's ``constraints: [{type, kwargs, ...}]``, or both. Each output line (same order) has the
strict and loose verdicts of every constraint code can check, and lists the others with the reason. Large
inputs are scored by worker processes in chunks, in order, with bounded memory. The format and metric names
are the benchmark convention every instruction-following tool reads; no benchmark is named here.
"""

from __future__ import annotations

import collections
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from crabplug.errors import CrabError, RecordError
from crabplug.plugins import Registry
from crabplug.scoring import Summary, load_instructions, score_row

CHUNK = 200
# below this, starting workers costs more than it saves; on two cores they never paid: 5.9 MB took 1.7 s with
# two workers against 1.3 s with none, 47 MB 3.6-4.5 s either way (both cores busy with other work)
PARALLEL_BYTES = 20_000_000
MIN_CORES = 3


def _score_line(registry: Registry, lineno: int, line: str, prompts: dict | None = None) -> dict[str, Any]:
    try:
        row = json.loads(line)
        if not isinstance(row, dict):
            raise RecordError("the line is not a JSON object")
        if prompts and "instruction_id_list" not in row and "constraints" not in row:
            if row.get("prompt") not in prompts:
                raise RecordError("its prompt is not in the --instructions file")
            row = {**row, **prompts[row["prompt"]]}
        return {"line": lineno, **score_row(registry, row)}
    except json.JSONDecodeError as err:
        return {"line": lineno, "error": f"not JSON: {err.msg} (column {err.colno})"}
    except RecordError as err:
        return {"line": lineno, "error": str(err)}


_worker_registry: Registry | None = None
_worker_prompts: dict | None = None


def _init_worker(modules: list[str], prompts: dict | None) -> None:
    global _worker_registry, _worker_prompts
    _worker_prompts = prompts
    from crabplug.plugins import load

    _worker_registry = load(modules)


def _score_chunk(chunk: list[tuple[int, str]]) -> list[dict[str, Any]]:
    assert _worker_registry is not None
    return [_score_line(_worker_registry, n, line, _worker_prompts) for n, line in chunk]


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            chunk.append((n, line))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def verify_lines(
    lines: Iterable[str], *, modules: list[str], registry: Registry, jobs: int = 1, prompts: dict | None = None
) -> Iterator[dict]:
    """Output rows for input lines, in order; ``jobs > 1`` scores chunks in worker processes.

    ``prompts`` (see :func:`load_instructions`) supplies the instructions of rows that only have a prompt.
    """
    if jobs <= 1:
        for chunk in _chunks(lines):
            yield from (_score_line(registry, n, line, prompts) for n, line in chunk)
        return
    from concurrent.futures import ProcessPoolExecutor

    pending: collections.deque = collections.deque()
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(modules, prompts)) as pool:
        for chunk in _chunks(lines):
            pending.append(pool.submit(_score_chunk, chunk))
            if len(pending) >= 2 * jobs:  # bounded look-ahead: memory stays constant
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _auto_jobs(path: Path | None) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    large = path is not None and path.stat().st_size >= PARALLEL_BYTES
    return cores if large and cores >= MIN_CORES else 1


def print_summary(summary: Summary, file=None) -> None:
    """The four accuracies, the coverage and a per-type table, with rich."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=file or sys.stdout)
    acc = summary.accuracies()
    table = Table(title=f"{summary.rows} rows, {summary.errors} errors")
    table.add_column("constraint type")
    for col in ("n", "strict", "loose"):
        table.add_column(col, justify="right")
    for type_id, (n, s, lo) in sorted(summary.per_type.items()):
        table.add_row(type_id, str(n), f"{s / n:.3f}", f"{lo / n:.3f}")
    for name, value in acc.items():
        console.print(f"{name}: {value:.4f}")
    console.print(summary.coverage(), soft_wrap=True)
    console.print(table)


@click.command("verify")
@click.argument("input_path", metavar="IN", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="JSONL file for the verdicts ('-': stdout).",
)
@click.option("--summary", is_flag=True, help="Print the four accuracies and a per-type table.")
@click.option(
    "--instructions",
    "instructions_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A benchmark's input_data.jsonl: instructions for lines with only prompt + response (response files).",
)
@click.option(
    "-j", "--jobs", type=int, default=0,
    help="Worker processes (0: every core for inputs over 20 MB on 3+ cores, else 1).",
)
@click.pass_context
def verify_command(
    ctx: click.Context, input_path: Path, output_path: Path, summary: bool, instructions_path: Path | None, jobs: int
) -> None:
    """Check the responses in IN against their constraints, writing one verdict line per input line to OUT.

    A line that is not JSON, lacks fields or names an unknown type gets an "error" field in OUT and a
    message on stderr; the others go on. The exit status is 1 when any line failed, else 0.
    """
    from crabplug.plugins import load

    modules = list((ctx.obj or {}).get("plugin_modules", []))
    registry = load(modules)
    dash_in, dash_out = str(input_path) == "-", str(output_path) == "-"
    if not dash_in and not input_path.exists():
        raise CrabError(f"input file {input_path} does not exist")
    jobs = jobs or _auto_jobs(None if dash_in else input_path)
    prompts = load_instructions(instructions_path) if instructions_path else None
    totals = Summary()
    source = sys.stdin if dash_in else input_path.open(encoding="utf-8")
    sink = sys.stdout if dash_out else output_path.open("w", encoding="utf-8")
    try:
        for out in verify_lines(source, modules=modules, registry=registry, jobs=jobs, prompts=prompts):
            sink.write(json.dumps(out, ensure_ascii=False) + "\n")
            totals.add(out)
            if "error" in out:
                click.echo(f"{input_path}:{out['line']}: {out['error']}", err=True)
    except UnicodeDecodeError:
        raise CrabError(f"{input_path} is not UTF-8 text: re-encode it as UTF-8") from None
    finally:
        if not dash_in:
            source.close()
        if not dash_out:
            sink.close()
    if summary:
        print_summary(totals, file=sys.stderr if dash_out else None)
    click.echo(f"{totals.rows} rows: {totals.coverage()}", err=True)
    if totals.errors:
        raise SystemExit(1)
