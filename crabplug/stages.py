"""The whole plugin contract: what each kind of stage plugin looks like, and the Context every stage receives.

A stage is an attrs class: its fields are its options (validated from the config), and its ``name``
class variable is the name the config uses. Methods may be plain or ``async``.

Optional parts are runtime-checkable Protocols of their own, tested with ``isinstance``: a stage that calls an
LLM is :class:`Forecasting` (``--dry-run`` counts its calls); an output that reports after every output closed
is :class:`Reporting`; a seed source that can be read in parts on workers is :class:`PartedSource`; an executor
whose workers read the seeds themselves is :class:`PartsExecutor`. The hooks that register them are in
``crabplug.hookspecs``.
"""

from __future__ import annotations

import contextvars
import random
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import attrs

from crabplug.records import Annotated, Constraint, Example, Failure, Sample, Verdict

if TYPE_CHECKING:  # light at run time: the LLM door and the config load only when used
    from crabplug.config import RunConfig
    from crabplug.llm import LLM
    from crabplug.llm.usage import Usage
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
    cores: int = 1
    """How many processes a per-record stage may spread its own work over (the run's ``workers``: every core by
    default); 1 inside an executor's workers, which are the parallelism there."""

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


@runtime_checkable
class PartedSource(Protocol):
    """Optional for a seed source: its records in parts that any worker can read on its own (files split at line
    boundaries), so an executor's workers read the seeds instead of the driver (crabplug/pipeline/seed_parts.py).
    ``pieces`` may return None when this configuration cannot be split; the source is then read whole."""

    def pieces(self, ctx: Context | None, size: int) -> Iterable[Any] | None:
        """Parts of about ``size`` records, in seed order; each part plain data a worker can receive."""

    def read_piece(self, ctx: Context | None, piece: Any) -> Iterator[Example | Failure]:
        """Exactly the records of ``piece``, in order."""


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


@runtime_checkable
class Reporting(Protocol):
    """Optional for an output: ``report(ctx)`` runs once every output has closed, when ``ctx.stats`` holds the
    whole run's counts and every output's stats under ``outputs`` (the dataset card is one)."""

    def report(self, ctx: Context) -> None: ...


class Trainer(Protocol):
    """Trains a model from a run directory's dataset; returns where the model was saved."""

    name: ClassVar[str]

    def train(self, ctx: Context) -> Path: ...


class Benchmark(Protocol):
    """Evaluation prompts with constraint ids/kwargs, scored by constraint types."""

    name: ClassVar[str]

    def prompts(self) -> Iterator[dict[str, Any]]: ...


@attrs.frozen
class CallEstimate:
    """One LLM call a stage would make for a record."""

    stage: str
    """The usage stage the door records it under (``back_translate:llm``, ``verify:llm``)."""
    messages: list[dict[str, Any]]
    """The chat messages it would send."""
    max_tokens: int | None = None
    """The answer's token budget (None: the config's ``llm.max_tokens``)."""
    expected_output_tokens: int | None = None
    """A typical answer's length in tokens (None: the whole budget)."""
    model: str | None = None
    """The model it would call (None: the config's ``llm.model``)."""


@attrs.frozen
class StageForecast:
    """What one stage would do for one record."""

    calls: tuple[CallEstimate, ...] = ()
    """The LLM calls."""
    pending: tuple[str, ...] = ()
    """Back-translators: texts of the candidates they would propose that only an LLM verifier can decide."""


@runtime_checkable
class Forecasting(Protocol):
    """The optional method a stage that calls an LLM implements so ``--dry-run`` can count its calls."""

    def forecast(self, example: Example, ctx: Context, pending: tuple[str, ...]) -> StageForecast:
        """The calls this stage would make for ``example``; verifiers get the ``pending`` candidate texts."""
        ...


class Executor(Protocol):
    """Where the per-record stages (back-translate, verify) run: registered with ``register_executors``.

    ``start`` gets a ``crabplug.Job`` (the run's context, its stages here, and the shippable ``crabplug.Work``);
    ``map`` takes chunks of seed rows in seed order and yields, for each chunk and each stage in turn,
    ``(stage index, rows after that stage)``, chunks in the order they came. See docs/scaling.md."""

    name: ClassVar[str]

    def start(self, job: Any) -> None:
        """Get ready (connect, check every worker can build the stages) or raise a one-sentence CrabError."""

    def map(self, chunks: Iterable[list[Any]]) -> AsyncIterator[tuple[int, list[Any]]]:
        """``(stage index, rows after that stage)`` for every chunk and stage, chunks in their order."""

    def stop(self) -> None:
        """Release what ``start`` took (also after an error)."""


@runtime_checkable
class PartsExecutor(Protocol):
    """Optional for an executor whose workers read the seeds themselves (the ``ray`` executor).

    ``map_parts`` gets a ``crabplug.SeedFeed``: it has workers read each of ``feed.parts`` (``Work.read_part``),
    hands the keys to ``feed.decide`` in seed order, has the picked records run (``Work.run_picks``) where they
    were read, and yields what ``Executor.map`` yields. The pipeline uses it whenever an executor has it."""

    def map_parts(self, feed: Any) -> AsyncIterator[tuple[int, list[Any]]]: ...
