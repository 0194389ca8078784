"""Output ``rlvr``: prompts with their constraints as ground truth, for RL with verifiable rewards (GRPO).

Each sample gives one prompt row (no response): its base instruction plus 1..N of its verified constraints,
drawn so that no two conflict and no type marked ``training=False`` (benchmark families such as IFBench's)
is ever used. Two files:

- ``rlvr.jsonl``, crabplug's format: ``prompt`` (trl's conversational prompt) and ``constraints``
  (``[{type, kwargs, text, ...}]``), read by the ``grpo`` trainer and :mod:`crabplug.rewards`;
- ``rlvr-open-instruct.jsonl``, open-instruct's RLVR format: ``messages``, ``ground_truth`` (the JSON of
  ``instruction_id`` and ``kwargs``, as its IFEvalG verifier reads it) and ``dataset`` (``ifeval``), with only
  types open-instruct knows (the ``ifeval`` and ``iftrain`` families), so its GRPO scripts read it unchanged
  (single-turn prompts only: its default loader takes every message but the last as the prompt).

Rows are drawn with ``ctx.rng``: same config, same bytes. Formats: docs/rlvr.md.
"""

from __future__ import annotations

import json
import random
from typing import Any, ClassVar

import attrs

from crabplug import AtomicJsonl, ConfigError, Constraint, Context, Sample


def constraint_row(c: Constraint) -> dict[str, Any]:
    """A constraint as ground truth: type, kwargs (no None values) and its phrasing."""
    return {"type": c.type, "kwargs": {k: v for k, v in c.kwargs.items() if v is not None}, "text": c.text}


def ground_truth(constraints: list[Constraint]) -> str:
    """open-instruct's ``ground_truth``: ``[{"instruction_id": [...], "kwargs": [...]}]`` as text.

    Its verifier reads it with ``ast.literal_eval`` then takes element 0, and ``json.loads`` it when that is a
    string. Plain JSON is a Python literal unless it holds true/false/null, so those rows carry the object as
    a JSON string inside the list, which both readings accept.
    """
    obj = {
        "instruction_id": [c.type for c in constraints],
        "kwargs": [constraint_row(c)["kwargs"] for c in constraints],
    }
    text = json.dumps([obj], ensure_ascii=False)
    literal_safe = not any(v is True or v is False for kw in obj["kwargs"] for v in _leaves(kw))
    return text if literal_safe else json.dumps([json.dumps(obj, ensure_ascii=False)], ensure_ascii=False)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _leaves(v)]
    return [value]


