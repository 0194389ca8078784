"""``markdown:numbered_steps``: a numbered list (1., 2., 3., ...) of exactly or at least N steps."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType, Example

from crabplug_markdown.scan import numbered_lists

RELATIONS = ("exactly", "at least")

PHRASINGS = (
    "Lay out the answer as a numbered list of {relation} {num_steps} steps (1., 2., 3., ...).",
    "Include step-by-step instructions as a numbered list with {relation} {num_steps} steps.",
    "Your response must contain a numbered list, numbered from 1, with {relation} {num_steps} items.",
    "Break the process down into {relation} {num_steps} numbered steps.",
)


def check(response: str, *, num_steps: int, relation: str = "exactly") -> bool:
    """True when some numbered list has ``num_steps`` items (``exactly``) or that many or more (``at least``)."""
    if relation not in RELATIONS:
        raise ValueError(f"relation must be one of {RELATIONS}, got {relation!r}")
    lengths = numbered_lists(response)
    if relation == "exactly":
        return int(num_steps) in lengths
    return any(n >= int(num_steps) for n in lengths)


def describe(kwargs: Mapping[str, Any], rng: random.Random) -> str:
    """One phrasing, picked by ``rng``."""
    return rng.choice(PHRASINGS).format(**{"relation": "exactly", **kwargs})


def derive(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """``exactly`` the length of one of its lists, or ``at least`` a smaller round count; None without a list."""
    lengths = [n for n in numbered_lists(example.response) if n >= 2]  # a one-item "list" is not steps
    if not lengths:
        return None
    n = rng.choice(lengths)
    if n >= 4 and rng.random() < 0.4:
        return {"num_steps": rng.randint(3, n), "relation": "at least"}
    return {"num_steps": n, "relation": "exactly"}


NUMBERED_STEPS = ConstraintType(
    id="markdown:numbered_steps",
    family="markdown",
    check=check,
    describe=describe,
    derive=derive,
    kwargs=("num_steps", "relation"),
    conflicts={"detectable_format:json_format", "startend:quotation"},
    summary="a numbered list of exactly / at least N steps",
    example={"num_steps": 5, "relation": "exactly"},
)
