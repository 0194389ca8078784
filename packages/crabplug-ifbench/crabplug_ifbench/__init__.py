"""crabplug-ifbench: IFBench (Pyatkin et al., 2025) for crabplug: 58 evaluation-only constraint types and the
benchmark of 300 prompts, registered through ``register_constraint_types`` and ``register_benchmarks``.

The types are registered with ``training=False``: IFBench measures how instruction following generalises to
constraints a model never saw, so crabplug never puts them into training data. Importing this module is
cheap: the checks load NLTK, emoji and syllapy on first use.
"""

from __future__ import annotations

from crabplug import hookimpl


def all_types() -> list:
    """The 58 IFBench constraint types, in IFBench's registry order by module."""
    from crabplug_ifbench import counting, custom, formats, words

    return [*counting.TYPES, *words.TYPES, *formats.TYPES, *custom.TYPES]


@hookimpl
def register_constraint_types(register):
    """Register IFBench's 58 types (family ``ifbench``, evaluation only)."""
    for ctype in all_types():
        register(ctype)


@hookimpl
def register_benchmarks(register):
    """Register IFBench under the name ``ifbench``."""
    from crabplug_ifbench.benchmark import IFBench

    register(IFBench)
