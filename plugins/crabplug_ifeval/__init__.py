"""crabplug_ifeval: IFEval's 25 verifiable constraint types (check, describe, derive, conflicts).

Registered through ``register_constraint_types`` exactly as a third-party family would be. Importing
this module is cheap: NLTK and langdetect load on the first check that needs them.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_constraint_types(register):
    """Register the 25 IFEval types under their IFEval ids."""
    from crabplug_ifeval.catalog import constraint_types

    for ctype in constraint_types():
        register(ctype)
