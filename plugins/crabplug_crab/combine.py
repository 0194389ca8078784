"""Combiner ``crab``: verified constraints -> complex instructions, as in the paper.

Per record: k constraints (with ``p_many`` k uniform in [``many_min``, ``many_max``], else uniform in
[1, available]), drawn one at a time with weights that fall as a type is used more (so the dataset's type
histogram stays flat), never two of one type or two that conflict; phrased, joined to the instruction by a
template (a list in several styles, or woven into the instruction), and with ``p_demos`` preceded by 1-3
earlier samples from a small bounded buffer. Every draw comes from ``ctx.rng(...)``: same config, same bytes.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Collection, Iterator
from typing import Any, ClassVar

import attrs

from crabplug import (
    LANGUAGE_HEADERS,
    Annotated,
    ConfigError,
    Constraint,
    Context,
    Sample,
    describe_in,
    guess_language,
    language_of,
    sayable_in,
)
from crabplug_crab import fits_length, kinds, natural, reader
from crabplug_crab.selection import Selection, conflict
from crabplug_crab.templates import (
    DEMO_HEADERS,
    LIST_HEADERS,
    LIST_STYLES,
    MARKUP,
    WOVEN_LEADS,
    as_sentence,
    ended,
    lower_first,
    tidy,
)
from crabplug_crab.transform import transformed


@attrs.define
class CrabCombiner(Selection):
    """The paper's combination: k constraints by frequency-down-weighted sampling, templates, demonstrations."""

    name: ClassVar[str] = "crab"
    p_many: float = 0.7
    """Probability that k is drawn from [many_min, many_max] (paper 0.7); otherwise k is uniform in [1, available]."""
    many_min: int = 6
    """Lower end of the 'many constraints' range (paper 6)."""
    many_max: int = 8
    """Upper end of the 'many constraints' range (paper 8)."""
    p_woven: float = 0.15
    """Probability that constraints are woven into the instruction as prose instead of a list (paper 0.15)."""
    p_demos: float = 0.5
    """Probability of prepending in-context demonstrations (paper 0.5)."""
    demos_min: int = 1
    """Fewest demonstrations when there are any (paper 1)."""
    demos_max: int = 3
    """Most demonstrations (paper 3)."""
    buffer_size: int = 64
    """How many earlier samples demonstrations are drawn from (a bounded buffer, never the whole dataset)."""
    demo_max_chars: int = 0
    """Cut a demonstration's response to this many characters (0: never; a cut one may break its constraints)."""
    weight_power: float = 4.0
    """A type's draw weight is 1 / (1 + times used so far) ** weight_power; 0 makes every type equally likely."""
    max_constraints: int = 8
    """Most constraints in one sample, whatever k drew: the paper's "available" came from a handful of types; with
    every code-checkable type registered, "uniform in [1, available]" reached 21."""
    min_natural: int = 3
    """Leave out constraints below this natural level (0-5, ``crabplug_crab.natural``: how likely a person asks for
    it): 3 keeps lengths, formats, topic keywords, lowercase, end phrases and leaves out IFEval's form tricks
    (repeat the request, quotes, ALL CAPS), positions ("the 7th word of the 7th sentence"), letter counts, word
    lengths, keyword ceilings, and says each aspect (a length, a case, an ending) once; 0 is the paper's own
    choice: every type, every aspect, no natural weight, no anchor."""
    anchor_natural: int = 4
    """Every sample has a line at this level or above (a length, a format, a topic keyword, a non-English
    language) and at most ``max_weak_lines`` below it ("no !", sentence lengths, quotes): a sample of weak lines
    only reads as arbitrary, so a record that has no such line gives no sample (counted ``crab.no_natural_anchor``);
    0: off."""
    natural_weight: float = 2.0
    """A constraint's draw weight is also multiplied by natural_weight ** its level (1 draws every level alike)."""
    words_per_constraint: int = 40
    """At most 1 + (words of the answer's text) // words_per_constraint constraints: a 40-word answer gets one or
    two lines, a 300-word one eight (0: no cap beyond max_constraints)."""
    single_natural: int = 5
    """A sample of one line has it at this level or above: a length or bullets alone read as a request, "no
    commas" or "Japanese only" alone as picked (docs/reading-60.md); a record with no such line for its one line
    gives no sample (counted ``crab.single_line_dropped``); 0: off."""
    max_weak_lines: int = 1
    """Most lines below ``anchor_natural`` in one sample ("no !", sentence lengths, all lowercase): each reads as
    picked, not asked. Over held-out sets M, N and P (180 samples, docs/reading.md) a sample with two weak lines read
    3.49 of 5, with one 3.89, with none 3.97; 2 until then (1 was tried once, in the fourth round, while plain
    keywords still held samples at 3)."""
    technical_weak_lines: int = 0
    """Most weak lines on an answer with code or a worked problem (``kinds.technical_for``): "no em dashes" and
    "no !" beside the length of a matrix inverse read as picked where the same two beside a story do not (held-out
    L); one alone still did on eight of held-out M's fifteen threes (docs/reading-60.md); never more than
    ``max_weak_lines``."""
    echo_alone: bool = True
    """A length line that says what the request already asks (its own word count or range, a ceiling on a request
    for a short answer, a floor on one for a long answer: ``fits_length.echoes``) has no weak line beside it, those
    going to the reverse task (``provenance.also_true``): readers scored such a line alone 5 and with "sentences of
    at most 30 words" beside it 4 (held-out N, R50; S53, S60; docs/reading-60.md). Counted ``crab.echo_alone``;
    false: off."""
    reader_check: bool = True
    """Leave out constraints a reader sees broken or trivial although the checker passes them (``reader.py``):
    bounds far from the answer's value, ones true only through code or another script, trivial satisfactions;
    and drop a record whose answer is broken (runaway repetition, cut-off JSON or code, a whitespace flood)."""

    def __attrs_post_init__(self) -> None:

        for name in ("p_many", "p_woven", "p_demos"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"combiner crab: {name} must be between 0 and 1")
        if not 1 <= self.many_min <= self.many_max:
            raise ConfigError("combiner crab: need 1 <= many_min <= many_max")
        if not 0 <= self.demos_min <= self.demos_max:
            raise ConfigError("combiner crab: need 0 <= demos_min <= demos_max")
        if self.max_constraints < 1:
            raise ConfigError("combiner crab: max_constraints must be at least 1")
        if not all(0 <= getattr(self, n) <= 5 for n in ("min_natural", "anchor_natural", "single_natural")):
            raise ConfigError("combiner crab: min_natural, anchor_natural and single_natural must be between 0 and 5")
        if self.max_weak_lines < 0 or self.technical_weak_lines < 0:
            raise ConfigError("combiner crab: max_weak_lines and technical_weak_lines must be at least 0")
        if self.natural_weight <= 0 or self.words_per_constraint < 0:
            raise ConfigError("combiner crab: natural_weight must be above 0 and words_per_constraint at least 0")

    # -- phrasing -------------------------------------------------------------------------------------------

    @staticmethod
    def phrase(c: Constraint, types: dict, rng, language: str = "en") -> str:
        """The LLM's own sentence when an LLM wrote it, else the type's describe (in ``language``: see
        ``crabplug.describe_in``; the combiner only asks for what is ``sayable`` in it)."""
        ctype = types.get(c.type)
        if (c.origin != "rule" and c.text) or ctype is None:
            return c.text
        if language != "en":
            return describe_in(ctype, c.kwargs, language, rng) or ""
        return ctype.describe(c.kwargs, rng)

    def phrased(
        self, chosen: list[Constraint], types: dict, rng, ctx: Context, language: str = "en"
    ) -> list[Constraint]:
        """Each constraint with its sentence; a sentence already said is not said twice."""
        out, seen = [], set()
        for c in chosen:
            text = self.phrase(c, types, rng, language)
            key = " ".join(text.lower().split())
            if key in seen:
                ctx.count("crab.duplicate_line_dropped")
                continue
            seen.add(key)
            out.append(attrs.evolve(c, text=text))
        return out

    def echo(self, chosen: list, forced: list, response: str, instruction: str, levels: dict, types: dict, ctx):
        """``chosen`` without its weak lines where a length line says the request's own length (``echo_alone``)."""
        if not (self.echo_alone and self.min_natural and self.anchor_natural):
            return chosen
        if not any(c not in forced and fits_length.echoes(c.type, response, instruction, c.kwargs) for c in chosen):
            return chosen
        kept = [c for c in chosen if c in forced or not self._weak(c, levels, types)]
        if len(kept) < len(chosen):
            ctx.count("crab.echo_alone")
        return kept

    def also_true(
        self, candidates: list[Constraint], chosen: list, types: dict, rng, language: str
    ) -> list[Constraint]:
        """The record's other reader-true lines that clash with none of the sample's (a chosen line clashes with
        itself: same type), phrased: the reverse task (response -> the constraints it meets) may list them, though
        the instruction does not stack them (a weak line past ``max_weak_lines`` reads as picked in a request, not
        in a list of what an answer meets)."""
        out: list[Constraint] = []
        for c in candidates:
            if not any(conflict(c, x, types) for x in [*chosen, *out]):
                out.append(attrs.evolve(c, text=self.phrase(c, types, rng, language)))
        return out

    @staticmethod
    def readable(
        candidates: list[Constraint], response: str, types: dict, ctx: Context, checked: Collection[int] = ()
    ) -> list[Constraint]:
        """The candidates a reader sees kept on ``response``; each one left out is counted with its reason.
        ``checked``: ids of candidates the same checks passed on this response already (the ``rules`` ones)."""
        kept = []
        for c in candidates:
            if id(c) in checked:
                kept.append(c)
                continue
            reason = reader.objection(types.get(c.type), c.kwargs, response)
            if reason is None:
                kept.append(c)
            else:
                ctx.count(f"crab.reader_dropped.{reason}")
        return kept

    @staticmethod
    def sayable(c: Constraint, types: dict, language: str) -> bool:
        """Whether ``c`` can be written for a seed in ``language`` (always, in English): a type with a phrasing
        in it, or an LLM's sentence written in it."""
        ctype = types.get(c.type)
        if (c.origin != "rule" and c.text) or ctype is None:
            return bool(c.text) and guess_language(c.text) == language
        return sayable_in(ctype, c.kwargs, language)

    def join(self, instruction: str, phrases: list[str], rng, language: str = "en") -> tuple[str, str]:
        """The instruction with its constraints, and the template's name.

        The request keeps (or gets) its closing punctuation, and woven constraints each end with theirs, so
        no constraint runs on from the request ("...and sell them Please note: ...").
        """
        phrases = [tidy(p) for p in phrases]
        words = LANGUAGE_HEADERS.get(language, {"list": LIST_HEADERS, "woven": WOVEN_LEADS})
        # a phrase of several lines (an example of the format) cannot run on as prose: it takes the list
        if rng.random() < self.p_woven and not any("\n" in p for p in phrases):
            lead = rng.choice(words["woven"])
            if lead and re.search(r"\byour (?:answer|response|reply)\b|^in your", phrases[0], re.I):
                lead = ""  # not "In your answer, your answer must have 4 paragraphs"
            body = " ".join(as_sentence(p) for p in phrases)
            if lead:
                body = lead + lower_first(body)
            gap = "\n\n" if instruction.rstrip().endswith(MARKUP) else " "
            return f"{ended(instruction)}{gap}{body}", "woven"
        style = rng.choice(sorted(LIST_STYLES))
        header = rng.choice(words["list"])
        items = "\n".join(LIST_STYLES[style](i, p) for i, p in enumerate(phrases, 1))
        return f"{ended(instruction)}\n\n{header}\n{items}", f"list:{style}"

    def demonstrations(self, buffer: collections.deque, rng) -> tuple[str, list[str]]:
        """A block of 1-3 earlier samples (or nothing), and their sample ids."""
        if not buffer or self.demos_max == 0 or rng.random() >= self.p_demos:
            return "", []
        n = rng.randint(max(1, self.demos_min), min(self.demos_max, len(buffer)))
        picked = rng.sample(list(buffer), n)
        header = rng.choice(DEMO_HEADERS)
        blocks = []
        for i, (_sid, instr, resp) in enumerate(picked, 1):
            if self.demo_max_chars and len(resp) > self.demo_max_chars:
                resp = resp[: self.demo_max_chars].rstrip() + " ..."
            blocks.append(f"### Example {i}\nInstruction:\n{instr}\n\nResponse:\n{resp}")
        text = header + "\n\n" + "\n\n".join(blocks) + "\n\n### Your task\n"
        return text, [sid for sid, _, _ in picked]

    # -- the stream -----------------------------------------------------------------------------------------

    def combine(self, records: Iterator[Annotated], ctx: Context) -> Iterator[Sample]:
        types = ctx.registry.constraint_types
        rules_checked = reader_checked(ctx)  # the run's config: the same for every record
        used: collections.Counter = collections.Counter()
        buffer: collections.deque = collections.deque(maxlen=max(1, self.buffer_size))
        for rec in records:
            # an evaluation-only type (training=False) never enters a training sample, whoever proposed it
            held_out = [c for c in rec.constraints if c.type in types and not types[c.type].training]
            if held_out:
                ctx.count("crab.eval_only_dropped", len(held_out))
            broken = reader.broken_seed(rec.example.response) if self.reader_check else None
            if broken:  # its constraints hold only because it is broken ("last word: for" on cut-off code)
                ctx.count(f"crab.broken_seed_dropped.{broken}")
                continue
            candidates = [c for c in rec.constraints if c.verified is True and c not in held_out]
            if not candidates:
                ctx.count("crab.no_verified_constraints")
                continue
            if self.min_natural and kinds.asks_nothing(rec.example.instruction):
                ctx.count("crab.request_asks_nothing")  # "29 year female.": any line on it reads picked (X13)
                continue
            language = language_of(rec.example.metadata)
            if language != "en":  # only what can be said in the seed's language (before any transform edits)
                sayable = [c for c in candidates if self.sayable(c, types, language)]
                if len(sayable) < len(candidates):
                    ctx.count(f"crab.no_phrasing.{language}", len(candidates) - len(sayable))
                candidates = sayable
                if not candidates:
                    ctx.count("crab.no_phrasable_constraints")
                    continue
            rng = ctx.rng("crab", rec.id)
            # lines no person would ask for go first, edits included (the others' edits are re-applied alone)
            candidates, levels = self.natural_ones(candidates, rec, types, ctx)
            # transform constraints (if any) come with an edited response; the others must hold on it too
            response, forced, candidates, edited = transformed(rec, candidates, ctx)
            if self.reader_check:
                seen = rules_checked and response == rec.example.response  # rules looked at this text already
                checked = {id(c) for c in candidates if c.verified_by == "code" and c.origin == "rule"} if seen else ()
                candidates = self.readable(candidates, response, types, ctx, checked)
            candidates = [c for c in candidates if not any(conflict(f, c, types) for f in forced)]
            if not candidates and not forced:  # every constraint was one a reader would object to
                ctx.count("crab.no_readable_constraints")
                continue
            # "Arriving" (a sentence's first word) becomes "arriving" where its check still holds
            cased = [natural.cased(c, types.get(c.type), response) for c in candidates]
            for c, n in zip(candidates, cased, strict=True):
                levels[natural.key(n)] = levels.get(natural.key(c), natural.DEFAULT_LEVEL)
            candidates = [c for c in cased if not any(conflict(f, c, types) for f in forced)]
            if self.anchor_natural and self.min_natural:
                lines = [*forced, *candidates]
                # a type no table knows and no family declared (a new family's) is not judged weak: its record stays
                if not any(self._anchor(c, levels, types) for c in lines):  # "no !" alone, "mention 'track'" alone
                    ctx.count("crab.no_natural_anchor")
                    continue
            k = self.choose_k(len(candidates) + len(forced), rng)
            k = min(k, max(len(forced), natural.length_cap(response, self.words_per_constraint)))
            if self.anchor_natural and self.min_natural and all(self._weak(f, levels, types) for f in forced):
                k = max(k, len(forced) + 1)  # the edits are weak lines: an anchor line joins them
            if self.single_natural and self.min_natural and len(forced) == 1 and self._lone(forced[0], levels, types):
                k = max(k, 2)  # an edit that cannot stand alone: another line joins it
            weak = self.max_weak_lines
            if kinds.technical_for(response, rec.example.instruction):
                weak = min(weak, self.technical_weak_lines)
            chosen = forced + self.pick(candidates, max(0, k - len(forced)), used, types, rng, levels, forced, weak)
            chosen = self.echo(chosen, forced, response, rec.example.instruction, levels, types, ctx)
            if self.single_natural and self.min_natural and len(chosen) == 1 and self._lone(chosen[0], levels, types):
                ctx.count("crab.single_line_dropped")  # "no commas" alone, "Japanese only" alone
                continue
            used.update(c.type for c in chosen)
            phrased = self.phrased(chosen, types, rng, ctx, language)
            also = self.also_true(candidates, chosen, types, ctx.rng("crab.also", rec.id), language)
            texts = [c.text for c in phrased]
            complex_instruction, template = self.join(rec.example.instruction, texts, rng, language)
            # demonstrations are English samples with English headers: none in another language's instruction
            use_demos = self.buffer_size and language == "en"
            demos, demo_ids = self.demonstrations(buffer, rng) if use_demos else ("", [])
            provenance: dict[str, Any] = {
                "source": rec.example.source,
                "base_instruction": rec.example.instruction,
                "template": template,
                "k": len(phrased),
                "demonstrations": demo_ids,
                **edited,
            }
            if also:  # for the reverse task (``backtranslation``): true lines the instruction does not stack
                provenance["also_true"] = [c.to_dict() for c in also]
            if rec.example.context:
                provenance["context"] = [m.to_dict() for m in rec.example.context]
            sample = Sample(
                instruction=demos + complex_instruction,
                response=response,
                constraints=tuple(phrased),
                example_id=rec.id,
                provenance=provenance,
            )
            if language == "en":
                buffer.append((sample.id, complex_instruction, response))
            ctx.count("crab.samples")
            ctx.count(f"crab.template.{'woven' if template == 'woven' else 'list'}")
            if demo_ids:
                ctx.count("crab.with_demonstrations")
            yield sample


def reader_checked(ctx: Context) -> bool:
    """Whether every ``rules`` back-translator of the run kept only what the reader checks pass (its
    ``reader_check``, on by default): then its constraints need no second look on the unedited answer."""
    specs = [s for s in getattr(ctx.config, "back_translators", ()) if getattr(s, "plugin", "") == "rules"]
    return bool(specs) and all(s.options.get("reader_check", True) is True for s in specs)
