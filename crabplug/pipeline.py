"""Runs a config's stages, streaming, with a checkpoint per stage and exact resume.

Per-record stages (back-translate, verify) write one checkpoint line per seed record, in seed order,
a chunk at a time. Re-running after a crash cuts any torn line, finishes the records a later stage had
not reached, and continues reading seeds after the last one checkpointed: nothing lost, nothing twice.
The sequential stages (combine, outputs) are cheap and deterministic, so they are rebuilt from the last
checkpoint on every run into temporary files renamed into place (LLM answers they need are cached).

Rows stay typed (:class:`~crabplug.rows.Row`) from the seed source to the last checkpoint; each checkpoint
serialises them once. :class:`RecordStages` is the unit of work an executor runs: a chunk of rows in, the
rows after each stage out.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import stats as run_stats
from crabplug.checkpoint import AtomicJsonl, Checkpoint, write_atomic
from crabplug.config import RunConfig
from crabplug.errors import CrabError, RecordError
from crabplug.filters import filtered
from crabplug.progress import Progress
from crabplug.records import Annotated, Constraint, Failure, Sample
from crabplug.rows import Row
from crabplug.stages import ROW_COUNTS, Context


async def maybe_await(value: Any) -> Any:
    """Plugin methods may be plain or async."""
    return await value if inspect.isawaitable(value) else value


def _failure(stage: str, err: Exception, record_id: str) -> Failure:
    if isinstance(err, RecordError):
        return Failure(stage=stage, reason=str(err), record_id=record_id, raw=err.raw[:2000])
    return Failure(stage=stage, reason=f"plugin raised {type(err).__name__}: {err}", record_id=record_id)


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


@attrs.define
class RecordStages:
    """The per-record stages of a run. Each row's result depends only on the row, the run's seed and cached
    LLM answers, so chunks may run anywhere (an executor) as long as checkpoints are written in seed order."""

    NAMES: ClassVar[tuple[str, ...]] = ("back_translate", "verify")

    back_translators: list[Any]
    verifiers: list[Any]
    ctx: Context

    async def run(self, rows: list[Row], start: int = 0) -> list[list[Row]]:
        """``rows`` through the stages from index ``start`` on: the rows after each stage, one list per stage."""
        out = []
        for k in range(start, len(self.NAMES)):
            rows = await self.run_stage(k, rows)
            out.append(rows)
        return out

    async def run_stage(self, k: int, rows: list[Row]) -> list[Row]:
        """Stage ``k`` on every row of a chunk, concurrently; rows that are not ``ok`` pass unchanged."""
        name = self.NAMES[k]
        fn = self.back_translate if k == 0 else self.verify

        async def guarded(row: Row) -> Row:
            if row.status != "ok":
                return row
            counts: dict[str, Any] = {}
            ROW_COUNTS.set(counts)  # this coroutine runs as its own task: the setting stays with this record
            try:
                out = await fn(row)
            except CrabError as err:
                if not isinstance(err, RecordError):
                    raise  # budget, auth: stop the run
                out = row.failed([_failure(name, err, row.id)])
            return out.counted(counts)

        return list(await asyncio.gather(*(guarded(r) for r in rows)))

    async def back_translate(self, row: Row) -> Row:
        """Candidate constraints from every back-translator, first of each meaning kept."""
        example = row.record.example
        found: dict[str, Constraint] = {}
        failures: list[Failure] = []
        types = self.ctx.registry.constraint_types if self.ctx.registry is not None else None
        for bt in self.back_translators:
            try:
                candidates = list(await maybe_await(bt.translate(example, self.ctx)))
                unknown = sorted({c.type for c in candidates} - set(types)) if types is not None else []
                if unknown:  # checked here once, so no later stage meets a type no plugin registered
                    raise TypeError(f"it returned constraints of type {', '.join(unknown)}, which no plugin registers")
                for c in candidates:
                    found.setdefault(c.key, c)
            except CrabError as err:
                if not isinstance(err, RecordError):
                    raise  # budget, auth: stop the run
                failures.append(_failure(f"back_translate:{bt.name}", err, example.id))
            except Exception as err:  # a plugin bug on one record must not lose the others
                failures.append(_failure(f"back_translate:{bt.name}", err, example.id))
        out = row.with_record(Annotated(example=example, constraints=tuple(found.values())), failures)
        return out.failed(failures) if self.back_translators and len(failures) == len(self.back_translators) else out

    async def verify(self, row: Row) -> Row:
        """Each constraint's verdict from the first verifier that decides it."""
        ann = row.record
        failures = list(row.failures)

        async def one(c: Constraint) -> Constraint:
            if c.verified is not None:
                return c
            for verifier in self.verifiers:
                try:
                    verdict = await maybe_await(verifier.verify(ann.example, c, self.ctx))
                except CrabError as err:
                    if not isinstance(err, RecordError):
                        raise
                    failures.append(_failure(f"verify:{verifier.name}", err, ann.id))
                    continue
                if verdict.ok is not None:
                    return attrs.evolve(c, verified=verdict.ok, verified_by=verdict.by or verifier.name)
            return c

        checked = await asyncio.gather(*(one(c) for c in ann.constraints))
        return row.with_record(attrs.evolve(ann, constraints=tuple(checked)), failures)


