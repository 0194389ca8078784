"""crabplug_iftrain: open-instruct's IFTrain constraints (the 29 IFEvalG types beyond IFEval's 25) for crabplug.

Family ``iftrain``, for training data: ``check`` gives open-instruct's verdicts, ``describe`` several
natural phrasings, ``derive`` kwargs a response already meets, and :mod:`crabplug_iftrain.transforms`
deterministic edits that make a constraint true. Type ids are open-instruct's, so its data (e.g.
allenai/RLVR-IFeval) checks unchanged. crabplug finds this module through the entry point in
pyproject.toml (group ``crabplug``); it imports only crabplug's public API, and NLTK on first use.
"""

from __future__ import annotations

from crabplug import hookimpl

__version__ = "0.1.0"


@hookimpl
def register_constraint_types(register):
    """The 29 IFTrain types under open-instruct's ids."""
    from crabplug_iftrain.catalog import constraint_types

    for ctype in constraint_types():
        register(ctype)
