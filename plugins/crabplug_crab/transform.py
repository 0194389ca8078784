"""Back-translator ``transform``: constraints made true by a verified, meaning-keeping edit of the response.

Rule back-translation finds only what a response already does. Every registered type with a
:class:`crabplug.Transform` (IFEval's: lowercase, capitals, no commas, JSON, ``<<title>>``, P.S., quotes, the
request repeated, two responses, ``SECTION X``, an end phrase, ``***`` paragraphs, highlights, "My answer is
yes."; a plugin adds its own by setting ``transform=`` on its ConstraintType) is tried on a share of the
records. An accepted edit's constraint has origin ``rule`` and ``verified_by: transform``: the type's check
passed on the edited response. The combiner re-applies the same edits in the same order (same per-record rngs: same
bytes), keeps every other constraint only when code re-verifies it on the edited response, and records the
original response (``provenance.untransformed_response``) so the DPO output pairs the two.

An edit that cannot apply is skipped and counted (``transform.skipped.<type>: <reason>``), never a failure.
"""

from __future__ import annotations

import fnmatch
from typing import Any, ClassVar

import attrs

from crabplug import Annotated, Constraint, Context, Example, StageForecast, TransformSkipped, check
from crabplug_crab import reader

#: ``verified_by`` of a constraint made true by an edit (its origin is ``rule``: code made and checked it)
VERIFIED_BY = "transform"


def _shares(value: Any) -> dict[str, float]:
    return {str(k): float(v) for k, v in (value or {}).items()}


def _globs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def apply_one(ctype, example: Example, response: str, ctx: Context) -> tuple[str, dict[str, Any]]:
    """``ctype``'s edit of ``response`` (raises TransformSkipped), with the per-record rng both stages use."""
    rng = ctx.rng("transform", example.id, ctype.id)
    try:
        return ctype.transform.apply(attrs.evolve(example, response=response, id=example.id), rng)
    except TransformSkipped:
        raise
    except Exception as err:  # noqa: BLE001 - a plugin's bug on one response costs that edit, not the record
        raise TransformSkipped(f"error {type(err).__name__}") from err


@attrs.frozen
class TransformBackTranslator:
    """Constraints that a deterministic edit of the response makes true, each checked by code."""

    name: ClassVar[str] = "transform"
    shares: dict[str, float] = attrs.field(factory=dict, converter=_shares)
    """Share of records tried per type id or glob (``{"punctuation:no_comma": 0.2, "change_case:*": 0}``);
    a type not named uses its transformation's default (IFEval's share of the type / how often the edit applies)."""
    scale: float = 1.0
    """Multiplies every share (0 turns transformations off; 2 doubles them)."""
    max_per_record: int = 2
    """At most this many transformations on one response."""
    types: tuple[str, ...] = attrs.field(default=("*",), converter=_globs)
    """Glob patterns of type ids whose transformations may be used."""
    exclude: tuple[str, ...] = attrs.field(default=(), converter=_globs)
    """Glob patterns of type ids never transformed."""

    def __attrs_post_init__(self) -> None:
        from crabplug import ConfigError

        if self.scale < 0 or any(not 0 <= v <= 1 for v in self.shares.values()):
            raise ConfigError("back-translator transform: shares must be between 0 and 1 and scale at least 0")
        if self.max_per_record < 0:
            raise ConfigError("back-translator transform: max_per_record must be at least 0")

    def share(self, ctype) -> float:
        """The share of records on which ``ctype``'s transformation is tried."""
        value = ctype.transform.share
        for pattern, given in self.shares.items():
            if fnmatch.fnmatchcase(ctype.id, pattern):
                value = given
        return min(1.0, value * self.scale)

    def selected(self, ctx: Context) -> list:
        """Types with a transformation and a check, allowed in training, in application order."""
        out = []
        for tid, ctype in ctx.registry.constraint_types.items():
            if ctype.transform is None or ctype.check is None or not getattr(ctype, "training", True):
                continue  # evaluation-only types (training=False) are never used
            if any(fnmatch.fnmatchcase(tid, g) for g in self.types) and not any(
                fnmatch.fnmatchcase(tid, g) for g in self.exclude
            ):
                out.append(ctype)
        return sorted(out, key=lambda t: (t.transform.order, t.id))

    def forecast(self, example: Example, ctx: Context, pending: tuple[str, ...]) -> StageForecast:
        """Code only: no LLM calls, and every constraint it adds is checked by code."""
        return StageForecast()

    def translate(self, example: Example, ctx: Context) -> list[Constraint]:
        rng = ctx.rng("transform-pick", example.id)
        wanted = [t for t in self.selected(ctx) if rng.random() < self.share(t)]
        # which ones, in random priority (no type loses to another for its place in the order)...
        rng.shuffle(wanted)
        plan: list = []
        for ctype in wanted:
            reason = self._blocked(ctype, plan, example.response)
            if reason is None:  # a trial on the original: one that cannot apply takes no place
                try:
                    edited, kwargs = apply_one(ctype, example, example.response, ctx)
                except TransformSkipped as skip:
                    reason = str(skip)
                else:
                    reason = _judged(ctype, edited, kwargs)
                    edit = {"untransformed_response": example.response, "transforms": [ctype.id]}
                    damage = reader.damaged(edit, edited)
                    if reason is None and damage:  # the kinds of edits readings found damaging (issue 30)
                        reason = f"damages the answer ({damage[0]})"
            if reason is None:
                plan.append(ctype)
            else:
                ctx.count(f"transform.skipped.{ctype.id}: {reason}")
        # ...then applied in their order (content edits, case, punctuation, wrapping)
        response = example.response
        accepted: list[tuple[Any, dict]] = []
        for ctype in sorted(plan, key=lambda t: (t.transform.order, t.id)):
            try:
                edited, kwargs = apply_one(ctype, example, response, ctx)
            except TransformSkipped as skip:
                reason: str | None = str(skip)
            else:
                reason = self._broken(ctype, kwargs, edited, accepted)
            if reason is not None:
                ctx.count(f"transform.skipped.{ctype.id}: {reason}")
                continue
            response = edited
            accepted.append((ctype, kwargs))
            ctx.count(f"transform.applied.{ctype.id}")
        return [
            Constraint(type=t.id, kwargs=kw, origin="rule", verified=True, verified_by=VERIFIED_BY)
            for t, kw in accepted
        ]

    def _blocked(self, ctype, plan: list, original: str) -> str | None:
        if len(plan) >= self.max_per_record:
            return "max_per_record reached"
        if any(ctype.id in t.conflicts or t.id in ctype.conflicts for t in plan):
            return "conflicts with an earlier transformation"
        if not ctype.kwargs and check(ctype, original, {}):
            return "already true"
        return None

    @staticmethod
    def _broken(ctype, kwargs: dict, edited: str, accepted: list) -> str | None:
        reason = _judged(ctype, edited, kwargs)
        if reason is not None:
            return reason
        if not all(check(t, edited, kw) for t, kw in accepted):
            return "breaks an earlier transformation"
        return None


