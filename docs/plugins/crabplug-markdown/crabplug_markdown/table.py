"""``markdown:table``: a markdown (GFM pipe) table with exactly N body rows and M columns."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType, Example

from crabplug_markdown.scan import tables

PHRASINGS = (
    "Include a markdown table with exactly {rows} rows (not counting the header) and {columns} columns.",
    "Present part of your answer as a {columns}-column markdown table with {rows} data rows below its header.",
    "Your response must contain a table in markdown syntax: a header row, then exactly {rows} rows, "
    "each with {columns} columns.",
    "Organize some of the information into a markdown table of {rows} rows by {columns} columns (header not counted).",
)


def check(response: str, *, rows: int, columns: int) -> bool:
    """True when some table in the response has exactly ``rows`` body rows and ``columns`` columns."""
    return any(t.rows == int(rows) and t.columns == int(columns) for t in tables(response))


def describe(kwargs: Mapping[str, Any], rng: random.Random) -> str:
    """One phrasing, picked by ``rng``."""
    return rng.choice(PHRASINGS).format(**kwargs)


def derive(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """The shape of one of the response's tables (picked by ``rng``); None without a table with rows."""
    found = [t for t in tables(example.response) if t.rows > 0]
    if not found:
        return None
    table = rng.choice(found)
    return {"rows": table.rows, "columns": table.columns}


TABLE = ConstraintType(
    id="markdown:table",
    family="markdown",
    check=check,
    describe=describe,
    derive=derive,
    kwargs=("rows", "columns"),
    # a JSON-only answer or one in quotes cannot also hold a markdown table
    conflicts={"detectable_format:json_format", "startend:quotation"},
    summary="a markdown table with exactly N body rows and M columns",
    example={"rows": 3, "columns": 2},
)
