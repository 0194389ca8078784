"""``crabplug run --dry-run``: what a run will cost before it spends anything, offline.

Every back-translator and verifier that calls an LLM declares, per record, the calls it would make: its
``forecast(example, ctx, pending)`` method returns a :class:`StageForecast` with a :class:`CallEstimate` per
call (the very messages it would send, the answer's token budget and its typical length) and, for a
back-translator, the texts of the candidates only an LLM can verify (``pending``), which the verifiers' forecasts
turn into judge calls. The core reads a sample of seeds, asks every stage for its forecast on each, counts the
prompt tokens with litellm's tokenizer, prices them with litellm's local price map and scales to the records
the run will process. Nothing is sent to a model, and no dataset is downloaded: a seed source that cannot be
read offline is reported, and the forecast falls back to records sized from the config.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import attrs

from crabplug.records import Example
from crabplug.stages import CallEstimate, Context, Forecasting

#: seed records read for the token estimate, and the most records counted before the count is "at least"
SAMPLE = 50
COUNT_CAP = 200_000
COUNT_SECONDS = 20.0
#: assumed time of one call: fixed latency plus output tokens at a generation speed (both a range)
LATENCY_S = (0.2, 1.0)
TOKENS_PER_S = (150.0, 30.0)


@attrs.define
class Tally:
    """Calls and tokens by stage and model, summed over the sampled records."""

    calls: dict[tuple[str, str], list[float]] = attrs.field(factory=dict)

    def add(self, stage: str, model: str, prompt: int, expected: int, budget: int) -> None:
        row = self.calls.setdefault((stage, model), [0, 0, 0, 0])
        for i, v in enumerate((1, prompt, expected, budget)):
            row[i] += v


def _count_seeds(stages: dict[str, list[Any]], config: Any, ctx: Context, shard: Any) -> dict[str, Any]:
    """Status counts of the seed stream (capped by records and seconds) and the first ``SAMPLE`` kept examples."""
    from crabplug.pipeline.filters import filtered

    counts: dict[str, int] = {}
    sample: list[Example] = []
    started, partial = time.monotonic(), False
    records = (r for s in stages["seed_sources"] for r in s.read(ctx))
    for n, item in enumerate(filtered(records, config.filters, ctx, limit=config.limit, shard=shard)):
        counts[item.status] = counts.get(item.status, 0) + 1
        if item.status == "ok" and len(sample) < SAMPLE:
            sample.append(item.example)
        if n + 1 >= COUNT_CAP or time.monotonic() - started > COUNT_SECONDS:
            partial = True
            break
    return {"counts": counts, "sample": sample, "partial": partial}


def count_seeds(stages: dict[str, list[Any]], config: Any, ctx: Context, shard: Any = None,
                seconds: float = 3.0) -> int | None:
    """Seed records that pass the filters (up to ``limit``), when counting them takes under ``seconds``; else None.

    For the progress bar's total: files count in a moment; a large or remote source is not waited for.
    """
    from crabplug.pipeline.filters import filtered

    started, ok = time.monotonic(), 0
    try:
        records = (r for s in stages["seed_sources"] for r in s.read(ctx))
        for item in filtered(records, config.filters, ctx, limit=config.limit, shard=shard):
            ok += item.status == "ok"
            if time.monotonic() - started > seconds:
                return None
    except Exception:  # the run itself reports an unreadable source; a bar without a total is fine
        return None
    return ok


def _from_config(config: Any, reason: str) -> dict[str, Any]:
    """When seeds cannot be read: records from ``limit`` or the per-source cap, sized by the length filter."""
    if config.limit is not None:
        records = config.limit
    elif config.filters.max_per_source is not None:
        records = config.filters.max_per_source * len(config.seeds)
    else:
        records = None
    words = max(config.filters.min_words, 300)  # the filter's floor, or a typical answer's length
    example = Example(instruction="Explain the topic of this request in detail. " * 2, response="word " * words,
                      source="forecast")
    return {"counts": {"ok": records or 0}, "sample": [example], "partial": False, "unread": reason,
            "records_known": records is not None, "words": words}


def _stage_forecasts(stages: dict[str, list[Any]], example: Example, ctx: Context,
                     undeclared: set[str]) -> Iterable[CallEstimate]:
    pending: tuple[str, ...] = ()
    for stage in stages["back_translators"]:
        if isinstance(stage, Forecasting):
            f = stage.forecast(example, ctx, ())
            yield from f.calls
            pending += tuple(f.pending)
        else:
            undeclared.add(f"back-translator {stage.name}")
    for stage in stages["verifiers"]:
        if not pending:
            break
        if isinstance(stage, Forecasting):
            f = stage.forecast(example, ctx, pending)
            yield from f.calls
            if f.calls:  # the first verifier that asks about them decides them
                pending = ()
        else:
            undeclared.add(f"verifier {stage.name}")


def forecast(config: Any, registry: Any, stages: dict[str, list[Any]], ctx: Context,
             shard: Any = None) -> dict[str, Any]:
    """The dry-run forecast as data: seeds, records, calls/tokens/cost per stage, totals and a time range."""
    from crabplug.llm.litellm_import import import_litellm as _import_litellm

    try:
        seeds = _count_seeds(stages, config, ctx, shard)
    except Exception as err:  # a hub dataset offline, a missing file: say so and size from the config
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        seeds = _from_config(config, reason)
    records = seeds["counts"].get("ok", 0)
    sample = seeds["sample"]
    litellm = _import_litellm()
    llm = config.llm or {}
    default_model = llm.get("model")
    default_max = int(llm.get("max_tokens", 512))
    tally, undeclared = Tally(), set()
    for example in sample:
        for call in _stage_forecasts(stages, example, ctx, undeclared):
            model = call.model or default_model or _default_model(registry)
            budget = call.max_tokens or default_max
            expected = min(call.expected_output_tokens or budget, budget)
            # the tokenizer litellm ships (cl100k): a model's own may download from the Hub, and a forecast is offline
            prompt = litellm.token_counter(messages=call.messages)
            tally.add(call.stage, model, prompt, expected, budget)
    scale = records / len(sample) if sample else 0.0
    rows = []
    for (stage, model), (calls, prompt, expected, budget) in sorted(tally.calls.items()):
        cost = _price(litellm, model, prompt * scale, expected * scale)
        rows.append({"stage": stage, "model": model, "calls": round(calls * scale),
                     "prompt_tokens": round(prompt * scale), "output_tokens": round(expected * scale),
                     "output_tokens_max": round(budget * scale), "cost": cost})
    total = {k: sum(r[k] for r in rows) for k in ("calls", "prompt_tokens", "output_tokens", "output_tokens_max")}
    priced = [r["cost"] for r in rows if r["cost"] is not None]
    total["cost"] = sum(priced) if priced else None
    total["unpriced_models"] = sorted({r["model"] for r in rows if r["cost"] is None})
    return {"seeds": seeds, "records": records, "sampled": len(sample), "stages": rows, "total": total,
            "time_s": _time_range(rows, llm), "undeclared": sorted(undeclared)}


def _default_model(registry: Any) -> str:
    from crabplug.llm import default_model

    return default_model(registry)


def _price(litellm: Any, model: str, prompt: float, output: float) -> float | None:
    """Dollars from litellm's local price map; None when the model has no price there (local, self-hosted)."""
    try:
        p, c = litellm.cost_per_token(model=model, prompt_tokens=int(prompt), completion_tokens=int(output))
    except Exception:  # litellm raises for models it has no price for
        return None
    return float(p + c)