@attrs.define
class RlvrOutput:
    """``rlvr.jsonl`` and ``rlvr-open-instruct.jsonl``: prompts whose constraints are the verifiable reward."""

    name: ClassVar[str] = "rlvr"
    path: str = "rlvr.jsonl"
    """crabplug's format (``prompt``, ``constraints``), in the run directory."""
    open_instruct_path: str | None = "rlvr-open-instruct.jsonl"
    """open-instruct's format (``messages``, ``ground_truth``, ``dataset``); None: not written."""
    open_instruct_families: tuple[str, ...] = attrs.field(default=("ifeval", "iftrain"), converter=tuple)
    """Constraint families open-instruct's IFEvalG verifier knows (their ids are open-instruct's verbatim)."""
    dataset: str = "ifeval"
    """The ``dataset`` column: the open-instruct verifier that scores the row."""
    min_constraints: int = 1
    """Fewest constraints in a prompt; samples with fewer usable ones give no row."""
    max_constraints: int = 6
    """Most constraints in a prompt (IF-RLVR: more helped, up to 5-6)."""
    soft: bool = False
    """Also use constraints no code can check (judged by an LLM at training time: the VerIF hybrid)."""
    _files: list = attrs.field(init=False, factory=list)
    _counts: dict = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.min_constraints <= self.max_constraints:
            raise ConfigError("output rlvr: need 1 <= min_constraints <= max_constraints")

    def open(self, ctx: Context) -> None:
        self._files = [AtomicJsonl(ctx.run_dir / self.path)]
        if self.open_instruct_path:
            self._files.append(AtomicJsonl(ctx.run_dir / self.open_instruct_path))
        self._counts = {"rows": 0, "open_instruct_rows": 0, "skipped_too_few": 0, "constraints": 0, "types": {}}
        self._counts["open_instruct_skipped_multi_turn"] = 0

    def usable(self, c: Constraint, types: dict, families: tuple[str, ...] | None = None) -> bool:
        """Whether ``c`` may be a training reward: known, meant for training, checkable (or soft when allowed)."""
        ctype = types.get(c.type)
        if ctype is None:
            return self.soft and families is None and c.type.startswith("llm:") and bool(c.text)
        if not getattr(ctype, "training", True):  # benchmark families stay out of training data
            return False
        if families is not None and ctype.family not in families:
            return False
        return ctype.check is not None or (self.soft and families is None and bool(c.text))

    def draw(self, sample: Sample, ctx: Context, families: tuple[str, ...] | None, rng: random.Random) -> list:
        """1..N usable constraints of the sample, one per type, none conflicting; [] when too few."""
        from crabplug_crab.combine import conflict

        types = ctx.registry.constraint_types
        pool = [c for c in sample.constraints if c.verified is not False and self.usable(c, types, families)]
        rng.shuffle(pool)
        chosen: list[Constraint] = []
        for c in pool:
            if not any(conflict(c, o, types) for o in chosen):
                chosen.append(c)
        if len(chosen) < self.min_constraints:
            return []
        return chosen[: rng.randint(self.min_constraints, min(self.max_constraints, len(chosen)))]

    def prompt(self, sample: Sample, chosen: list[Constraint], ctx: Context, rng: random.Random) -> list[dict]:
        """The prompt messages: earlier turns, then the base instruction joined with the chosen constraints."""
        from crabplug_crab.combine import CrabCombiner

        types = ctx.registry.constraint_types
        phrases = [c.text or CrabCombiner.phrase(c, types, rng) for c in chosen]
        base = sample.provenance.get("base_instruction", sample.instruction)
        text, _template = CrabCombiner().join(base, phrases, rng)
        context = [{"role": m["role"], "content": m["content"]} for m in sample.provenance.get("context", [])]
        return [*context, {"role": "user", "content": text}]

    def write(self, samples: list[Sample], ctx: Context) -> list:
        for s in samples:
            rng = ctx.rng("rlvr", s.id)
            chosen = self.draw(s, ctx, None, rng)
            if not chosen:
                self._counts["skipped_too_few"] += 1
                continue
            self._files[0].write(
                {
                    "id": s.id,
                    "example_id": s.example_id,
                    "prompt": self.prompt(s, chosen, ctx, rng),
                    "constraints": [constraint_row(c) for c in chosen],
                    "source": s.provenance.get("source", ""),
                }
            )
            self._counts["rows"] += 1
            self._counts["constraints"] += len(chosen)
            for c in chosen:
                self._counts["types"][c.type] = self._counts["types"].get(c.type, 0) + 1
            if len(self._files) > 1:
                self._write_open_instruct(s, ctx)
        return []

    def _write_open_instruct(self, sample: Sample, ctx: Context) -> None:
        if sample.provenance.get("context"):  # open-instruct's default loader takes messages[:-1] as the prompt
            self._counts["open_instruct_skipped_multi_turn"] += 1
            return
        rng = ctx.rng("rlvr-open-instruct", sample.id)
        chosen = self.draw(sample, ctx, self.open_instruct_families, rng)
        if chosen:
            row = {
                "id": sample.id,
                "messages": self.prompt(sample, chosen, ctx, rng),
                "ground_truth": ground_truth(chosen),
                "dataset": self.dataset,
            }
            self._files[1].write(row)
            self._counts["open_instruct_rows"] += 1

    def close(self, ctx: Context) -> dict[str, Any]:
        for f in self._files:
            f.close()
        rows = self._counts["rows"]
        return {
            "file": self.path,
            "open_instruct_file": self.open_instruct_path,
            **{k: v for k, v in self._counts.items() if k != "types"},
            "constraints_per_row": round(self._counts["constraints"] / rows, 3) if rows else 0.0,
            "types": dict(sorted(self._counts["types"].items())),
        }