def _judged(ctype, edited: str, kwargs: dict) -> str | None:
    """Why an edit is not kept: its check fails, or a reader sees its constraint broken or trivial (issue 30)."""
    if not check(ctype, edited, kwargs):
        return "its check fails on the edit"
    objection = reader.objection(ctype, kwargs, edited)
    return None if objection is None else f"a reader objects ({objection})"


def transformed(
    rec: Annotated, candidates: list[Constraint], ctx: Context
) -> tuple[str, list[Constraint], list[Constraint], dict[str, Any]]:
    """For the combiner: ``(response, forced, others, provenance)``.

    With no ``transform`` constraint this is ``(original response, [], candidates, {})``. Otherwise the edits
    are re-applied in order; ``forced`` are the transform constraints (always in the sample, as their share
    was drawn by the back-translator); ``others`` are the remaining candidates that do not conflict with them
    and that code re-verifies on the edited response (an LLM-judged one stays only when every edit keeps
    such constraints). Dropped ones are counted.
    """
    types = ctx.registry.constraint_types
    forced = [c for c in candidates if c.verified_by == VERIFIED_BY and c.type in types]
    if not forced:
        return rec.example.response, [], candidates, {}
    response = rec.example.response
    try:
        for c in forced:
            response, kwargs = apply_one(types[c.type], rec.example, response, ctx)
            if kwargs != c.kwargs:
                raise TransformSkipped("not deterministic")
        if not all(check(types[c.type], response, c.kwargs) for c in forced):
            raise TransformSkipped("checks fail on the re-applied edits")
    except TransformSkipped:  # a plugin edit that does not repeat itself: the sample keeps the original answer
        ctx.count("transform.reapply_failed")
        return rec.example.response, [], [c for c in candidates if c not in forced], {}
    keeps_llm = all(types[c.type].transform.keeps_unverifiable for c in forced)
    others = []
    for c in candidates:
        if c in forced:
            continue
        ctype = types.get(c.type)
        if any(c.type == f.type or c.type in types[f.type].conflicts for f in forced) or (
            ctype is not None and any(f.type in ctype.conflicts for f in forced)
        ):
            continue
        if ctype is not None and ctype.check is not None:
            if check(ctype, response, c.kwargs):
                others.append(attrs.evolve(c, verified=True, verified_by="code"))
            else:
                ctx.count("transform.dropped_broken_by_edit")
        elif keeps_llm:
            others.append(c)
        else:
            ctx.count("transform.dropped_unverifiable")
    extra = {"transforms": [c.type for c in forced], "untransformed_response": rec.example.response}
    return response, forced, others, extra
