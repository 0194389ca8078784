"""crabplug_trl: the ``sft``, ``dpo`` and ``grpo`` trainers on trl + accelerate, and the ``crabplug train`` command.

Registered through ``register_trainers`` and ``register_commands`` exactly as a third-party package would be.
Importing this module is cheap: torch, transformers and trl load when a trainer runs.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_trainers(register):
    """Register ``sft`` (trl SFTTrainer), ``dpo`` (trl DPOTrainer) and ``grpo`` (trl GRPOTrainer, RLVR)."""
    from crabplug_trl.grpo import GRPO
    from crabplug_trl.trainers import DPO, SFT

    register(SFT)
    register(DPO)
    register(GRPO)


@hookimpl
def register_commands(cli):
    """Add ``crabplug train``."""
    from crabplug_trl.command import train_command

    cli.add_command(train_command)
