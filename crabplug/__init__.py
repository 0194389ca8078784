"""crabplug: complex-instruction-following data by constraint back-translation, every step a plugin.

This module is the public API: plugins import from here and nowhere else in crabplug. Every name loads its
module on first use, so ``import crabplug`` (and ``crabplug --help``) stays fast. ``_PUBLIC`` is the one table
of public names; ``__all__`` is made from it, and tests/core/test_public_api.py checks it against the docs.
"""

from __future__ import annotations

import importlib
import warnings

from crabplug._version import __version__

#: public name -> "module" or "module:attribute" (when the name differs inside its module), sorted by name
_PUBLIC = {
    "Analysis": "crabplug.text.analysis",
    "Annotated": "crabplug.records",
    "AtomicJsonl": "crabplug.jsonl",
    "BackTranslator": "crabplug.stages",
    "Benchmark": "crabplug.stages",
    "BudgetExceeded": "crabplug.errors",
    "CallEstimate": "crabplug.stages",
    "ChunkResult": "crabplug.pipeline.executor",
    "Combiner": "crabplug.stages",
    "ConfigError": "crabplug.errors",
    "Constraint": "crabplug.records",
    "ConstraintType": "crabplug.constraints",
    "Context": "crabplug.stages",
    "CrabError": "crabplug.errors",
    "Example": "crabplug.records",
    "Executor": "crabplug.stages",
    "Failure": "crabplug.records",
    "Forecasting": "crabplug.stages",
    "Job": "crabplug.pipeline.executor",
    "KEYWORD_EXTRACTORS": "crabplug.text.keywords:EXTRACTORS",
    "LANGUAGE_HEADERS": "crabplug.text.languages:HEADERS",
    "LANGUAGE_RELATIONS": "crabplug.text.languages:RELATIONS",
    "LLM": "crabplug.llm.client",
    "LLMSettings": "crabplug.llm.settings",
    "Message": "crabplug.records",
    "Output": "crabplug.stages",
    "PartedSource": "crabplug.stages",
    "PartsExecutor": "crabplug.stages",
    "PluginError": "crabplug.errors",
    "Progress": "crabplug.pipeline.progress",
    "RecordError": "crabplug.errors",
    "Registrar": "crabplug.plugins",
    "Registry": "crabplug.plugins",
    "Reporting": "crabplug.stages",
    "ReviewRules": "crabplug.pipeline.review:Rules",
    "RunConfig": "crabplug.config.loading",
    "Sample": "crabplug.records",
    "SeedFeed": "crabplug.pipeline.seed_parts",
    "SeedPart": "crabplug.pipeline.seed_parts",
    "SeedSource": "crabplug.stages",
    "StageForecast": "crabplug.stages",
    "Trainer": "crabplug.stages",
    "Transform": "crabplug.constraints",
    "TransformSkipped": "crabplug.constraints",
    "TypeOption": "crabplug.constraints",
    "Usage": "crabplug.llm.usage",
    "Verdict": "crabplug.records",
    "Verifier": "crabplug.stages",
    "VerifySummary": "crabplug.scoring:Summary",
    "Work": "crabplug.pipeline.executor",
    "analyze": "crabplug.text.analysis",
    "build_stage": "crabplug.pipeline.assemble",
    "can_judge": "crabplug.llm.judging",
    "check": "crabplug.constraints",
    "clear_tokenizer_caches": "crabplug.text.analysis:clear_text_caches",
    "content_id": "crabplug.records",
    "cut_torn_tail": "crabplug.jsonl",
    "describe_in": "crabplug.text.languages:describe",
    "detect_language": "crabplug.text.analysis",
    "extract_keywords": "crabplug.text.keywords",
    "fast_keywords": "crabplug.text.keywords",
    "forget_analyses": "crabplug.text.analysis",
    "guess_language": "crabplug.text.languages",
    "hold_directory": "crabplug.dirlock:hold",
    "hookimpl": "crabplug.hookspecs",
    "is_content_in": "crabplug.text.languages:content_words",
    "language_of": "crabplug.text.languages",
    "load_config": "crabplug.config.loading:load",
    "load_plugins": "crabplug.plugins:load",
    "load_review_rules": "crabplug.pipeline.review:load_rules",
    "loose_variants": "crabplug.constraints",
    "open_context": "crabplug.pipeline.assemble",
    "plural": "crabplug.text.languages",
    "read_jsonl": "crabplug.jsonl",
    "registry_from": "crabplug.cli.common",
    "save_review_rules": "crabplug.pipeline.review:save_rules",
    "sayable_in": "crabplug.text.languages:sayable",
    "score_row": "crabplug.scoring",
    "sent_tokenize": "crabplug.text.sentences",
    "shared_reading": "crabplug.text.analysis",
    "summarize": "crabplug.scoring",
    "treebank_tokenize": "crabplug.text.words",
    "type_options": "crabplug.constraints",
    "whole_word_count": "crabplug.text.keywords",
    "word_tokenize": "crabplug.text.words",
    "write_atomic": "crabplug.jsonl",
    "yake_stopwords": "crabplug.text.keywords",
}

#: names that left the public front in 0.2 (no plugin used them): still served, with a DeprecationWarning,
#: for one release. Their new homes are internal modules; import them there only from crabplug's own code.
_DEPRECATED = {
    "StageSpec": "crabplug.config.loading",
    "build_stages": "crabplug.pipeline.assemble",
    "derive_with_options": "crabplug.constraints",
    "is_content_word": "crabplug.text.keywords:is_content",
    "keyword_present": "crabplug.text.keywords:present",
    "punkt_parameters": "crabplug.text.sentences",
    "resolved_type_options": "crabplug.constraints",
    "stopwords": "crabplug.text.keywords",
    "validate_type_options": "crabplug.constraints",
    "yake_keywords": "crabplug.text.keywords",
}

__all__ = ["__version__", *_PUBLIC]


def _load(target: str, name: str):
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute or name)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = _load(_PUBLIC[name], name)
    elif name in _DEPRECATED:
        warnings.warn(
            f"crabplug.{name} is no longer public and goes in the next release", DeprecationWarning, stacklevel=2
        )
        return _load(_DEPRECATED[name], name)
    else:
        raise AttributeError(f"module 'crabplug' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
