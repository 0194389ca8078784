"""``markdown:heading_levels``: a heading hierarchy that uses exactly levels 1..k and never skips a level."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType, Example

from crabplug_markdown.scan import heading_levels

PHRASINGS = (
    "Structure your answer with markdown headings using levels 1 to {max_level} (# to {hashes}), "
    "starting with a level-1 heading and never skipping a level.",
    "Use a heading hierarchy {depth} deep: begin with a # title, and let each heading go at most one level "
    "deeper than the one before it, down to {hashes}.",
    "Organize the response under markdown headings: the first is a top-level # heading, headings never skip "
    "a level, and the deepest level used is exactly {max_level}.",
)

#: for k = 1 "levels 1 to 1" reads badly: say "only top-level headings"
FLAT = (
    "Divide your answer into sections with top-level markdown headings (# Title) only, and no subheadings.",
    "Give each part of your answer a level-1 # heading; do not use ## or deeper headings.",
    "Use markdown headings, all of them at level 1 (a single #), starting with one.",
)


def hierarchy_depth(levels: list[int]) -> int | None:
    """k when the levels start at 1, never go more than one level deeper at a time, and reach k; else None."""
    if not levels or levels[0] != 1:
        return None
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            return None
    return max(levels)


def check(response: str, *, max_level: int) -> bool:
    """True when the response's headings form an unbroken hierarchy whose deepest level is ``max_level``."""
    return hierarchy_depth(heading_levels(response)) == int(max_level)


def describe(kwargs: Mapping[str, Any], rng: random.Random) -> str:
    """One phrasing, picked by ``rng``."""
    k = int(kwargs["max_level"])
    depth = {2: "two levels", 3: "three levels"}.get(k, f"{k} levels")
    return rng.choice(FLAT if k == 1 else PHRASINGS).format(max_level=k, hashes="#" * k, depth=depth)


def derive(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """The depth of the response's heading hierarchy; None without headings or when it skips a level."""
    depth = hierarchy_depth(heading_levels(example.response))
    return None if depth is None else {"max_level": depth}


HEADING_LEVELS = ConstraintType(
    id="markdown:heading_levels",
    family="markdown",
    check=check,
    describe=describe,
    derive=derive,
    kwargs=("max_level",),
    # IFEval's "Section X" markers would compete with the headings for the structure
    conflicts={"detectable_format:json_format", "startend:quotation", "detectable_format:multiple_sections"},
    summary="markdown headings using exactly levels 1..k, never skipping a level",
    example={"max_level": 2},
)
