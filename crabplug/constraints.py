"""Constraint types (the unit a plugin adds to create a constraint family) and checking them.

The loose IFEval mode lives here, generic for every type: a response passes loosely when any of its
variants (without the first line, the last line, both, or with ``*`` removed) passes strictly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from crabplug.records import Example

CheckFn = Callable[..., bool]
DescribeFn = Callable[[Mapping[str, Any], random.Random], str]
DeriveFn = Callable[[Example, random.Random], "dict[str, Any] | None"]
ParseFn = Callable[[str], "dict[str, Any] | None"]


@attrs.frozen
class TypeOption:
    """An option of a constraint type that a run sets in the config's ``constraints:`` section.

    It changes the data (e.g. which keyword extractor ``derive`` uses), so its resolved value is written to the
    run's config.yaml and a resume with another value is refused.
    """

    default: Any
    """The value when the config does not set one."""
    choices: tuple[Any, ...] = ()
    """Allowed values (empty: any value of the default's type)."""
    help: str = ""
    """One line for ``crabplug constraints`` and the docs."""


class TransformSkipped(Exception):
    """Raised by a :class:`Transform` that cannot apply to a response; the message is the counted reason."""


@attrs.frozen
class Transform:
    """A deterministic, meaning-keeping edit that makes a type true of a copy of a response.

    ``apply(example, rng) -> (new_response, kwargs)`` or raise :class:`TransformSkipped` with a short reason
    (``already json``, ``has code``). The ``transform`` back-translator checks the result with the type's
    ``check`` and re-verifies every other constraint of the sample on the edited response.
    """

    apply: Callable[[Example, random.Random], tuple[str, dict[str, Any]]]
    """The edit."""
    share: float = 0.05
    """Default share of records that get this transformation (a run overrides it per type)."""
    keeps_unverifiable: bool = True
    """False when the edit changes the layout so much (JSON, two responses) that constraints only an LLM can
    judge may no longer hold: those are then dropped from the transformed sample."""
    order: int = 50
    """When several apply to one response, lower orders are applied first (content edits before case changes
    before wrapping the whole response in quotes or JSON)."""


@attrs.frozen
class ConstraintType:
    """A kind of constraint: how to check it, phrase it and (optionally) derive it from a response."""

    id: str
    """Stable namespaced id, ``family:name`` (IFEval's ids verbatim for IFEval's types)."""
    family: str
    """The family it belongs to (``ifeval``, ``crab``, ``markdown``...)."""
    describe: DescribeFn
    """``describe(kwargs, rng) -> str``: one of several natural phrasings, chosen by ``rng``."""
    check: CheckFn | None = None
    """``check(response, **kwargs) -> bool``: deterministic code verification; None if only an LLM can judge."""
    derive: DeriveFn | None = None
    """``derive(example, rng) -> kwargs | None``: kwargs the example's response already satisfies."""
    kwargs: tuple[str, ...] = ()
    """Names of the keyword arguments ``check`` and ``describe`` take."""
    conflicts: frozenset[str] = attrs.field(default=frozenset(), converter=frozenset)
    """Ids of types that must not be combined with this one in one instruction."""
    summary: str = ""
    """One line saying what the type constrains, for ``crabplug constraints``."""
    example: dict[str, Any] = attrs.field(factory=dict)
    """Kwargs for an example phrasing in ``crabplug constraints`` (when empty, ``derive`` on a sample is tried)."""
    training: bool = True
    """False for evaluation-only types (a benchmark's held-out constraints): no back-translator
    derives them and no combiner puts them into a training sample, so a test never leaks into the training data."""

    ranges: dict[str, tuple[int, int]] = attrs.field(factory=dict)
    """Natural range (inclusive) of each numeric kwarg: the values a person would ask for; derive stays inside."""
    trivial: Callable[[str, Mapping[str, Any]], bool] | None = None
    """``trivial(response, kwargs) -> bool``: True when the response meets the constraint in a way no reader counts
    (a palindrome "did", capital words that are "I"); such constraints are left out of training samples."""
    counts: str = ""
    """What the type counts ("sentences", "words"...): two types counting one thing never share a sample. "code":
    the type is about the answer's code itself, so a reader's view of the prose (code set aside) does not apply."""
    natural: int | Callable[[str, str, Mapping[str, Any]], int] | None = None
    """How likely a person asks for this, 0-5 (5: a length or bullets; 1: "the 7th word of the 7th sentence"): the
    ``crab`` combiner draws natural types more often and leaves out those below its ``min_natural``. Or a function
    ``(response, instruction, kwargs) -> level`` when it depends on the answer and the request (bullets that are
    the answer's own structure, not a closing summary's dashes). None: the combiner's own table and conditions
    (``crabplug_crab.natural``, ``crabplug_crab.fits``), 3 for a type it does not know."""
    options: dict[str, TypeOption] = attrs.field(factory=dict)
    """Options a run may set (config ``constraints: {TYPE: {OPTION: VALUE}}``); ``derive`` gets them as keywords."""
    transform: Transform | None = None
    """An edit that makes this type true of a copy of a response (used by the ``transform`` back-translator)."""
    parse: ParseFn | None = None
    """``parse(sentence) -> kwargs | None``: the kwargs a free-text constraint (an LLM's sentence) states when it
    says exactly what this type checks ("at least 300 words"), else None; lets code verify such sentences."""
    language: str = "en"
    """The language ``describe`` writes (M-IFEval's ``ja:`` types: ``ja``); a seed in another language gets the
    constraint only through ``phrasings`` (docs/multilingual.md)."""
    phrasings: dict[str, Callable[[Mapping[str, Any]], str | None]] = attrs.field(factory=dict)
    """``{language: phrase(kwargs) -> str | None}``: the constraint said in another language, for seeds in it; None
    (or no entry) when the check means something else there (a word count in Japanese) or the kwargs cannot be
    said in it. A type without an entry for a seed's language is not written for that seed."""

    def __attrs_post_init__(self) -> None:
        if ":" not in self.id:
            raise ValueError(f"constraint type id {self.id!r} must be namespaced as 'family:name'")
        if not callable(self.describe):
            raise ValueError(f"constraint type {self.id!r} needs a callable describe(kwargs, rng)")


def loose_variants(response: str) -> list[str]:
    """IFEval's loose variants of a response, the response itself first."""
    lines = response.split("\n")
    first = "\n".join(lines[1:]).strip()
    last = "\n".join(lines[:-1]).strip()
    both = "\n".join(lines[1:-1]).strip()
    plain = [response, first, last, both]
    stars = [v.replace("*", "") for v in plain]
    return [response, stars[0], first, last, both, stars[1], stars[2], stars[3]]


def check(ctype: ConstraintType, response: str, kwargs: Mapping[str, Any], *, loose: bool = False) -> bool:
    """IFEval's verdict: an empty (all-whitespace) response never passes; loose tries every variant."""
    if ctype.check is None:
        raise ValueError(f"constraint type {ctype.id!r} has no code check")
    if not loose:  # the common call (verify checks each variant itself): no list, no generator
        return bool(response.strip() and ctype.check(response, **kwargs))
    return any(v.strip() and ctype.check(v, **kwargs) for v in dict.fromkeys(loose_variants(response)))


def type_options(ctype: ConstraintType, settings: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """The option values of ``ctype``: its defaults, overridden by ``settings`` entries whose key (a type id or a
    glob such as ``keywords:*``) matches its id, in the order written."""
    import fnmatch

    values = {name: opt.default for name, opt in ctype.options.items()}
    for pattern, given in (settings or {}).items():
        if fnmatch.fnmatchcase(ctype.id, pattern):
            values.update({k: v for k, v in (given or {}).items() if k in ctype.options})
    return values


def validate_type_options(settings: Mapping[str, Any] | None, types: Mapping[str, ConstraintType]) -> None:
    """Raise ConfigError for a pattern that matches no type, an option no matched type has, or a bad value."""
    import fnmatch

    from crabplug.errors import ConfigError

    for pattern, given in (settings or {}).items():
        matched = [t for tid, t in types.items() if fnmatch.fnmatchcase(tid, pattern)]
        if not matched:
            raise ConfigError(
                f"constraints: {pattern!r} matches no registered constraint type (see crabplug constraints)"
            )
        if not isinstance(given, Mapping):
            raise ConfigError(f"constraints: {pattern!r} must map option names to values, e.g. {{option: value}}")
        for name, value in given.items():
            owners = [t for t in matched if name in t.options]
            if not owners:
                known = sorted({o for t in matched for o in t.options}) or ["none"]
                raise ConfigError(f"constraints: {pattern!r} has no option {name!r} (options: {', '.join(known)})")
            for t in owners:
                choices = t.options[name].choices
                if choices and value not in choices:
                    raise ConfigError(
                        f"constraints: option {name!r} of {t.id} must be one of "
                        f"{', '.join(map(str, choices))}, got {value!r}"
                    )


def resolved_type_options(settings: Mapping[str, Any] | None, types: Mapping[str, ConstraintType]) -> dict[str, dict]:
    """Every type that has options, with the values a run uses (what config.yaml records)."""
    return {tid: type_options(t, settings) for tid, t in sorted(types.items()) if t.options}


def derive_with_options(
    ctype: ConstraintType, example: Example, rng: random.Random, options: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """``ctype.derive(example, rng)``, with the type's option values as keywords when it declares options."""
    if ctype.derive is None:
        return None
    if ctype.options:
        return ctype.derive(example, rng, **(options if options is not None else type_options(ctype, None)))
    return ctype.derive(example, rng)
