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
    variants = loose_variants(response) if loose else [response]
    return any(v.strip() and ctype.check(v, **kwargs) for v in variants)