@attrs.define
class Pipeline:
    """One run of a config in a run directory."""

    config: RunConfig
    ctx: Context
    stages: dict[str, list[Any]]
    progress: Progress
    shard: tuple[int, int] | None = None
    executor: Any = None
    """Where the per-record stages run (crabplug/executors.py); None: ``local``, in this process."""
    records: RecordStages = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.records = RecordStages(self.stages["back_translators"], self.stages["verifiers"], self.ctx)

    @property
    def run_dir(self) -> Path:
        return self.ctx.run_dir

    def checkpoints(self) -> list[Checkpoint]:
        """One checkpoint per per-record stage, repaired (a torn last line cut off)."""
        return [Checkpoint(self.run_dir / "stages" / f"{i + 1}-{n}.jsonl") for i, n in enumerate(RecordStages.NAMES)]

    # -- per-record stages -------------------------------------------------------------------------------

    def seed_rows(self) -> Iterator[Row]:
        """The filtered seed stream as rows, in seed order."""
        records = itertools.chain.from_iterable(s.read(self.ctx) for s in self.stages["seed_sources"])
        items = filtered(records, self.config.filters, self.ctx, limit=self.ctx.limit, shard=self.shard)
        for seq, item in enumerate(items):
            if item.status == "failed":
                yield Row.unreadable(seq, item.failure)
            elif item.status == "filtered":
                yield Row.dropped(seq, item.example, item.reason)
            else:
                yield Row.seed(seq, item.example)

    async def run_records(self) -> None:
        """The per-record stages: catch up after a crash, then stream the remaining seeds."""
        from crabplug.executors import Job, LocalExecutor

        executor = self.executor or LocalExecutor()
        executor.start(Job(ctx=self.ctx, records=self.records))  # an unusable executor stops before any record
        try:
            cps = self.checkpoints()
            for k in range(1, len(cps)):  # records a crash left between two stages
                for rows in chunks(cps[k - 1].read(cps[k].count), self.config.chunk_size):
                    await self._through(rows, cps, start=k)
            self.progress.start("back_translate", done=cps[0].count, total=self.ctx.limit)
            async for k, rows in self._mapped(executor, cps[0].count):  # seed order, each stage's rows in turn
                cps[k].append(rows)
                self.progress.advance(RecordStages.NAMES[k], len(rows), failed=sum(r.status == "failed" for r in rows))
                if k == len(cps) - 1:
                    run_stats.save_usage(self.ctx)
        finally:
            executor.stop()

    def _mapped(self, executor: Any, done: int) -> Any:
        size = self.config.chunk_size
        if callable(getattr(executor, "map_parts", None)):  # its workers read the seeds (crabplug/seed_parts.py)
            from crabplug.seed_parts import SeedFeed

            sources = self.stages["seed_sources"]
            return executor.map_parts(SeedFeed.resume(sources, self.ctx, size=size, shard=self.shard, done=done))
        return executor.map(chunks(itertools.islice(self.seed_rows(), done, None), size))

    async def _through(self, rows: list[Row], cps: list[Checkpoint], *, start: int) -> None:
        # each stage's rows reach its checkpoint before the next stage starts: a kill loses one stage's work
        for k in range(start, len(cps)):
            rows = await self.records.run_stage(k, rows)
            cps[k].append(rows)
            self.progress.advance(RecordStages.NAMES[k], len(rows), failed=sum(r.status == "failed" for r in rows))

    # -- sequential stages -------------------------------------------------------------------------------

    async def run_samples(self) -> dict[str, Any]:
        """Combine and write outputs from the last checkpoint (rebuilt each run); returns output stats.

        One pass over the checkpoint counts the stats, collects the failures and feeds the combiner.
        """
        last = self.checkpoints()[-1]
        tally = run_stats.Tally()
        failures = AtomicJsonl(self.run_dir / "failures.jsonl")
        later = AtomicJsonl(self.run_dir / "failures.later.jsonl")  # combine/output failures follow the records'

        def annotated() -> Iterator[Annotated]:
            for row in last.read():
                tally.add(row)
                for key, n in row.counts.items():  # the stages' counters, each record's once
                    self.ctx.count(key, n)
                for f in row.failures:
                    failures.write(f.to_dict())
                if row.status == "ok":
                    yield row.record

        stream = annotated()
        outputs = self.stages["outputs"]
        for out in outputs:
            out.open(self.ctx)
        combiner = self.stages["combiners"][0] if self.stages["combiners"] else None
        if combiner:
            samples_file = AtomicJsonl(self.run_dir / "samples.jsonl")
            combined = combiner.combine(stream, self.ctx)
            self.progress.start("combine")
            while batch := list(itertools.islice(combined, self.config.chunk_size)):
                samples = [s for s in batch if isinstance(s, Sample)]
                for bad in (b for b in batch if isinstance(b, Failure)):
                    later.write(bad.to_dict())
                for s in samples:
                    samples_file.write(s.to_dict())
                for out in outputs:
                    for bad in await maybe_await(out.write(samples, self.ctx)) or []:
                        later.write(bad.to_dict())
                self.progress.advance("combine", len(samples), failed=len(batch) - len(samples))
            samples_file.close()
            self.ctx.stats["samples"] = samples_file.count
        for _ in stream:  # a combiner that stopped early (or none) still leaves every row counted
            pass
        _append(failures, later)
        self.ctx.stats.update(tally.result())
        self.ctx.stats["failures"] = failures.count
        run_stats.add_usage(self.ctx)
        return await close_outputs(outputs, self.ctx)

    def run_trainers(self) -> list[Path]:
        """Trainers named in the config's ``train:`` section, in order."""
        return [trainer.train(self.ctx) for trainer in self.stages["trainers"]]


def _append(first: AtomicJsonl, second: AtomicJsonl) -> None:
    """Close ``first`` with ``second``'s rows after its own; ``second`` leaves no file."""
    second.close()
    with second.path.open(encoding="utf-8") as f:
        for line in f:
            first.write(json.loads(line))
    second.path.unlink()
    first.close()


async def close_outputs(outputs: list[Any], ctx: Context) -> dict[str, Any]:
    """Close every output, then give those with a ``report`` the whole run: ``ctx.stats['outputs']`` then holds
    every output's stats, whatever the config's order (the dataset card is such a report)."""
    closed: dict[str, Any] = {}
    for out in outputs:
        closed[out.name] = await maybe_await(out.close(ctx)) or {}
    ctx.stats["outputs"] = dict(closed)
    for out in outputs:
        if callable(getattr(out, "report", None)):
            await maybe_await(out.report(ctx))
    return closed


def dump_stats(path: Path, stats: dict[str, Any]) -> None:
    """Write the run's stats as JSON (read by ``crabplug show`` and the dataset card)."""
    write_atomic(path, json.dumps(stats, indent=2, sort_keys=True, default=str) + "\n")