def _time_range(rows: list[dict[str, Any]], llm: dict[str, Any]) -> tuple[float, float]:
    """Seconds from the calls and output tokens at the configured concurrency (and rpm, when set)."""
    concurrency = max(1, int(llm.get("concurrency", 8)))
    calls = sum(r["calls"] for r in rows)
    out = sum(r["output_tokens"] for r in rows)
    low = (calls * LATENCY_S[0] + out / TOKENS_PER_S[0]) / concurrency
    high = (calls * LATENCY_S[1] + out / TOKENS_PER_S[1]) / concurrency
    if llm.get("rpm"):
        floor = calls / float(llm["rpm"]) * 60
        low, high = max(low, floor), max(high, floor)
    return low, high


def duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3.5 h``, ``2.1 days``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def print_forecast(data: dict[str, Any], console: Any, concurrency: int) -> None:
    """The forecast as a table and a few sentences (the seed line first, as before)."""
    from rich.table import Table

    seeds = data["seeds"]
    counts = seeds["counts"]
    if "unread" in seeds:
        console.print(f"seeds could not be sampled ({seeds['unread']}); estimating from the config: "
                      + (f"{data['records']} records" if seeds.get("records_known") else "record count unknown "
                         "(set limit or filters.max_per_source)")
                      + f" of about {seeds['words']} words")
    else:
        more = " (at least: counting stopped early)" if seeds["partial"] else ""
        console.print(f"seed records: {counts.get('ok', 0)} to process{more}, {counts.get('filtered', 0)} filtered, "
                      f"{counts.get('failed', 0)} unreadable")
    total = data["total"]
    table = Table(title=f"forecast from {data['sampled']} sampled records, scaled to {data['records']}")
    for column in ("stage", "model", "calls", "prompt tokens", "output tokens", "cost"):
        table.add_column(column, overflow="fold", justify="left" if column in ("stage", "model") else "right")
    for r in data["stages"]:
        table.add_row(r["stage"], r["model"], f"{r['calls']:,}", f"{r['prompt_tokens']:,}", f"{r['output_tokens']:,}",
                      _dollars(r["cost"]))
    console.print(table)
    console.print(f"estimated LLM calls: {total['calls']:,}; tokens: {total['prompt_tokens']:,} prompt + "
                  f"{total['output_tokens']:,} output (at most {total['output_tokens_max']:,}); cost: "
                  f"{_dollars(total['cost'])}", soft_wrap=True)
    if total["unpriced_models"]:
        console.print(f"no price in litellm's map for {', '.join(total['unpriced_models'])}: counted at $0 "
                      "(a local or self-hosted model costs its hardware time)", soft_wrap=True)
    low, high = data["time_s"]
    console.print(f"time: about {duration(low)} to {duration(high)} at concurrency {concurrency} (assuming "
                  f"{LATENCY_S[0]}-{LATENCY_S[1]} s per call plus {TOKENS_PER_S[1]:.0f}-{TOKENS_PER_S[0]:.0f} output "
                  "tokens/s; a CPU model is slower); cached answers of a resumed run cost nothing", soft_wrap=True)
    for name in data["undeclared"]:
        console.print(f"{name} declares no forecast: its LLM calls, if any, are not counted", soft_wrap=True)


def _dollars(cost: float | None) -> str:
    return "unpriced" if cost is None else f"${cost:,.4f}" if cost < 1 else f"${cost:,.2f}"
