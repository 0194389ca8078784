"""Constraint checks as rewards for RL with verifiable rewards (GRPO, IF-RLVR, VerIF): docs/rlvr.md.

- ``constraint_reward``: the reward of a completion, trl's signature, with the adapters for open-instruct
  (``constraint_reward``) and verl (``compute_score``)
- ``judge``: the LLM judge for constraints no code can check
"""

from __future__ import annotations

from crabplug.rewards import constraint_reward as _module
from crabplug.rewards.constraint_reward import *  # noqa: F403  (its __all__: the reward API)

__all__ = list(_module.__all__)
