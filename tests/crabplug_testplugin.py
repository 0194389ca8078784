"""A small plugin used by the core's tests, written exactly as a third-party plugin would be."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import ClassVar

import attrs

from crabplug import Constraint, ConstraintType, Example, Failure, RecordError, Sample, hookimpl


@attrs.frozen
class LinesSource:
    """JSONL with instruction/response; a bad line becomes a Failure naming file:line."""

    name: ClassVar[str] = "test-lines"
    path: str = ""
    """The JSONL file."""

    def read(self, ctx):
        with open(self.path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    row = json.loads(line)
                    yield Example(instruction=row["instruction"], response=row["response"], source="lines")
                except (ValueError, KeyError, TypeError) as err:
                    yield Failure(stage="seeds", reason=f"bad line: {err}", where=f"{Path(self.path).name}:{n}",
                                  raw=line[:200])


def _check_words(response: str, *, at_least: int) -> bool:
    return len(response.split()) >= at_least


WORDS = ConstraintType(
    id="test:min_words",
    family="test",
    check=_check_words,
    describe=lambda kw, rng: f"Use at least {kw['at_least']} words.",
    derive=lambda ex, rng: {"at_least": len(ex.response.split())},
    kwargs=("at_least",),
)


@attrs.frozen
class CountWords:
    """Derives test:min_words; sleeps to make kill tests possible; fails records whose response says FAIL."""

    name: ClassVar[str] = "test-count"
    delay: float = 0.0
    """Seconds to wait per record."""

    async def translate(self, example, ctx):
        if self.delay:
            time.sleep(self.delay)
        if "FAIL" in example.response:
            raise RecordError("the response asked to fail", raw=example.response)
        kw = WORDS.derive(example, None)
        return [Constraint(type=WORDS.id, kwargs=kw, origin="rule")]


@attrs.frozen
class Join:
    """One sample per record: instruction + each verified constraint phrased; a counter proves order is kept."""

    name: ClassVar[str] = "test-join"

    def combine(self, records, ctx):
        for n, rec in enumerate(records):
            ok = [c for c in rec.constraints if c.verified]
            rng = ctx.rng(rec.id)
            text = " ".join(ctx.registry.constraint_types[c.type].describe(c.kwargs, rng) for c in ok)
            yield Sample(instruction=f"{rec.example.instruction} {text} #{n}", response=rec.example.response,
                         constraints=ok, example_id=rec.id)


@attrs.define
class Out:
    """Streams each sample's instruction to samples.txt (renamed into place on close) and counts them."""

    name: ClassVar[str] = "test-out"
    _file: object = attrs.field(default=None, init=False)
    _rows: int = attrs.field(default=0, init=False)

    def open(self, ctx):
        self._file = open(ctx.run_dir / "samples.txt.tmp", "w", encoding="utf-8")  # noqa: SIM115
        self._rows = 0

    async def write(self, samples, ctx):
        self._file.writelines(s.instruction + "\n" for s in samples)
        self._rows += len(samples)
        return []

    def close(self, ctx):
        self._file.close()
        (ctx.run_dir / "samples.txt.tmp").replace(ctx.run_dir / "samples.txt")
        return {"rows": self._rows}


@hookimpl
def register_seed_sources(register):
    register(LinesSource)


@hookimpl
def register_constraint_types(register):
    register(WORDS)


@hookimpl
def register_back_translators(register):
    register(CountWords)


@hookimpl
def register_combiners(register):
    register(Join)


@hookimpl
def register_outputs(register):
    register(Out)
