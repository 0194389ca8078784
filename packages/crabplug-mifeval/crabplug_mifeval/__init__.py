"""crabplug-mifeval: M-IFEval (Dussolle et al., 2025, arXiv 2502.04688) for crabplug: its Spanish, French and
Japanese constraint types (family ``mifeval``, ids verbatim: ``es:…``, ``fr:…``, ``ja:…``) and its three
benchmarks ``mifeval-es``, ``mifeval-fr`` and ``mifeval-ja``.

Importing this module is cheap: janome, the Japanese segmenter, langdetect and NLTK load on first use.
"""

from __future__ import annotations

from crabplug import hookimpl


def all_types() -> list:
    """M-IFEval's types: 30 Spanish, 30 French, 33 Japanese, in its registry order. Those a real answer can be
    found to satisfy (``derive.DERIVES``) are also training types, derived for seeds in their language only."""
    import attrs

    from crabplug_mifeval import french, japanese, spanish
    from crabplug_mifeval.derive import DERIVES

    out = []
    for ctype in [*spanish.TYPES, *french.TYPES, *japanese.TYPES]:
        derive = DERIVES[ctype.language].get(ctype.id.split(":", 1)[1])
        out.append(ctype if derive is None else attrs.evolve(ctype, derive=derive, training=True))
    return out


@hookimpl
def register_constraint_types(register):
    """Register M-IFEval's 93 types (family ``mifeval``)."""
    for ctype in all_types():
        register(ctype)


@hookimpl
def register_benchmarks(register):
    """Register ``mifeval-es``, ``mifeval-fr`` and ``mifeval-ja``."""
    from crabplug_mifeval.benchmark import BENCHMARKS

    for benchmark in BENCHMARKS:
        register(benchmark)
