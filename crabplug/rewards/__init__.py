"""Constraint checks as rewards for RL with verifiable rewards (GRPO, IF-RLVR, VerIF): docs/rlvr.md.

- ``constraint_reward``: the reward of a completion, trl's signature, with the adapters for open-instruct
  (``constraint_reward``) and verl (``compute_score``)
- ``judge``: the LLM judge for constraints no code can check
"""

from __future__ import annotations

from crabplug.rewards.constraint_reward import (
    ConstraintReward,
    Item,
    Scored,
    answer_text,
    compute_score,
    constraint_reward,
    row_constraints,
    validate_rows,
)

__all__ = [
    "ConstraintReward",
    "Item",
    "Scored",
    "answer_text",
    "compute_score",
    "constraint_reward",
    "row_constraints",
    "validate_rows",
]
