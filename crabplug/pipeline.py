"""Runs a config's stages, streaming, with a checkpoint per stage and exact resume.

Per-record stages (back-translate, verify) write one checkpoint line per seed record, in seed order,
a chunk at a time. Re-running after a crash cuts any torn line, finishes the records a later stage had
not reached, and continues reading seeds after the last one checkpointed: nothing lost, nothing twice.
The sequential stages (combine, outputs) are cheap and deterministic, so they are rebuilt from the last
checkpoint on every run into temporary files renamed into place (LLM answers they need are cached).
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from crabplug import stats as run_stats
from crabplug.checkpoint import AtomicJsonl, Checkpoint, write_atomic
from crabplug.config import RunConfig
from crabplug.errors import CrabError, RecordError
from crabplug.filters import Item, filtered
from crabplug.progress import Progress
from crabplug.records import Annotated, Constraint, Example, Failure, Sample
from crabplug.stages import Context


async def maybe_await(value: Any) -> Any:
    """Plugin methods may be plain or async."""
    return await value if inspect.isawaitable(value) else value


def _failure(stage: str, err: Exception, record_id: str) -> Failure:
    if isinstance(err, RecordError):
        return Failure(stage=stage, reason=str(err), record_id=record_id, raw=err.raw[:2000])
    return Failure(stage=stage, reason=f"plugin raised {type(err).__name__}: {err}", record_id=record_id)


@attrs.define
class Pipeline:
    """One run of a config in a run directory."""

    config: RunConfig
    ctx: Context
    stages: dict[str, list[Any]]
    progress: Progress
    shard: tuple[int, int] | None = None

    @property
    def run_dir(self) -> Path:
        return self.ctx.run_dir

    # -- per-record stages -------------------------------------------------------------------------------

    async def back_translate(self, row: dict) -> dict:
        example = Example.from_dict(row["record"]["example"])
        found: dict[str, Constraint] = {}
        failures = []
        translators = self.stages["back_translators"]
        for bt in translators:
            try:
                for c in await maybe_await(bt.translate(example, self.ctx)):
                    found.setdefault(c.key, c)
            except CrabError as err:
                if not isinstance(err, RecordError):
                    raise  # budget, auth: stop the run
                failures.append(_failure(f"back_translate:{bt.name}", err, example.id))
            except Exception as err:  # a plugin bug on one record must not lose the others
                failures.append(_failure(f"back_translate:{bt.name}", err, example.id))
        ann = Annotated(example=example, constraints=tuple(found.values()))
        status = "failed" if translators and len(failures) == len(translators) else "ok"
        return {**row, "status": status, "record": ann.to_dict(), "failures": [f.to_dict() for f in failures]}

    async def verify(self, row: dict) -> dict:
        ann = Annotated.from_dict(row["record"])
        failures = list(row.get("failures", []))

        async def one(c: Constraint) -> Constraint:
            if c.verified is not None:
                return c
            for verifier in self.stages["verifiers"]:
                try:
                    verdict = await maybe_await(verifier.verify(ann.example, c, self.ctx))
                except CrabError as err:
                    if not isinstance(err, RecordError):
                        raise
                    failures.append(_failure(f"verify:{verifier.name}", err, ann.id).to_dict())
                    continue
                if verdict.ok is not None:
                    return attrs.evolve(c, verified=verdict.ok, verified_by=verdict.by or verifier.name)
            return c

        checked = await asyncio.gather(*(one(c) for c in ann.constraints))
        return {**row, "record": attrs.evolve(ann, constraints=tuple(checked)).to_dict(), "failures": failures}

    async def _run_stage(self, name: str, fn: Callable, rows: list[dict]) -> list[dict]:
        async def guarded(row: dict) -> dict:
            if row["status"] != "ok":
                return row
            try:
                return await fn(row)
            except CrabError as err:
                if not isinstance(err, RecordError):
                    raise
                return {**row, "status": "failed", "failures": [_failure(name, err, row["id"]).to_dict()]}

        out = await asyncio.gather(*(guarded(r) for r in rows))
        self.progress.advance(name, len(out), failed=sum(r["status"] == "failed" for r in out))
        return list(out)

    def _map_stages(self) -> list[tuple[str, Callable]]:
        return [("back_translate", self.back_translate), ("verify", self.verify)]

    def _seed_rows(self) -> Iterator[dict]:
        records = itertools.chain.from_iterable(s.read(self.ctx) for s in self.stages["seed_sources"])
        items = filtered(records, self.config.filters, self.ctx, limit=self.ctx.limit, shard=self.shard)
        for seq, item in enumerate(items):
            yield _row(seq, item)

    async def run_records(self) -> None:
        """The per-record stages: catch up after a crash, then stream the remaining seeds."""
        names = [n for n, _ in self._map_stages()]
        cps = [Checkpoint(self.run_dir / "stages" / f"{i + 1}-{n}.jsonl") for i, n in enumerate(names)]
        size = self.config.chunk_size
        for k in range(1, len(cps)):  # records a crash left between two stages
            pending = cps[k - 1].read(cps[k].count)
            while rows := list(itertools.islice(pending, size)):
                for name, fn in self._map_stages()[k:]:
                    rows = await self._run_stage(name, fn, rows)
                    cps[names.index(name)].append(rows)
        self.progress.start("back_translate", done=cps[0].count, total=self.ctx.limit)
        fresh = itertools.islice(self._seed_rows(), cps[0].count, None)
        while rows := list(itertools.islice(fresh, size)):
            for cp, (name, fn) in zip(cps, self._map_stages(), strict=True):
                rows = await self._run_stage(name, fn, rows)
                cp.append(rows)
            run_stats.save_usage(self.ctx)

    # -- sequential stages -------------------------------------------------------------------------------

    @staticmethod
    def _annotated(last: Checkpoint) -> Iterator[Annotated]:
        for row in last.read():
            if row["status"] == "ok":
                yield Annotated.from_dict(row["record"])

    async def run_samples(self) -> dict[str, Any]:
        """Combine and write outputs from the last checkpoint (rebuilt each run); returns output stats."""
        last = Checkpoint(self.run_dir / "stages" / f"{len(self._map_stages())}-verify.jsonl")
        self.ctx.stats.update(run_stats.from_checkpoint(last))
        failures = AtomicJsonl(self.run_dir / "failures.jsonl")
        for row in last.read():
            for f in row.get("failures", []):
                failures.write(f)
        outputs = self.stages["outputs"]
        for out in outputs:
            out.open(self.ctx)
        combiner = self.stages["combiners"][0] if self.stages["combiners"] else None
        samples_file = AtomicJsonl(self.run_dir / "samples.jsonl") if combiner else None
        if combiner:
            stream = combiner.combine(self._annotated(last), self.ctx)
            self.progress.start("combine")
            while batch := list(itertools.islice(stream, self.config.chunk_size)):
                samples = [s for s in batch if isinstance(s, Sample)]
                for bad in (b for b in batch if isinstance(b, Failure)):
                    failures.write(bad.to_dict())
                for s in samples:
                    samples_file.write(s.to_dict())
                for out in outputs:
                    for bad in await maybe_await(out.write(samples, self.ctx)) or []:
                        failures.write(bad.to_dict())
                self.progress.advance("combine", len(samples), failed=len(batch) - len(samples))
            samples_file.close()
            self.ctx.stats["samples"] = samples_file.count
        failures.close()
        self.ctx.stats["failures"] = failures.count
        run_stats.add_usage(self.ctx)
        closed: dict[str, Any] = {}
        for out in outputs:  # in config order: an output listed last (the dataset card) sees the others' stats
            closed[out.name] = await maybe_await(out.close(self.ctx)) or {}
            self.ctx.stats["outputs"] = dict(closed)
        return closed

    def run_trainers(self) -> list[Path]:
        """Trainers named in the config's ``train:`` section, in order."""
        return [trainer.train(self.ctx) for trainer in self.stages["trainers"]]


def _row(seq: int, item: Item) -> dict[str, Any]:
    if item.status == "failed":
        f = item.failure
        return {"seq": seq, "id": f.record_id or f"{f.where}", "status": "failed", "failures": [f.to_dict()]}
    if item.status == "filtered":  # no record body: filtered seeds cost a few bytes each
        return {"seq": seq, "id": item.example.id, "status": "filtered", "reason": item.reason,
                "source": item.example.source}
    return {"seq": seq, "id": item.example.id, "status": "ok", "record": {"example": item.example.to_dict()}}


def dump_stats(path: Path, stats: dict[str, Any]) -> None:
    """Write the run's stats as JSON (read by ``crabplug show`` and the dataset card)."""
    write_atomic(path, json.dumps(stats, indent=2, sort_keys=True, default=str) + "\n")
