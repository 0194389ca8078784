"""Counts for the dataset card, computed from the checkpoint (so they survive resume) plus LLM usage."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from crabplug.checkpoint import Checkpoint, write_atomic
from crabplug.stages import Context

USAGE_FILE = "usage.json"


def from_checkpoint(last: Checkpoint) -> dict[str, Any]:
    """Seeds read/kept/filtered/failed, sources, and constraints by type, origin and verdict."""
    status: Counter[str] = Counter()
    filtered: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    types: Counter[str] = Counter()
    verified: Counter[str] = Counter()
    per_origin: dict[str, Counter[str]] = {}
    for row in last.read():
        status[row["status"]] += 1
        for f in row.get("failures", []):
            failures[f"{f['stage']}: {f['reason'][:80]}"] += 1
        if row["status"] == "filtered":
            filtered[row["reason"]] += 1
        if row["status"] != "ok":
            continue
        rec = row["record"]
        sources[rec["example"]["source"]] += 1
        for c in rec.get("constraints", []):
            origin = "rule" if c["origin"] == "rule" else "llm"
            verdict = {True: "verified", False: "rejected", None: "unverified"}[c["verified"]]
            verified[verdict] += 1
            per_origin.setdefault(origin, Counter())[verdict] += 1
            if c["verified"]:
                types[c["type"]] += 1
    return {
        "seeds": {"read": sum(status.values()), **dict(status)},
        "filtered": dict(filtered),
        "sources": dict(sources),
        "failures_by_reason": dict(failures.most_common(50)),
        "candidates": dict(verified),
        "candidates_by_origin": {k: dict(v) for k, v in per_origin.items()},
        "verified_types": dict(sorted(types.items())),
    }


def _usage_now(ctx: Context) -> dict[str, Any]:
    usage = getattr(ctx, "usage", None)
    return usage.snapshot() if usage is not None else {}


def save_usage(ctx: Context) -> None:
    """Persist LLM usage so far (earlier runs' usage plus this one's), for resumed runs' totals."""
    data = {"previous": ctx.stats.get("_usage_previous", {}), "this_run": _usage_now(ctx)}
    write_atomic(ctx.run_dir / USAGE_FILE, json.dumps(data, indent=2, sort_keys=True))


def load_previous_usage(ctx: Context) -> None:
    """Fold usage saved by earlier runs of this run directory into ``previous``."""
    path = ctx.run_dir / USAGE_FILE
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    ctx.stats["_usage_previous"] = merge(data.get("previous", {}), data.get("this_run", {}))


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
    ctx.stats["llm"] = merge(ctx.stats.get("_usage_previous", {}), _usage_now(ctx))
