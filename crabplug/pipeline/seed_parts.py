"""Seeds read in parts where the records are processed: what an executor needs to let its workers read the seeds.

A seed source may split what ``read`` yields into consecutive **pieces** (the optional ``crabplug.PartedSource``;
see docs/scaling.md): ``pieces(ctx, size)`` on the driver — small, picklable descriptions of about ``size``
records each, in read order, or None when the source cannot be split (a streaming Hugging Face dataset) — and
``read_piece(ctx, piece)`` on any worker, which yields exactly that piece's records. A source without them is
read on the driver, ``size`` records at a time, and its records travel with the part (the fallback). ("Shard"
means one thing only: a machine's share of the seeds, ``--shard i/n``.)

The filters (dedup, per-source caps, ``limit``, ``--shard``) are decisions in seed order, so they stay on the
driver: a worker reads a part and returns each record's :class:`~crabplug.pipeline.filters.SeedKey` (id, source,
short), a few bytes; the driver's :class:`SeedFeed` decides, numbers the rows, and sends only the records that
passed through the stages, by reference to the worker's copy. Filtered and unreadable rows are made on the
driver. The rows reach the same checkpoints, in the same order, with the same bytes as a ``local`` run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from crabplug.pipeline.filters import SeedFilter, SeedKey, capped
from crabplug.pipeline.rows import Row
from crabplug.records import Example, Failure
from crabplug.stages import Context, PartedSource


@attrs.frozen
class SeedPart:
    """Consecutive records of one seed source: a piece a worker reads, or records the driver read (the fallback)."""

    source: int
    """Index of the source in the config's ``seeds:``."""
    piece: Any = None
    """The source's own description of the piece (from its ``pieces``); None: the records travel in ``records``."""
    records: tuple[Example | Failure, ...] = ()
    """The records, when the source cannot be split."""
    skip: int = 0
    """Records of the part already in the checkpoints (a resumed run starts mid-part)."""


def parts(sources: list[Any], ctx: Context, size: int) -> Iterator[SeedPart]:
    """Every source's records as parts of about ``size`` records, in seed order."""
    for k, source in enumerate(sources):
        pieces = _pieces(source, ctx, size)
        if pieces is None:
            it = iter(source.read(ctx))
            while batch := tuple(itertools.islice(it, size)):
                yield SeedPart(source=k, records=batch)
        else:
            for piece in pieces:
                yield SeedPart(source=k, piece=piece)


def _pieces(source: Any, ctx: Context, size: int) -> Any:
    """The source's pieces, or None when it reads whole. A source written before 0.2 (``shards`` and
    ``read_shard``) still works, with a DeprecationWarning, until the next release."""
    if isinstance(source, PartedSource):
        return source.pieces(ctx, size)
    if callable(getattr(source, "shards", None)) and callable(getattr(source, "read_shard", None)):
        import warnings

        warnings.warn(f"seed source {type(source).__name__}: shards/read_shard are now pieces/read_piece "
                      "(crabplug.PartedSource); the old names go in the next release", DeprecationWarning, stacklevel=2)
        return source.shards(ctx, size)
    return None


def read_part(sources: list[Any], ctx: Context, part: SeedPart) -> tuple[list[SeedKey | Failure], list[Any]]:
    """The part's records (on a worker, or the driver) and the key of each, which is all the driver's filters need."""
    if part.piece is None:
        records = list(part.records[part.skip :])
    else:
        source = sources[part.source]
        read = source.read_piece if isinstance(source, PartedSource) else source.read_shard  # before 0.2's names
        records = list(itertools.islice(read(ctx, part.piece), part.skip, None))
    filters = ctx.config.filters
    records = [capped(r, filters) for r in records]
    keys = [r if isinstance(r, Failure) else SeedKey.of(r, filters, ctx) for r in records]
    return keys, records


@attrs.frozen
class Decision:
    """The driver's filters on one part: the rows it makes itself, and the records that go through the stages."""

    made: tuple[Row, ...] = ()
    """Filtered and unreadable rows (the same in every checkpoint)."""
    picks: tuple[tuple[int, int], ...] = ()
    """``(index in the part, seq)`` of each record that passed the filters."""

    def rows(self, processed: Iterable[Row | RowLine]) -> list[Row | RowLine]:
        """The part's rows after one stage, in seed order: ``processed`` are the picked records' rows."""
        return sorted([*self.made, *processed], key=lambda r: r.seq)


def pick(records: list[Any], picks: Iterable[tuple[int, int]]) -> list[Row]:
    """The picked records as fresh rows, numbered by the driver (on the worker that read them)."""
    return [Row.seed(seq, records[i]) for i, seq in picks]


@attrs.frozen
class RowLine:
    """A row its worker already wrote as a checkpoint line: the driver appends it as it is, which is most of what
    it would otherwise do per record (rebuild the row from the pickle, then serialise it)."""

    seq: int
    status: str
    line: str

    @classmethod
    def of(cls, row: Row) -> RowLine:
        """``row`` as its checkpoint line."""
        return cls(seq=row.seq, status=row.status, line=row.to_line())

    def to_line(self) -> str:
        """The checkpoint line (with its newline)."""
        return self.line


@attrs.define
class SeedFeed:
    """On the driver: the parts still to read, and the filters' decisions over them in seed order."""

    parts: Iterator[SeedPart]
    filter: SeedFilter
    sources: list[Any]
    ctx: Context
    seq: int = 0
    """The next row's position in the filtered stream."""

    @classmethod
    def resume(cls, sources: list[Any], ctx: Context, *, size: int, shard: Any, done: int) -> SeedFeed:
        """The feed of a run whose first checkpoint holds ``done`` rows: those seeds are read again here (as a local
        run does) to restore the filters' state, and the first part returned starts right after them."""
        config = ctx.config
        state = SeedFilter(config.filters, limit=ctx.limit, shard=shard)
        feed = cls(parts=iter(()), filter=state, sources=sources, ctx=ctx)
        todo = parts(sources, ctx, size)
        if done:
            todo = feed._catch_up(todo, done)
        feed.parts = todo
        return feed

    def read(self, part: SeedPart) -> tuple[list[SeedKey | Failure], list[Any]]:
        """Read ``part`` here, on the driver (a part whose records travel with it)."""
        return read_part(self.sources, self.ctx, part)

    def _catch_up(self, todo: Iterator[SeedPart], done: int) -> Iterator[SeedPart]:
        for part in todo:
            keys, _ = self.read(part)
            for i, key in enumerate(keys):
                if self.seq >= done or self.filter.done:
                    return itertools.chain([attrs.evolve(part, skip=part.skip + i)], todo)
                if self.filter.decide(key) is not None:
                    self.seq += 1
        return todo

    @property
    def finished(self) -> bool:
        """``limit`` reached: no more parts are needed."""
        return self.filter.done

    def decide(self, keys: list[SeedKey | Failure]) -> Decision:
        """The filters over one part's keys (parts in seed order)."""
        made: list[Row] = []
        picks: list[tuple[int, int]] = []
        for i, key in enumerate(keys):
            if self.filter.done:
                break
            decision = self.filter.decide(key)
            if decision is None:
                continue
            status, reason = decision
            seq, self.seq = self.seq, self.seq + 1
            if status == "ok":
                picks.append((i, seq))
            elif status == "failed":
                made.append(Row.unreadable(seq, key))
            else:
                made.append(Row(seq=seq, id=key.id, status="filtered", reason=reason, source=key.source))
        return Decision(made=tuple(made), picks=tuple(picks))
