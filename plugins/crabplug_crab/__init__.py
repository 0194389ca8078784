"""crabplug_crab: the paper's method as plugins, all registered from here (one entry point, ``crab``).

- constraint family ``crab:*`` (the paper's Python rule constraints: length in four forms, words per sentence,
  characters per word, sentences per paragraph, keywords, an absent punctuation mark), and the paper's LLM
  categories as types only an LLM judges (``llm:*``);
- back-translators ``rules`` (derive + check over every registered type), ``transform`` (verified edits) and
  ``llm`` (the paper's LLM back-translation); verifier ``llm`` (the YES/NO judge);
- combiner ``crab`` (k constraints by frequency-down-weighted sampling, templates, demonstrations);
- outputs ``sft`` (forward task, optional mix), ``backtranslation`` (the reverse task), ``dpo`` (preference
  pairs), ``card`` (the dataset card) and ``rlvr`` (prompts with verifiable ground truth).

Registration is cheap: YAKE loads on the first keyword derivation. See docs/crab.md.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_constraint_types(register):
    """The ``crab:*`` family and the paper's LLM categories (``llm:*``, judged by an LLM)."""
    from crabplug_crab import family, llm_types

    for ctype in [*family.constraint_types(), *llm_types.constraint_types()]:
        register(ctype)


@hookimpl
def register_back_translators(register):
    from crabplug_crab.llm_translate import LLMBackTranslator
    from crabplug_crab.rules import RulesBackTranslator
    from crabplug_crab.transform import TransformBackTranslator

    register(RulesBackTranslator)
    register(TransformBackTranslator)
    register(LLMBackTranslator)


@hookimpl
def register_verifiers(register):
    from crabplug_crab.llm_translate import LLMJudge

    register(LLMJudge)


@hookimpl
def register_combiners(register):
    from crabplug_crab.combine import CrabCombiner

    register(CrabCombiner)


@hookimpl
def register_outputs(register):
    from crabplug_crab.card import CardOutput
    from crabplug_crab.dpo import DpoOutput
    from crabplug_crab.outputs import BacktranslationOutput, SftOutput
    from crabplug_crab.rlvr import RlvrOutput

    register(SftOutput)
    register(BacktranslationOutput)
    register(DpoOutput)
    register(CardOutput)
    register(RlvrOutput)
