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


@attrs.frozen
class SeedKey:
    """What the filters need of one Example: small, so a worker that read the record can send it to the driver,
    which makes the filters' decisions in seed order (the ``ray`` executor; see crabplug/pipeline/seed_parts.py)."""

    id: str
    """The example's id (dedup and ``--shard`` use it)."""
    source: str
    """The example's source (the per-source cap's key)."""
    short: bool
    """Shorter than ``min_words`` and not among the share kept at random: a pure function of the example."""

    @classmethod
    def of(cls, ex: Example, filters: Filters, ctx: Context) -> SeedKey:
        """The key of ``ex`` under ``filters``."""
        short = bool(filters.min_words) and len(ex.response.split()) < filters.min_words
        short = short and ctx.rng("keep_short", ex.id).random() >= filters.keep_short_rate
        return cls(id=ex.id, source=ex.source, short=short)


@attrs.define
class SeedFilter:
    """The filters' state over one seed stream (seen ids, per-source counts, records passed): decisions are made one
    record at a time, in seed order, wherever the records were read."""

    filters: Filters
    limit: int | None = None
    shard: tuple[int, int] | None = None
    seen: set[int] = attrs.field(factory=set)
    per_source: Counter[str] = attrs.field(factory=Counter)
    passed: int = 0

    @property
    def done(self) -> bool:
        """``limit`` records passed: the stream ends here."""
        return self.limit is not None and self.passed >= self.limit

    def decide(self, key: SeedKey | Failure) -> tuple[str, str] | None:
        """``(status, reason)`` for the next record (``ok``, ``failed`` or ``filtered``); None: another shard's."""
        if self.shard and _shard_of(key, self.shard[1]) != self.shard[0]:
            return None
        if isinstance(key, Failure):
            return "failed", ""
        reason = self._reason(key)
        if reason:
            return "filtered", reason
        self.per_source[key.source] += 1
        self.passed += 1
        return "ok", ""

    def _reason(self, key: SeedKey) -> str:
        filters = self.filters
        if filters.dedup:
            digest = int(key.id, 16)
            if digest in self.seen:
                return "duplicate"
            self.seen.add(digest)
        if key.short:
            return "short"
        if filters.max_per_source is not None and self.per_source[key.source] >= filters.max_per_source:
            return "source cap"
        return ""


def capped(record: Example | Failure, filters: Filters) -> Example | Failure:
    """``record``, or a Failure naming its file:line when it is longer than ``filters.max_record_chars``: one
    huge row would otherwise hold every stage (and gigabytes) for minutes while nothing is checkpointed."""
    if isinstance(record, Failure):
        return record
    size = len(record.instruction) + len(record.response) + sum(len(m.content) for m in record.context)
    if size <= filters.max_record_chars:
        return record
    meta = record.metadata
    place = meta.get("line", meta.get("row"))
    where = f"{meta.get('file') or meta.get('dataset') or record.source}:{place}" if place else record.source
    return Failure(stage="seeds", where=where, record_id=record.id, raw=record.instruction[:200],
                   reason=f"the record has {size:,} characters, more than filters.max_record_chars "
                          f"({filters.max_record_chars:,}): shorten it or raise the limit")


def filtered(
    records: Iterable[Example | Failure],
    filters: Filters,
    ctx: Context,
    *,
    limit: int | None = None,
    shard: tuple[int, int] | None = None,
) -> Iterator[Item]:
    """Filter a stream of seed records; stops after ``limit`` records pass."""
    state = SeedFilter(filters, limit=limit, shard=shard)
    for record in records:
        if state.done:
            return
        record = capped(record, filters)
        key = record if isinstance(record, Failure) else SeedKey.of(record, filters, ctx)
        decision = state.decide(key)
        if decision is None:
            continue
        status, reason = decision
        if status == "failed":
            yield Item("failed", failure=record)
        else:
            yield Item(status, example=record, reason=reason)


def _shard_of(record: SeedKey | Example | Failure, count: int) -> int:
    key = content_id(record.where, record.raw) if isinstance(record, Failure) else record.id
    return int(key, 16) % count
