"""Output ``dpo``: preference pairs for the paper's DPO stage, each rejected answer verified to break a constraint.

The paper does not publish how its rejected responses were made. Here a pair is kept only when code proves it
informative: the chosen response (the original) passes every code-checkable constraint of the sample, and the
rejected one fails at least one of them; the failed ones are recorded in ``violated``. Two strategies:

- ``perturb`` (offline, no model): edit the response — cut it short, repeat it, change its case, merge its
  paragraphs, strip its formatting, drop its keywords, add punctuation — and keep the edit that breaks the
  fewest constraints (at least one): near misses teach more than garbage.
- ``llm``: the LLM answers the original, simple instruction; kept when its answer verifiably breaks a
  constraint, otherwise (with ``fallback: perturb``) a perturbation is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

import attrs

from crabplug import AtomicJsonl, ConfigError, Constraint, Context, Failure, RecordError, Sample, check

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_MARKUP_LINE = re.compile(r"^\s*(?:[*\-+]|\d+[.)]|#{1,6})\s+", re.M)
_MARKUP = re.compile(r"\*\*|__|`+|<<|>>|^\s*>\s?", re.M)
_NOISE = 'Note: this, too; is it (really)? Yes! "Of course" — 100% / #1 & more… *done* - see: http://x'


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _truncate(text: str, sample: Sample) -> str:
    parts = _sentences(text)
    return " ".join(parts[: max(1, len(parts) // 3)]) if len(parts) > 1 else " ".join(text.split()[:5])


def _repeat(text: str, sample: Sample) -> str:
    return f"{text}\n\n{text}\n\n{text}"


def _lower(text: str, sample: Sample) -> str:
    return text.lower()


def _upper(text: str, sample: Sample) -> str:
    return text.upper()


def _merge_paragraphs(text: str, sample: Sample) -> str:
    return _PARAGRAPH_BREAK.sub(" ", text).replace("\n", " ")


def _strip_markup(text: str, sample: Sample) -> str:
    return _MARKUP.sub("", _MARKUP_LINE.sub("", text))


def _drop_keywords(text: str, sample: Sample) -> str:
    words = {w for c in sample.constraints for w in _strings(c.kwargs) if len(w) > 2}
    for w in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(w), "", text, flags=re.I)
    return text


def _add_punctuation(text: str, sample: Sample) -> str:
    return f"{text.rstrip()}\n\n{_NOISE}"


def _strings(kwargs: Any) -> list[str]:
    out: list[str] = []
    for v in (kwargs or {}).values():
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list | tuple):
            out.extend(x for x in v if isinstance(x, str))
    return out


#: name -> edit(response, sample); the order is only a tie-break after the fewest-violations rule
PERTURBATIONS: dict[str, Callable[[str, Sample], str]] = {
    "truncate": _truncate,
    "repeat": _repeat,
    "lowercase": _lower,
    "uppercase": _upper,
    "merge_paragraphs": _merge_paragraphs,
    "strip_markup": _strip_markup,
    "drop_keywords": _drop_keywords,
    "add_punctuation": _add_punctuation,
}


def checkable(sample: Sample, ctx: Context) -> list[Constraint]:
    """The sample's constraints that a registered type can check by code."""
    types = ctx.registry.constraint_types
    return [c for c in sample.constraints if c.type in types and types[c.type].check is not None]


def violated(response: str, constraints: list[Constraint], ctx: Context) -> list[Constraint] | None:
    """Constraints ``response`` fails (strict IFEval verdict); None when a check cannot run on it."""
    types = ctx.registry.constraint_types
    try:
        return [c for c in constraints if not check(types[c.type], response, c.kwargs)]
    except Exception:  # a check that cannot judge this text proves nothing
        return None


def best_perturbation(sample: Sample, constraints: list[Constraint], ctx: Context) -> tuple[str, str, list] | None:
    """``(name, rejected, violated)`` for the edit breaking the fewest (>= 1) constraints; None if none breaks any."""
    order = list(PERTURBATIONS)
    ctx.rng("dpo-perturb", sample.id).shuffle(order)
    best = None
    for name in order:
        rejected = PERTURBATIONS[name](sample.response, sample)
        if not rejected.strip() or rejected == sample.response:
            continue
        broken = violated(rejected, constraints, ctx)
        if broken and (best is None or len(broken) < len(best[2])):
            best = (name, rejected, broken)
    return best


