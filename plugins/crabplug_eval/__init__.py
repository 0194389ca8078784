"""crabplug_eval: IFEval (541 prompts, shipped) as a registered benchmark, and the ``crabplug eval`` command.

Registered through ``register_benchmarks`` and ``register_commands`` exactly as a third-party package would be.
Importing this module is cheap: models, NumPy and matplotlib load when the command runs.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_benchmarks(register):
    """Register IFEval under the name ``ifeval``."""
    from crabplug_eval.benchmarks import IFEval

    register(IFEval)


@hookimpl
def register_commands(cli):
    """Add ``crabplug eval``."""
    from crabplug_eval.command import eval_command

    cli.add_command(eval_command)
