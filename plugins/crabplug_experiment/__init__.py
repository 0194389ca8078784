"""crabplug_experiment: ``crabplug experiment RECIPE`` — data, SFT, DPO, GRPO and IFEval in one resumable command.

A recipe names a data config (``crabplug run``), a train config (``crabplug train``, its trainers run in
order, each starting from the model the previous one saved) and the evaluation settings. Every step is a real
``crabplug`` subprocess that resumes by itself; a finished step leaves a marker, so re-running the command
after a stop or a crash continues where it stopped. A recipe with ``arms:`` trains several models from the same
data (plain SFT, crab SFT, then GRPO, ...) and compares each, paired, with the base and with a baseline arm,
beside a side measure of what training may cost (``side.py``). It also registers the output ``plain`` (seed
instruction -> seed response), the plain-SFT arm's data. docs/results.md.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_commands(cli):
    """Add ``crabplug experiment``."""
    from crabplug_experiment.command import experiment_command

    cli.add_command(experiment_command)


@hookimpl
def register_outputs(register):
    """Add the output ``plain`` (seed instruction -> seed response: the plain-SFT arm's data)."""
    from crabplug_experiment.outputs import PlainOutput

    register(PlainOutput)
