"""crabplug_crab: the paper's method as plugins.

- constraint family ``crab:*`` (the paper's Python rule constraints: length in four forms, words per sentence,
  characters per word, sentences per paragraph, keywords via YAKE, an absent punctuation mark);
- back-translator ``rules`` (derive + check over every registered type);
- combiner ``crab`` (k constraints by frequency-down-weighted sampling, templates, demonstrations);
- outputs ``sft`` (forward task, optional mix) and ``backtranslation`` (the reverse task).

Registration is cheap: YAKE loads on the first keyword derivation. See docs/crab.md.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_constraint_types(register):
    """The ``crab:*`` family."""
    from crabplug_crab.family import constraint_types

    for ctype in constraint_types():
        register(ctype)


@hookimpl
def register_back_translators(register):
    from crabplug_crab.rules import RulesBackTranslator
    from crabplug_crab.transform import TransformBackTranslator

    register(RulesBackTranslator)
    register(TransformBackTranslator)


@hookimpl
def register_combiners(register):
    from crabplug_crab.combine import CrabCombiner

    register(CrabCombiner)


@hookimpl
def register_outputs(register):
    from crabplug_crab.outputs import BacktranslationOutput, SftOutput
    from crabplug_crab.rlvr import RlvrOutput

    register(SftOutput)
    register(BacktranslationOutput)
    register(RlvrOutput)