def _brief(c: Constraint) -> dict[str, Any]:
    return {"type": c.type, "kwargs": dict(c.kwargs), "text": c.text}


@attrs.define
class DpoOutput:
    """``dpo.jsonl``: conversational ``{prompt, chosen, rejected}`` pairs; each rejected breaks a constraint."""

    name: ClassVar[str] = "dpo"
    path: str = "dpo.jsonl"
    """File name in the run directory."""
    strategy: str = "perturb"
    """``perturb`` (code edits of the response, offline) or ``llm`` (the LLM answers the simple instruction)."""
    fallback: str | None = "perturb"
    """With ``strategy: llm``: what to do when the LLM's answer breaks nothing (``perturb``, or None to skip)."""
    model: str | None = None
    """With ``strategy: llm``: the model (None: the config's ``llm.model``)."""
    _file: Any = attrs.field(init=False, default=None)
    _counts: dict = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.strategy not in ("perturb", "llm"):
            raise ConfigError(f"output dpo: strategy must be 'perturb' or 'llm', not {self.strategy!r}")
        if self.fallback not in (None, "perturb"):
            raise ConfigError(f"output dpo: fallback must be 'perturb' or null, not {self.fallback!r}")

    def open(self, ctx: Context) -> None:
        self._file = AtomicJsonl(ctx.run_dir / self.path)
        self._counts = {"rows": 0, "no_checkable_constraint": 0, "chosen_fails": 0, "nothing_violated": 0, "by": {}}

    async def write(self, samples: list[Sample], ctx: Context) -> list[Failure]:
        failures = []
        for sample in samples:
            try:
                row = await self._pair(sample, ctx)
            except RecordError as err:
                failures.append(
                    Failure(stage="output:dpo", reason=str(err), record_id=sample.example_id, raw=err.raw[:2000])
                )
                continue
            if row is not None:
                self._file.write(row)
                self._counts["rows"] += 1
                self._counts["by"][row["strategy"]] = self._counts["by"].get(row["strategy"], 0) + 1
        return failures

    async def _pair(self, sample: Sample, ctx: Context) -> dict[str, Any] | None:
        constraints = checkable(sample, ctx)
        if not constraints:
            self._counts["no_checkable_constraint"] += 1
            return None
        if violated(sample.response, constraints, ctx) != []:
            self._counts["chosen_fails"] += 1
            return None
        found = None
        original = sample.provenance.get("untransformed_response")
        if original:  # a transformed chosen pairs naturally with the response before the edit
            broken = violated(original, constraints, ctx)
            found = ("transform", original, broken) if broken else None
        if found is None and self.strategy == "llm":
            found = await self._from_llm(sample, constraints, ctx)
        if found is None and (self.strategy == "perturb" or self.fallback == "perturb"):
            found = best_perturbation(sample, constraints, ctx)
            found = (f"perturb:{found[0]}", found[1], found[2]) if found else None
        if found is None:
            self._counts["nothing_violated"] += 1
            return None
        strategy, rejected, broken = found
        return {
            "id": sample.id,
            "example_id": sample.example_id,
            "prompt": [{"role": "user", "content": sample.instruction}],
            "chosen": [{"role": "assistant", "content": sample.response}],
            "rejected": [{"role": "assistant", "content": rejected}],
            "constraints": [_brief(c) for c in constraints],
            "violated": [_brief(c) for c in broken],
            "strategy": strategy,
        }

    async def _from_llm(self, sample: Sample, constraints: list[Constraint], ctx: Context):
        simple = sample.provenance.get("base_instruction") or sample.instruction
        answer = await ctx.llm(self.model).complete(simple, stage="output:dpo")
        broken = violated(answer, constraints, ctx)
        return ("llm", answer, broken) if broken else None

    def close(self, ctx: Context) -> dict[str, Any]:
        self._file.close()
        return {"file": self.path, **self._counts}
