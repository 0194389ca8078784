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
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import click

from crabplug.constraints import check, loose_variants
from crabplug.errors import CrabError, RecordError
from crabplug.jsonl import read_jsonl
from crabplug.plugins import Registry

CHUNK = 200
# below this, starting workers costs more than it saves; on two cores they never paid: 5.9 MB took 1.7 s with
# two workers against 1.3 s with none, 47 MB 3.6-4.5 s either way (both cores busy with other work)
PARALLEL_BYTES = 20_000_000
MIN_CORES = 3


def _pairs(items: Any, kwargs: Any) -> list[tuple[Any, Any]]:
    if not isinstance(items, list) or not isinstance(kwargs, list) or len(items) != len(kwargs):
        raise RecordError("instruction_id_list and kwargs must be lists of the same length")
    return list(zip(items, kwargs, strict=True))


def instructions(row: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (type id, kwargs) pair a row carries; kwargs with None values (unused arguments) dropped.

    A row may hold ``instruction_id_list`` + ``kwargs`` (the benchmark format), crabplug's ``constraints``, or
    both (sft.jsonl lists its code-checkable constraints in both): each constraint is counted once, the
    ``instruction_id_list`` ones first, then the constraints that are not among them, in order.
    """
    if "instruction_id_list" not in row and not isinstance(row.get("constraints"), list):
        raise RecordError("the line needs instruction_id_list + kwargs or constraints")
    listed: list[tuple[Any, Any]] = []
    if "instruction_id_list" in row:
        ids = row["instruction_id_list"]
        listed = _pairs(ids, row.get("kwargs") or [{}] * (len(ids) if isinstance(ids, list) else 0))
    carried = [
        (c.get("type"), c.get("kwargs") or {}) if isinstance(c, dict) else (None, {})
        for c in (row.get("constraints") if isinstance(row.get("constraints"), list) else [])
    ]
    for type_id, kwargs in [*listed, *carried]:
        if not isinstance(type_id, str) or not isinstance(kwargs, dict):
            raise RecordError("every constraint needs a type id (string) and kwargs (object)")
    pairs = [(t, {k: v for k, v in kw.items() if v is not None}) for t, kw in listed]
    unmatched = list(pairs)
    for type_id, kwargs in carried:
        pair = (type_id, {k: v for k, v in kwargs.items() if v is not None})
        if pair in unmatched:
            unmatched.remove(pair)  # the same constraint written in both forms
        else:
            pairs.append(pair)
    return pairs


def bad_count(ctype: Any, kwargs: dict[str, Any]) -> str | None:
    """Why a count kwarg (one the type gives a range for) is unusable: not a whole number, or below 0; else None.

    The range itself is what a person would ask for, not a limit on what may be checked, so it is not enforced.
    """
    for name in ctype.ranges:
        value = kwargs.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not (isinstance(value, int) or isinstance(value, float) and value.is_integer()):
            return f"{name} must be a whole number, got {value!r}"
        if value < 0:
            return f"{name} must be at least 0, got {value!r}"
    return None


def score_row(registry: Registry, row: dict[str, Any]) -> dict[str, Any]:
    """Verdicts for every constraint of one row: ``follow_instruction_list`` (strict), ``..._loose``, both ``all``s.

    Loose is the core's rule (any of ``loose_variants`` passes strictly); the variants are built once per row.
    Constraints code cannot check (a type without ``check``) are listed in ``not_checked`` with the reason, never
    dropped silently. A type no loaded plugin registers, in either form, is a :class:`RecordError` (the line's
    ``error``): a constraint nobody can judge must never count as followed; so is a count kwarg that is not a
    whole number of at least 0 (``num_words: -5``, ``num_bullets: 3.7`` or ``true``).
    """
    response = row.get("response")
    if response is None and isinstance(row.get("messages"), list) and row["messages"]:
        last = row["messages"][-1]  # a chat row (sft.jsonl): the final assistant turn is the response
        response = last.get("content") if isinstance(last, dict) and last.get("role") == "assistant" else None
    if not isinstance(response, str):
        raise RecordError("the line has no 'response' string")
    pairs = instructions(row)
    listed = len(row["instruction_id_list"]) if "instruction_id_list" in row else 0
    types = registry.constraint_types
    variants = list(dict.fromkeys(loose_variants(response)))  # a repeated variant only repeats a verdict
    checked, strict, loose, not_checked = [], [], [], []
    for i, (type_id, kwargs) in enumerate(pairs):
        ctype = types.get(type_id)
        if ctype is None:  # never counted as followed: no loaded plugin knows what it asks
            raise RecordError(f"unknown constraint type {type_id!r} (install or --plugin the plugin that registers it)")
        if ctype.check is None:
            if i < listed:  # instruction_id_list promises code checks
                raise RecordError(f"constraint type without a code check {type_id!r}")
            not_checked.append({"type": type_id, "reason": "constraint type without a code check"})
            continue
        if bad := bad_count(ctype, kwargs):
            raise RecordError(f"bad kwargs for {type_id}: {bad}")
        try:
            ok = check(ctype, response, kwargs)
            ok_loose = ok or any(check(ctype, v, kwargs) for v in variants[1:])
        except (TypeError, ValueError, KeyError, AttributeError, re.error) as err:  # kwargs a check cannot use
            raise RecordError(f"bad kwargs for {type_id}: {err}") from err
        checked.append(type_id)
        strict.append(bool(ok))
        loose.append(bool(ok_loose))
    out = {k: row[k] for k in ("key", "id") if k in row}
    out["instruction_id_list"] = checked
    out.update(
        follow_instruction_list=strict,
        follow_instruction_list_loose=loose,
        follow_all_instructions=all(strict),
        follow_all_instructions_loose=all(loose),
    )
    if not_checked:
        out["not_checked"] = not_checked
    return out


@attrs.define
class Summary:
    """Running totals of scored rows: prompt- and instruction-level accuracies and a per-type breakdown."""

    rows: int = 0
    errors: int = 0
    prompt_strict: int = 0
    prompt_loose: int = 0
    per_type: dict[str, list[int]] = attrs.field(factory=lambda: collections.defaultdict(lambda: [0, 0, 0]))
    not_checked: collections.Counter = attrs.field(factory=collections.Counter)
    """Constraints code could not check, by reason (no code check, unknown type)."""

    @property
    def checked(self) -> int:
        """Constraints checked by code."""
        return sum(c[0] for c in self.per_type.values())

    @property
    def constraints(self) -> int:
        """Every constraint the scored rows carry."""
        return self.checked + sum(self.not_checked.values())

    def coverage(self) -> str:
        """One sentence: how many constraints were checked, out of how many, and why the rest were not."""
        text = f"checked {self.checked} of {self.constraints} constraints by code"
        if self.not_checked:
            why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.not_checked.items()))
            text += f"; not checked: {why} (their verdicts are the ones recorded when the data was made)"
        return text

    def add(self, out: dict[str, Any]) -> None:
        """Count one output row (rows with an ``error`` count as errors only)."""
        if "error" in out:
            self.errors += 1
            return
        self.rows += 1
        self.prompt_strict += out["follow_all_instructions"]
        self.prompt_loose += out["follow_all_instructions_loose"]
        self.not_checked.update(c["reason"] for c in out.get("not_checked", ()))
        for type_id, s, lo in zip(
            out["instruction_id_list"],
            out["follow_instruction_list"],
            out["follow_instruction_list_loose"],
            strict=True,
        ):
            counts = self.per_type[type_id]
            counts[0] += 1
            counts[1] += s
            counts[2] += lo

    def accuracies(self) -> dict[str, float]:
        """``prompt_level_strict_acc``, ``inst_level_strict_acc`` and their loose twins (0 when empty)."""
        n = sum(c[0] for c in self.per_type.values())
        return {
            "prompt_level_strict_acc": self.prompt_strict / self.rows if self.rows else 0.0,
            "inst_level_strict_acc": sum(c[1] for c in self.per_type.values()) / n if n else 0.0,
            "prompt_level_loose_acc": self.prompt_loose / self.rows if self.rows else 0.0,
            "inst_level_loose_acc": sum(c[2] for c in self.per_type.values()) / n if n else 0.0,
        }


def summarize(rows: Iterable[dict[str, Any]]) -> Summary:
    """A :class:`Summary` of output rows (as ``score_row`` returns them)."""
    summary = Summary()
    for row in rows:
        summary.add(row)
    return summary


def load_instructions(path: Path) -> dict[str, dict[str, Any]]:
    """A prompt table (a benchmark's ``input_data.jsonl``) as prompt -> its ``instruction_id_list`` and ``kwargs``."""
    table = {}
    for where, row in read_jsonl(path, what="instructions", where=True):
        try:
            table[row["prompt"]] = {"instruction_id_list": row["instruction_id_list"], "kwargs": row["kwargs"]}
        except (KeyError, TypeError):
            raise CrabError(f"{where}: not an input row with prompt, instruction_id_list, kwargs") from None
    return table


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
