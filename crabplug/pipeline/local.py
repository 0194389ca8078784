"""The core's own executor, ``local``: the per-record stages in this process, a chunk at a time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from crabplug.hookspecs import hookimpl

if TYPE_CHECKING:
    from crabplug.pipeline.executor import Job


@attrs.define
class LocalExecutor:
    """In this process, a chunk at a time (the default): each stage's rows reach its checkpoint before the
    next stage starts, so a kill loses at most one stage of one chunk."""

    name: ClassVar[str] = "local"
    _job: Job | None = attrs.field(default=None, init=False)

    def start(self, job: Job) -> None:
        """Nothing to connect to."""
        self._job = job

    async def map(self, chunks: Iterable[list[Any]]) -> AsyncIterator[tuple[int, list[Any]]]:
        """Each chunk through each stage, here."""
        records = self._job.records
        for rows in chunks:
            for k in range(len(records.NAMES)):
                rows = await records.run_stage(k, rows)
                yield k, rows

    def stop(self) -> None:
        """Nothing to release."""


@hookimpl
def register_executors(register):
    """The core's executor: ``local``."""
    register(LocalExecutor)
