"""A review's decisions about a run: which samples and constraints to drop, kept in ``RUN/review.json``.

``crabplug drop`` adds to them and rebuilds the outputs; the ``view`` page writes the same file, so what a reader
marks there is applied by ``crabplug drop`` exactly as the command-line form would.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import attrs

from crabplug.constraints import check
from crabplug.jsonl import write_atomic

REVIEW_FILE = "review.json"


@attrs.frozen
class Rules:
    """What a review removes."""

    samples: tuple[str, ...] = ()
    """Sample ids to leave out."""
    types: tuple[str, ...] = ()
    """Constraint type ids or globs (``FAMILY:*``) to take out of every record."""
    origins: tuple[str, ...] = ()
    """Constraint origins to take out: ``rule``, ``llm`` (any model) or a model string."""
    failing: bool = False
    """Take out constraints whose type's code check fails on the response today."""

    def merged(self, other: Rules) -> Rules:
        """These rules and ``other``'s, each value once, in order."""
        join = lambda a, b: tuple(dict.fromkeys((*a, *b)))  # noqa: E731
        return Rules(join(self.samples, other.samples), join(self.types, other.types),
                     join(self.origins, other.origins), self.failing or other.failing)

    def matches(self, constraint: Any, response: str, registry: Any) -> bool:
        """Whether a rule takes ``constraint`` out."""
        if any(fnmatch.fnmatchcase(constraint.type, t) for t in self.types):
            return True
        origin = constraint.origin
        if any(o == origin or (o == "llm" and origin != "rule") for o in self.origins):
            return True
        if self.failing:
            ctype = registry.constraint_types.get(constraint.type)
            if ctype is not None and ctype.check is not None:
                try:
                    return not check(ctype, response, constraint.kwargs)
                except (TypeError, ValueError):
                    return True
        return False


def load_rules(run_dir: Path) -> Rules:
    """The rules saved in ``run_dir/review.json`` (none when absent)."""
    path = run_dir / REVIEW_FILE
    if not path.is_file():
        return Rules()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Rules(tuple(data.get("samples", ())), tuple(data.get("types", ())), tuple(data.get("origins", ())),
                 bool(data.get("failing", False)))


def save_rules(run_dir: Path, rules: Rules) -> None:
    """Write the rules to ``run_dir/review.json``."""
    write_atomic(run_dir / REVIEW_FILE, json.dumps(attrs.asdict(rules), indent=2) + "\n")
