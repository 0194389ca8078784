"""Runs a config's stages, streaming, with a checkpoint per stage and exact resume.

Per-record stages (back-translate, verify) write one checkpoint line per seed record, in seed order,
a chunk at a time. Re-running after a crash cuts any torn line, finishes the records a later stage had
not reached, and continues reading seeds after the last one checkpointed: nothing lost, nothing twice.
The sequential stages (combine, outputs) are cheap and deterministic, so they are rebuilt from the last
checkpoint on every run into temporary files renamed into place (LLM answers they need are cached).

Rows stay typed (:class:`~crabplug.pipeline.rows.Row`) from the seed source to the last checkpoint; each checkpoint
serialises them once. :class:`RecordStages` is the unit of work an executor runs: a chunk of rows in, the
rows after each stage out.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from crabplug.config import RunConfig
from crabplug.pipeline import stats as run_stats
from crabplug.pipeline.checkpoint import AtomicJsonl, Checkpoint, write_atomic
from crabplug.pipeline.executor import Job
from crabplug.pipeline.filters import filtered
from crabplug.pipeline.local import LocalExecutor
from crabplug.pipeline.progress import Progress
from crabplug.pipeline.record_stages import RecordStages, maybe_await
from crabplug.pipeline.rows import Row
from crabplug.records import Annotated, Failure, Sample
from crabplug.stages import Context, PartsExecutor, Reporting


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


@attrs.define
class Pipeline:
    """One run of a config in a run directory."""

    config: RunConfig
    ctx: Context
    stages: dict[str, list[Any]]
    progress: Progress
    shard: tuple[int, int] | None = None
    executor: Any = None
    """Where the per-record stages run (crabplug/pipeline/executor.py); None: ``local``, in this process."""
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
        if isinstance(executor, PartsExecutor):  # its workers read the seeds (crabplug/pipeline/seed_parts.py)
            from crabplug.pipeline.seed_parts import SeedFeed

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
        if isinstance(out, Reporting):
            await maybe_await(out.report(ctx))
    return closed


def dump_stats(path: Path, stats: dict[str, Any]) -> None:
    """Write the run's stats as JSON (read by ``crabplug show`` and the dataset card)."""
    write_atomic(path, json.dumps(stats, indent=2, sort_keys=True, default=str) + "\n")
