"""Outputs ``sft`` (forward task) and ``backtranslation`` (the paper's reverse task), streamed as JSONL.

Both write ``messages`` rows (trl's conversational format) to ``NAME.tmp`` and rename on close, so a killed
run never leaves half a file. Row formats: docs/crab.md.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import AtomicJsonl, ConfigError, Constraint, Context, Sample, read_jsonl


def _messages(sample: Sample, user: str, answer: str) -> list[dict[str, str]]:
    context = [{"role": m["role"], "content": m["content"]} for m in sample.provenance.get("context", [])]
    return [*context, {"role": "user", "content": user}, {"role": "assistant", "content": answer}]


def constraint_row(c: Constraint) -> dict[str, Any]:
    """A constraint in machine-readable form."""
    return {
        "type": c.type,
        "kwargs": dict(c.kwargs),
        "text": c.text,
        "origin": c.origin,
        "verified": c.verified,
        "verified_by": c.verified_by,
    }


def _read_general(path: str) -> list[dict[str, Any]]:
    p = Path(path).expanduser()
    if not p.is_file():
        raise ConfigError(f"output sft: general instruction file {path!r} not found (give a JSONL of messages rows)")
    rows = []
    for where, row in read_jsonl(p, what="general instruction", error=ConfigError, where=True):
        if not isinstance(row.get("messages"), list):
            raise ConfigError(f"output sft: {where} needs a 'messages' list")
        rows.append({"messages": row["messages"]})
    return rows


@attrs.define
class SftOutput:
    """``sft.jsonl``: complex instruction -> original response, with the constraints machine-readable.

    With ``reverse_share`` or ``general`` set, it also writes ``sft-mix.jsonl``: the forward rows plus reverse-task
    rows (so that they are ``reverse_share`` of the CRAB part) and general rows (``general_share`` of the whole),
    in a seeded interleaving. The trainer's own mix (``train: sft``) does the same from the separate files.
    """

    name: ClassVar[str] = "sft"
    path: str = "sft.jsonl"
    """File name in the run directory."""
    ifeval_family: str = "ifeval"
    """Constraints of this family also go into IFEval's ``instruction_id_list`` + ``kwargs`` (``crabplug verify``)."""
    reverse_share: float | None = None
    """Write ``sft-mix.jsonl`` with reverse-task rows as this share of the CRAB part (paper 0.3); None: no mix file."""
    general: str | None = None
    """A JSONL of ``messages`` rows (general instruction data, e.g. ShareGPT) mixed into ``sft-mix.jsonl``."""
    general_share: float = 0.8
    """The general rows' share of the whole mix (paper: 53k of 66.5k, about 0.8); they are sampled or repeated."""
    mix_path: str = "sft-mix.jsonl"
    """File name of the mix."""
    _file: Any = attrs.field(init=False, default=None)
    _mix: Any = attrs.field(init=False, default=None)
    _rows: int = attrs.field(init=False, default=0)
    _constraints: int = attrs.field(init=False, default=0)
    _ifeval: int = attrs.field(init=False, default=0)
    _general: list = attrs.field(init=False, factory=list)
    _mixed: dict = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.reverse_share is not None and not 0 <= self.reverse_share < 1:
            raise ConfigError("output sft: reverse_share must be at least 0 and below 1")
        if not 0 <= self.general_share < 1:
            raise ConfigError("output sft: general_share must be at least 0 and below 1")

    def open(self, ctx: Context) -> None:
        self._general = _read_general(self.general) if self.general else []  # a bad file fails before any write
        self._file = AtomicJsonl(ctx.run_dir / self.path)
        self._rows = self._constraints = self._ifeval = 0
        self._mixed = {"forward": 0, "reverse": 0, "general": 0}
        self._mix = None
        if self.reverse_share is not None or self.general:
            self._mix = AtomicJsonl(ctx.run_dir / self.mix_path)

    def row(self, sample: Sample, ctx: Context) -> dict[str, Any]:
        """One sft.jsonl row."""
        types = ctx.registry.constraint_types
        ifeval = [c for c in sample.constraints if c.type in types and types[c.type].family == self.ifeval_family]
        return {
            "id": sample.id,
            "example_id": sample.example_id,
            "messages": _messages(sample, sample.instruction, sample.response),
            "constraints": [constraint_row(c) for c in sample.constraints],
            "instruction_id_list": [c.type for c in ifeval],
            "kwargs": [dict(c.kwargs) for c in ifeval],
            "source": sample.provenance.get("source", ""),
            "template": sample.provenance.get("template", ""),
            "demonstrations": len(sample.provenance.get("demonstrations", [])),
        }

    def write(self, samples: list[Sample], ctx: Context) -> list:
        for s in samples:
            row = self.row(s, ctx)
            self._file.write(row)
            self._rows += 1
            self._constraints += len(s.constraints)
            self._ifeval += len(row["instruction_id_list"])
            if self._mix is not None:
                self._write_mix(s, row, ctx)
        return []

    def _write_mix(self, sample: Sample, row: dict[str, Any], ctx: Context) -> None:
        rng = ctx.rng("sft-mix", sample.id)
        self._mix.write({"messages": row["messages"], "task": "forward"})
        self._mixed["forward"] += 1
        r = self.reverse_share or 0.0
        # expected reverse rows per forward row r/(1-r); integer part always, the fraction by chance
        want = r / (1 - r)
        for _ in range(int(want) + (rng.random() < want - int(want))):
            rev = reverse_row(sample, ctx, rng)
            if rev is not None:
                self._mix.write({"messages": rev["messages"], "task": "reverse"})
                self._mixed["reverse"] += 1
        if self._general:
            g = self.general_share / (1 - self.general_share) * (1 + want)
            for _ in range(int(g) + (rng.random() < g - int(g))):
                self._mix.write({**rng.choice(self._general), "task": "general"})
                self._mixed["general"] += 1

    def close(self, ctx: Context) -> dict[str, Any]:
        self._file.close()
        stats: dict[str, Any] = {
            "file": self.path,
            "rows": self._rows,
            "constraints": self._constraints,
            "ifeval_constraints": self._ifeval,
            "constraints_per_row": round(self._constraints / self._rows, 3) if self._rows else 0.0,
        }
        if self._mix is not None:
            self._mix.close()
            stats["mix"] = {"file": self.mix_path, **self._mixed}
        return stats


