"""What each kind of stage plugin looks like, and the Context every stage receives.

A stage is an attrs class: its fields are its options (validated from the config), and its ``name``
class variable is the name the config uses. Methods may be plain or ``async``.
"""

from __future__ import annotations

import contextvars
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import attrs

from crabplug.records import Annotated, Constraint, Example, Failure, Sample, Verdict

if TYPE_CHECKING:  # light at run time: the LLM door and the config load only when used
    from crabplug.config import RunConfig
    from crabplug.llm import LLM
    from crabplug.llm_usage import Usage
    from crabplug.plugins import Registry


@attrs.define
class Context:
    """What the pipeline hands every stage: where to write, the seed, the plugins, the LLM door."""

    run_dir: Path
    """The run directory (created)."""
    seed: int = 0
    """The run's seed; derive per-record randomness with :meth:`rng`."""
    registry: Registry | None = None
    """The loaded plugins (:class:`crabplug.Registry`)."""
    config: RunConfig | None = None
    """The resolved run config."""
    stats: dict[str, Any] = attrs.field(factory=dict)
    """Counters any stage may add to; they end up in the dataset card."""
    llm_factory: Callable[..., LLM] | None = None
    """``llm_factory(model=None, **overrides)`` -> an LLM client (see crabplug.llm)."""
    limit: int | None = None
    """``--limit``: only this many seed records."""
    usage: Usage | None = None
    """The run's LLM usage tally, shared by every client of the door (created once, by the run)."""
    usage_before: dict[str, Any] = attrs.field(factory=dict)
    """LLM usage of earlier runs of this run directory (``usage.json``): it counts against ``max_cost``."""

    def rng(self, *parts: Any) -> random.Random:
        """A Random seeded from the run seed and ``parts``: same inputs, same draws, on any machine."""
        from crabplug.records import content_id

        return random.Random(int(content_id(self.seed, *parts), 16))

    def llm(self, model: str | None = None, **overrides: Any) -> Any:
        """The LLM client for ``model`` (the config's default model when None)."""
        if self.llm_factory is None:
            raise RuntimeError("this context has no LLM door")
        return self.llm_factory(model=model, **overrides)

    def count(self, key: str, n: int = 1) -> None:
        """Add ``n`` to the counter ``key`` (dotted names group in the card).

        Inside a per-record stage the count is kept with that record's checkpoint row and summed from the last
        checkpoint at the end of the run, so a resumed run reports what a clean one does.
        """
        counts = ROW_COUNTS.get()
        target = self.stats if counts is None else counts
        target[key] = target.get(key, 0) + n


#: the counters of the record a per-record stage is working on (set by the pipeline per record; None elsewhere)
ROW_COUNTS: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("crabplug_row_counts",
                                                                                    default=None)


class SeedSource(Protocol):
    """Reads instruction–response pairs. Yields a Failure for an unreadable record and goes on."""

    name: ClassVar[str]

    def read(self, ctx: Context) -> Iterator[Example | Failure]: ...


class BackTranslator(Protocol):
    """Example -> candidate constraints the response satisfies. Raise RecordError to fail the record."""

    name: ClassVar[str]

    async def translate(self, example: Example, ctx: Context) -> list[Constraint]: ...


class Verifier(Protocol):
    """Judges one constraint on one response; ``Verdict(ok=None)`` passes to the next verifier."""

    name: ClassVar[str]

    async def verify(self, example: Example, constraint: Constraint, ctx: Context) -> Verdict: ...


class Combiner(Protocol):
    """Verified constraints -> complex-instruction samples. Sees the records in seed order."""

    name: ClassVar[str]

    def combine(self, records: Iterator[Annotated], ctx: Context) -> Iterator[Sample | Failure]: ...


class Output(Protocol):
    """Writes samples to files in the run directory. ``close`` returns stats for the dataset card, with the
    files it wrote under ``file`` (and ``files``, when several), relative to the run directory.

    An output may also define ``report(ctx)``: it runs after every output has closed, when ``ctx.stats`` holds
    the whole run's counts and every output's stats under ``outputs`` (the dataset card is one)."""

    name: ClassVar[str]

    def open(self, ctx: Context) -> None: ...

    async def write(self, samples: list[Sample], ctx: Context) -> list[Failure]: ...

    def close(self, ctx: Context) -> dict[str, Any]: ...


class Trainer(Protocol):
    """Trains a model from a run directory's dataset; returns where the model was saved."""

    name: ClassVar[str]

    def train(self, ctx: Context) -> Path: ...


class Benchmark(Protocol):
    """Evaluation prompts with constraint ids/kwargs, scored by constraint types."""

    name: ClassVar[str]

    def prompts(self) -> Iterator[dict[str, Any]]: ...

