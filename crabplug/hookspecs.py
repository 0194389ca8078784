"""Every hook: the whole contract between crabplug's core and its plugins.

Each ``register_*`` hook receives a ``register`` callback; calling it with a malformed object or
a name already taken fails at load time, naming the plugin. See docs/hooks.md.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("crabplug")
hookimpl = pluggy.HookimplMarker("crabplug")


@hookspec
def register_seed_sources(register):
    """Register seed sources: ``register(cls)``, an attrs class with ``name`` and ``read()``."""


@hookspec
def register_constraint_types(register):
    """Register constraint types: ``register(ConstraintType(...))``."""


@hookspec
def register_back_translators(register):
    """Register back-translators: ``register(cls)``, Example -> candidate Constraints."""


@hookspec
def register_verifiers(register):
    """Register verifiers: ``register(cls)``, (Example, Constraint) -> Verdict."""


@hookspec
def register_combiners(register):
    """Register combiners: ``register(cls)``, stream of Annotated -> stream of Samples."""


@hookspec
def register_outputs(register):
    """Register output writers: ``register(cls)``, Samples -> files in the run directory."""


@hookspec
def register_llm_providers(register):
    """Register litellm custom providers: ``register(name, handler_factory)``."""


@hookspec(firstresult=True)
def default_llm_model():
    """The litellm model string used when a config sets no ``llm.model`` (the first plugin that answers wins)."""


@hookspec(firstresult=True)
def resolve_model_path(name):
    """A local transformers checkpoint directory for a model string a plugin serves (``local/...``), or None."""


@hookspec(firstresult=True)
def too_small_to_judge(model):
    """True when ``model`` (a litellm model string a plugin serves) is too small for its YES to verify a constraint."""


@hookspec
def register_trainers(register):
    """Register trainers: ``register(cls)``, a run directory's dataset -> a model."""


@hookspec
def register_benchmarks(register):
    """Register benchmarks: ``register(cls)``, prompts scored by constraint types."""


@hookspec
def register_executors(register):
    """Register executors: ``register(cls)``, where the per-record stages run (``local``, ``ray``)."""


@hookspec
def register_commands(cli):
    """Add click commands to the ``crabplug`` group ``cli``."""
