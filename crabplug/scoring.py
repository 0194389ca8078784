"""Scoring responses against the constraints they carry: one row's verdicts, and the four accuracies of many.

A row holds ``response`` (or chat ``messages``) and ``instruction_id_list`` + ``kwargs`` (the benchmark
format), crabplug's ``constraints: [{type, kwargs, ...}]``, or both. :func:`score_row` gives the strict and
loose verdict of every constraint code can check; :func:`summarize` the prompt- and instruction-level
accuracies. ``crabplug verify`` and the eval plugin score with these.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from crabplug.constraints import check, loose_variants
from crabplug.errors import CrabError, RecordError
from crabplug.jsonl import read_jsonl
from crabplug.plugins import Registry


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
