"""Counts for the dataset card, computed from the checkpoint (so they survive resume) plus LLM usage."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import attrs

from crabplug.jsonl import write_atomic
from crabplug.pipeline.rows import Row
from crabplug.records import RULE_ORIGIN
from crabplug.stages import Context

USAGE_FILE = "usage.json"
_VERDICT = {True: "verified", False: "rejected", None: "unverified"}


@attrs.define
class Tally:
    """Seeds read/kept/filtered/failed, sources, and constraints by type, origin and verdict, one row at a time."""

    status: Counter[str] = attrs.field(factory=Counter)
    filtered: Counter[str] = attrs.field(factory=Counter)
    sources: Counter[str] = attrs.field(factory=Counter)
    failures: Counter[str] = attrs.field(factory=Counter)
    types: Counter[str] = attrs.field(factory=Counter)
    verified: Counter[str] = attrs.field(factory=Counter)
    per_origin: dict[str, Counter[str]] = attrs.field(factory=dict)

    unreadable: int = 0
    """Failed rows whose every failure is the seed source's (a line it could not read, a record over the size)."""

    def add(self, row: Row) -> None:
        """Count one checkpoint row."""
        self.status[row.status] += 1
        if row.status == "failed" and row.failures and all(f.stage == "seeds" for f in row.failures):
            self.unreadable += 1
        for f in row.failures:
            self.failures[f"{f.stage}: {f.reason[:80]}"] += 1
        if row.status == "filtered":
            self.filtered[row.reason] += 1
        if row.status != "ok" or row.record is None:
            return
        self.sources[row.record.example.source] += 1
        for c in row.record.constraints:
            # rules are one group; an LLM's constraints are grouped as proposed by a model, whichever it was
            origin = "rule" if c.origin == RULE_ORIGIN else "llm"
            verdict = _VERDICT[c.verified]
            self.verified[verdict] += 1
            self.per_origin.setdefault(origin, Counter())[verdict] += 1
            if c.verified:
                self.types[c.type] += 1

    def result(self) -> dict[str, Any]:
        """The counts as they go into stats.json."""
        return {
            "seeds": {"read": sum(self.status.values()), **dict(self.status)},
            "unreadable_seeds": self.unreadable,
            "filtered": dict(self.filtered),
            "sources": dict(self.sources),
            "failures_by_reason": dict(self.failures.most_common(50)),
            "candidates": dict(self.verified),
            "candidates_by_origin": {k: dict(v) for k, v in self.per_origin.items()},
            "verified_types": dict(sorted(self.types.items())),
        }


def _usage_now(ctx: Context) -> dict[str, Any]:
    """This run's LLM usage; empty when no call was made (so a code-only run's files say nothing about LLMs)."""
    if ctx.usage is None:
        return {}
    snapshot = ctx.usage.snapshot()
    return snapshot if any(snapshot.get("total", {}).values()) else {}


def save_usage(ctx: Context) -> None:
    """Persist LLM usage so far (earlier runs' usage plus this one's), for resumed runs' totals."""
    data = {"previous": ctx.usage_before, "this_run": _usage_now(ctx)}
    write_atomic(ctx.run_dir / USAGE_FILE, json.dumps(data, indent=2, sort_keys=True))


def previous_usage(run_dir: Any) -> dict[str, Any]:
    """LLM usage saved by earlier runs of this run directory, folded into one snapshot."""
    path = run_dir / USAGE_FILE
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return merge(data.get("previous", {}), data.get("this_run", {}))


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Add two usage snapshots (numbers add; nested mappings merge)."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict):
            out[k] = merge(out.get(k, {}), v)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out[k] = out.get(k, 0) + v
        else:
            out[k] = v
    return out


def add_usage(ctx: Context) -> None:
    """Put the run directory's total LLM usage (all runs) into ``ctx.stats['llm']``."""
    save_usage(ctx)
    ctx.stats["llm"] = merge(ctx.usage_before, _usage_now(ctx))