#: reverse-task prompts; {instruction} and {response}
REVERSE_PROMPTS = (
    "Here is an instruction and a response to it. List the constraints that the response satisfies, "
    "which could be added to the instruction.\n\nInstruction:\n{instruction}\n\nResponse:\n{response}",
    "Read the following instruction and answer, then state the constraints (length, format, style, "
    "keywords...) that the answer already follows.\n\n### Instruction\n{instruction}\n\n### Answer\n{response}",
    "Constraint back-translation: given the instruction and the response below, write the constraints "
    "the response meets.\n\n[Instruction]\n{instruction}\n\n[Response]\n{response}",
)
ANSWER_FORMATS = ("numbered", "bullets", "json", "lines", "prose")


def format_answer(phrases: list[str], fmt: str) -> str:
    """The reverse task's answer in one of several formats."""
    if fmt == "numbered":
        return "\n".join(f"{i}. {p}" for i, p in enumerate(phrases, 1))
    if fmt == "bullets":
        return "\n".join(f"- {p}" for p in phrases)
    if fmt == "json":
        return json.dumps({"constraints": phrases}, ensure_ascii=False, indent=2)
    if fmt == "lines":
        return "\n".join(phrases)
    return "The response satisfies these constraints: " + " ".join(phrases)


def reverse_row(sample: Sample, ctx: Context, rng: random.Random, *, lo: int = 3, hi: int = 6) -> dict[str, Any] | None:
    """The reverse task for a sample: base instruction + response -> lo..hi of its constraints (the instruction's
    lines first, then the record's other reader-true ones, ``provenance.also_true``); None if too few."""
    distinct: dict[str, Constraint] = {}
    also = [Constraint.from_dict(d) for d in sample.provenance.get("also_true", ())]
    for c in [*sample.constraints, *also]:
        if c.text:
            distinct.setdefault(c.type, c)
    if len(distinct) < lo:
        return None
    n = rng.randint(lo, min(hi, len(distinct)))
    chosen = rng.sample(list(distinct.values()), n)
    fmt = rng.choice(ANSWER_FORMATS)
    prompt = rng.choice(REVERSE_PROMPTS).format(
        instruction=sample.provenance.get("base_instruction", sample.instruction), response=sample.response
    )
    answer = format_answer([c.text for c in chosen], fmt)
    return {
        "id": sample.id,
        "messages": _messages(sample, prompt, answer),
        "constraints": [constraint_row(c) for c in chosen],
        "format": fmt,
    }


@attrs.define
class BacktranslationOutput:
    """``backtranslation.jsonl``: the paper's reverse task (instruction + response -> 3-6 constraints it meets)."""

    name: ClassVar[str] = "backtranslation"
    path: str = "backtranslation.jsonl"
    """File name in the run directory."""
    min_constraints: int = 3
    """Fewest constraints in an answer (paper 3); samples with fewer distinct types give no row."""
    max_constraints: int = 6
    """Most constraints in an answer (paper 6)."""
    _file: Any = attrs.field(init=False, default=None)
    _rows: int = attrs.field(init=False, default=0)
    _skipped: int = attrs.field(init=False, default=0)
    _formats: dict = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.min_constraints <= self.max_constraints:
            raise ConfigError("output backtranslation: need 1 <= min_constraints <= max_constraints")

    def open(self, ctx: Context) -> None:
        self._file = AtomicJsonl(ctx.run_dir / self.path)
        self._rows = self._skipped = 0
        self._formats = {}

    def write(self, samples: list[Sample], ctx: Context) -> list:
        for s in samples:
            row = reverse_row(
                s, ctx, ctx.rng("backtranslation", s.id), lo=self.min_constraints, hi=self.max_constraints
            )
            if row is None:
                self._skipped += 1
                continue
            self._file.write(row)
            self._rows += 1
            self._formats[row["format"]] = self._formats.get(row["format"], 0) + 1
        return []

    def close(self, ctx: Context) -> dict[str, Any]:
        self._file.close()
        return {
            "file": self.path,
            "rows": self._rows,
            "skipped_too_few": self._skipped,
            "formats": dict(sorted(self._formats.items())),
        }
