"""The paper's LLM back-translator and its YES/NO judge, both named ``llm``.

The back-translator asks a model which constraints a response *already* satisfies, one sentence per
category (the paper's global and local categories, plus length); sentences that state a code-checkable
type are mapped onto it so the ``code`` verifier decides them, the rest wait for the judge. Near-duplicate
sentences (ROUGE-L above 0.6) are dropped. The judge asks "does the response satisfy ...?" and keeps YESes.
Prompts are files in ``prompts/`` (overridable with the ``prompt`` option); see docs/llm-back-translation.md.
"""

from __future__ import annotations

import asyncio
import functools
import string
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal

import attrs

from crabplug import (
    CallEstimate,
    ConfigError,
    Constraint,
    Context,
    Example,
    RecordError,
    StageForecast,
    Verdict,
    can_judge,
)
from crabplug_crab.llm_mapping import map_sentence
from crabplug_crab.llm_parse import constraint_items, dedup, one_sentence, raw_text, yes_no
from crabplug_crab.llm_types import CATEGORIES, type_id


@functools.cache
def _template(path: str | None, bundled: str) -> string.Template:
    if path is None:
        return string.Template(resources.files("crabplug_crab.prompts").joinpath(bundled).read_text("utf-8"))
    try:
        return string.Template(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(
            f"prompt file {path!r} cannot be read ({err.strerror}): fix the llm stage's 'prompt' option"
        ) from None


def _origin(llm: Any, model: str | None) -> str:
    """The model string that wrote or judged a constraint (the door's resolved model when it says)."""
    for obj in (llm, getattr(llm, "settings", None)):
        name = getattr(obj, "model", None)
        if isinstance(name, str) and name:
            return name
    return model or "llm"


def _overrides(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@attrs.frozen
class LLMBackTranslator:
    """Asks an LLM which constraints the response already satisfies, one sentence per category (the paper's method)."""

    name: ClassVar[str] = "llm"

    model: str | None = None
    """The model string (any litellm model); None: the config's ``llm.model``."""
    categories: tuple[str, ...] = attrs.field(default=tuple(CATEGORIES), converter=tuple)
    """The categories asked for, from: length, writing_style, semantic_elements, morphological, multilingual,
    hierarchical_instructions, special_output_format, paragraphs, specific_sentence, key_formatting, item_listing."""
    max_constraints: int = 8
    """At most this many constraints kept per record (after dedup)."""
    temperature: float | None = None
    """Sampling temperature (paper: 0.4); None: the config's ``llm`` default."""
    top_p: float | None = None
    """Nucleus sampling (paper: 0.3); None: the config's ``llm`` default."""
    max_tokens: int | None = None
    """Reply length limit; None: the config's ``llm`` default (bound it for small local models)."""
    dedup_threshold: float = 0.6
    """Drop a sentence whose ROUGE-L F1 with an earlier one of the same record is above this (paper: 0.6)."""
    map_to_code: bool = True
    """Give sentences that state a code-checkable type (e.g. "at least 200 words") that type, so code checks them."""
    min_words: int = 3
    """Sentences shorter than this many words are discarded as unusable."""
    max_words: int = 40
    """Sentences longer than this many words are discarded as unusable (the paper asks for 10-20)."""
    mode: Literal["json", "per_category"] = "json"
    """``json``: one call per record answering every category as JSON (the paper's way); ``per_category``: one
    short plain-text question per category (more calls, but small models that cannot write JSON manage it)."""
    prompt: str | None = None
    """A prompt file replacing the bundled ``prompts/back_translate.txt`` (``$instruction``, ``$response``,
    ``$categories``, ``$max_constraints`` are filled in)."""
    category_prompt: str | None = None
    """A prompt file replacing the bundled ``prompts/back_translate_one.txt`` of the ``per_category`` mode
    (``$instruction``, ``$response``, ``$category``, ``$description``, ``$example``)."""

    def __attrs_post_init__(self) -> None:
        unknown = [c for c in self.categories if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown categories {unknown}; choose from {', '.join(CATEGORIES)}")
        if not self.categories:
            raise ValueError("categories must name at least one category")
        _template(self.prompt, "back_translate.txt")  # a missing prompt file fails at config time
        _template(self.category_prompt, "back_translate_one.txt")

    def messages(self, example: Example) -> list[dict[str, str]]:
        """The chat messages of the ``json`` mode for ``example``."""
        text = _template(self.prompt, "back_translate.txt").safe_substitute(
            instruction=example.instruction,
            response=example.response,
            categories="\n".join(f"- {c}: {CATEGORIES[c][0]}" for c in self.categories),
            max_constraints=self.max_constraints,
        )
        return [{"role": "user", "content": text}]

    def category_messages(self, example: Example, category: str) -> list[dict[str, str]]:
        """The chat messages of the ``per_category`` mode for one category."""
        description, sample = CATEGORIES[category]
        text = _template(self.category_prompt, "back_translate_one.txt").safe_substitute(
            instruction=example.instruction, response=example.response, category=category,
            description=description, example=sample,
        )  # fmt: skip
        return [{"role": "user", "content": text}]

    async def _ask_json(self, llm: Any, example: Example, ctx: Context) -> tuple[list[tuple[str, str]], int, str]:
        data = await llm.complete_json(self.messages(example), stage="back_translate:llm")
        parsed = constraint_items(data, categories=self.categories)
        if parsed is None:
            ctx.count("llm.malformed")
            raise RecordError("the model's reply is not a list of constraints by category", raw=raw_text(data))
        return *parsed, raw_text(data)

    async def _ask_per_category(self, llm: Any, example: Example) -> tuple[list[tuple[str, str]], int, str]:
        replies = await asyncio.gather(
            *(llm.complete(self.category_messages(example, c), stage="back_translate:llm") for c in self.categories)
        )
        items, unusable = [], 0
        for category, reply in zip(self.categories, replies, strict=True):
            sentence = one_sentence(reply)
            if sentence is None:
                continue
            if sentence:
                items.append((category, sentence))
            else:
                unusable += 1
        raw = "\n".join(f"{c}: {r}" for c, r in zip(self.categories, replies, strict=True))
        return items, unusable, raw

    def forecast(self, example: Example, ctx: Context, pending: tuple[str, ...]) -> StageForecast:
        """The calls :meth:`translate` makes for ``example`` (one, or one per category) and the candidates left
        for the judge: one per kept category, an upper bound, since models word constraints so that code rarely
        maps them (measured: 7 of 8 sentences judged, docs/llm.md)."""
        budget = self.max_tokens
        if self.mode == "json":
            typical = 25 * len(self.categories) + 10  # about one 20-word sentence per category, and the braces
            calls = (CallEstimate("back_translate:llm", self.messages(example), budget, typical, self.model),)
        else:
            calls = tuple(
                CallEstimate("back_translate:llm", self.category_messages(example, c), budget, 25, self.model)
                for c in self.categories
            )
        kept = self.categories[: self.max_constraints]
        return StageForecast(calls=calls, pending=tuple(CATEGORIES[c][1] for c in kept))

    async def translate(self, example: Example, ctx: Context) -> list[Constraint]:
        llm = ctx.llm(
            self.model, **_overrides(temperature=self.temperature, top_p=self.top_p, max_tokens=self.max_tokens)
        )
        if self.mode == "json":
            items, unusable, raw = await self._ask_json(llm, example, ctx)
        else:
            items, unusable, raw = await self._ask_per_category(llm, example)
        fits = [(c, s) for c, s in items if self.min_words <= len(s.split()) <= self.max_words]
        unusable += len(items) - len(fits)
        ctx.count("llm.proposed", len(fits))
        ctx.count("llm.unusable", unusable)
        if not fits and unusable:
            raise RecordError(f"none of the model's {unusable} constraints was usable", raw=raw)
        keep = dedup([s for _, s in fits], self.dedup_threshold)
        ctx.count("llm.near_duplicates", len(fits) - len(keep))
        origin = _origin(llm, self.model)
        types = ctx.registry.constraint_types if ctx.registry is not None else {}
        found: dict[str, Constraint] = {}
        free = set()
        for category, sentence in (fits[i] for i in keep):
            mapped = map_sentence(sentence, types) if self.map_to_code else None
            tid, kwargs = mapped or (type_id(category), {})
            c = Constraint(type=tid, kwargs=kwargs, text=sentence, origin=origin, verified=None)
            found.setdefault(c.key, c)  # one sentence per category: the paper's shape, and the pipeline's key
            if not mapped:
                free.add(c.key)
        kept = list(found.values())[: self.max_constraints]
        ctx.count("llm.mapped_to_code", sum(c.key not in free for c in kept))
        ctx.count("llm.kept", len(kept))
        return kept


@attrs.frozen
class LLMJudge:
    """Asks an LLM "does the response satisfy <constraint>?" (YES/NO) for constraints no code can check."""

    name: ClassVar[str] = "llm"

    model: str | None = None
    """The judging model (any litellm model); None: the config's ``llm.model``."""
    temperature: float | None = 0.0
    """Sampling temperature for the verdict; None: the config's ``llm`` default."""
    max_tokens: int | None = 16
    """Reply length limit for the verdict (the first YES/NO word is read); None: the config's ``llm`` default."""
    only_unchecked: bool = True
    """Pass (``ok=None``) on constraints whose type has a code check, leaving them to the ``code`` verifier."""
    prompt: str | None = None
    """A prompt file replacing the bundled ``prompts/judge.txt`` (``$instruction``, ``$response``, ``$constraint``)."""
    trust_small_judge: bool = False
    """Let a YES from a model declared too small to judge (the embedded one) verify a constraint; by default such
    constraints stay candidates: out of the training data, counted in the card."""

    def __attrs_post_init__(self) -> None:
        _template(self.prompt, "judge.txt")

    def messages(self, example: Example, constraint: Constraint) -> list[dict[str, str]]:
        """The chat messages sent to judge ``constraint`` on ``example``'s response."""
        text = _template(self.prompt, "judge.txt").safe_substitute(
            instruction=example.instruction, response=example.response, constraint=constraint.text
        )
        return [{"role": "user", "content": text}]

    def forecast(self, example: Example, ctx: Context, pending: tuple[str, ...]) -> StageForecast:
        """One YES/NO call per candidate only an LLM can judge (``pending``); the first word answers."""
        return StageForecast(
            calls=tuple(
                CallEstimate(
                    "verify:llm",
                    self.messages(example, Constraint(type="llm:forecast", text=text, origin="llm")),
                    self.max_tokens,
                    2,
                    self.model,
                )
                for text in pending
            )
        )

    async def verify(self, example: Example, constraint: Constraint, ctx: Context) -> Verdict:
        ctype = ctx.registry.constraint_types.get(constraint.type) if ctx.registry is not None else None
        if self.only_unchecked and ctype is not None and ctype.check is not None:
            return Verdict(ok=None, reason="left to the code verifier", by=self.name)
        if not constraint.text.strip():
            return Verdict(ok=None, reason="no constraint text to ask about", by=self.name)
        llm = ctx.llm(self.model, **_overrides(temperature=self.temperature, max_tokens=self.max_tokens))
        reply = await llm.complete(self.messages(example, constraint), stage="verify:llm")
        ok = yes_no(reply)
        ctx.count({True: "llm.judge_yes", False: "llm.judge_no", None: "llm.judge_unparsed"}[ok])
        by = f"llm:{_origin(llm, self.model)}"
        if ok is None:
            return Verdict(ok=None, reason=f"no YES/NO in the judge's reply: {reply[:80]!r}", by=by)
        model = _origin(llm, self.model)
        if ok and not self.trust_small_judge and not can_judge(ctx.registry, model):
            ctx.count("llm.judge_too_small_yes")  # the card lists them as candidates, not training data
            return Verdict(
                ok=None,
                reason=f"candidate: {model} said YES but is too small to judge "
                "(the llm verifier's trust_small_judge: true keeps it)",
                by=by,
            )
        return Verdict(ok=ok, reason="judge said YES" if ok else "judge said NO", by=by)
