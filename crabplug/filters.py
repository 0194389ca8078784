"""The paper's seed filters, applied in the core so every source gets them the same way.

Memory: dedup keeps one 64-bit hash per distinct record (about 60 bytes each in a Python set);
everything else is constant. Sharding splits by record id, so duplicates always meet in one shard.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import attrs

from crabplug.config import Filters
from crabplug.records import Example, Failure, content_id
from crabplug.stages import Context


@attrs.frozen
class Item:
    """One seed record after filtering: ``ok``, ``filtered`` (with the reason) or ``failed``."""

    status: str
    example: Example | None = None
    failure: Failure | None = None
    reason: str = ""


def filtered(
    records: Iterable[Example | Failure],
    filters: Filters,
    ctx: Context,
    *,
    limit: int | None = None,
    shard: tuple[int, int] | None = None,
) -> Iterator[Item]:
    """Filter a stream of seed records; stops after ``limit`` records pass."""
    seen: set[int] = set()
    per_source: Counter[str] = Counter()
    passed = 0
    for record in records:
        if limit is not None and passed >= limit:
            return
        if shard and _shard_of(record, shard[1]) != shard[0]:
            continue
        if isinstance(record, Failure):
            yield Item("failed", failure=record)
            continue
        reason = _reason(record, filters, ctx, seen, per_source)
        if reason:
            yield Item("filtered", example=record, reason=reason)
            continue
        per_source[record.source] += 1
        passed += 1
        yield Item("ok", example=record)


def _shard_of(record: Example | Failure, count: int) -> int:
    key = record.id if isinstance(record, Example) else content_id(record.where, record.raw)
    return int(key, 16) % count


def _reason(ex: Example, filters: Filters, ctx: Context, seen: set[int], per_source: Counter[str]) -> str:
    if filters.dedup:
        digest = int(ex.id, 16)
        if digest in seen:
            return "duplicate"
        seen.add(digest)
    if filters.min_words and len(ex.response.split()) < filters.min_words:
        if ctx.rng("keep_short", ex.id).random() >= filters.keep_short_rate:
            return "short"
    if filters.max_per_source is not None and per_source[ex.source] >= filters.max_per_source:
        return "source cap"
    return ""
