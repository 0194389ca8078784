"""Which models may verify a constraint with their YES: plugins declare the ones too small to judge.

A 135M model answers YES to almost anything; a constraint that only such a judge passed is no evidence, so the
LLM judge keeps it as a *candidate* (unverified, out of the training data, counted in the card) unless the
config opts in. A plugin serving a model declares it through the ``too_small_to_judge(model)`` hook.
"""

from __future__ import annotations

from typing import Any


def can_judge(registry: Any, model: str) -> bool:
    """False when a plugin declares ``model`` too small to judge (the embedded model does); True otherwise."""
    if registry is None or not model:
        return True
    return not registry.pm.hook.too_small_to_judge(model=model)
