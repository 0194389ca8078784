"""Constraint sentences an LLM wrote that say exactly what a code-checkable type checks.

Each registered type may read such sentences itself (``ConstraintType.parse``: the ``ifeval`` family reads
"at least 300 words", "no commas", 'end with the phrase "..."'). A mapped constraint keeps the LLM's sentence
as its text but gets the type's id and kwargs, so the ``code`` verifier decides it instead of an LLM judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType


def map_sentence(sentence: str, types: Mapping[str, ConstraintType]) -> tuple[str, dict[str, Any]] | None:
    """The (type id, kwargs) a sentence states when exactly one code-checkable training type parses it; else None.

    A sentence two types read ("all lowercase and no commas") states two constraints: code checking one of
    them would drop the other, so it stays free text for the judge.
    """
    found = []
    for tid, ctype in sorted(types.items()):
        if ctype.parse is None or ctype.check is None or not ctype.training:
            continue
        kwargs = ctype.parse(sentence)
        if kwargs is not None:
            found.append((tid, dict(kwargs)))
    return found[0] if len(found) == 1 else None
