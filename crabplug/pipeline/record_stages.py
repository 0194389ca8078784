"""The per-record stages of a run (back-translate, verify): the unit of work an executor runs.

Each row's result depends only on the row, the run's seed and cached LLM answers, so a chunk of rows may run
in this process (the ``local`` executor) or on a worker (``ray``) as long as the checkpoints are written in
seed order. A plugin's error on one record becomes that record's failure; the rest go on.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, ClassVar

import attrs

from crabplug.errors import CrabError, RecordError
from crabplug.pipeline.rows import Row
from crabplug.records import Annotated, Constraint, Failure
from crabplug.stages import ROW_COUNTS, Context


async def maybe_await(value: Any) -> Any:
    """Plugin methods may be plain or async."""
    return await value if inspect.isawaitable(value) else value


def _failure(stage: str, err: Exception, record_id: str) -> Failure:
    if isinstance(err, RecordError):
        return Failure(stage=stage, reason=str(err), record_id=record_id, raw=err.raw[:2000])
    return Failure(stage=stage, reason=f"plugin raised {type(err).__name__}: {err}", record_id=record_id)


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


