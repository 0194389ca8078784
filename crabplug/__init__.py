"""crabplug: complex-instruction-following data by constraint back-translation, every step a plugin.

This module is the public API: plugins import from here and nowhere else in crabplug.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from crabplug.constraints import (
    ConstraintType,
    Transform,
    TransformSkipped,
    TypeOption,
    check,
    derive_with_options,
    loose_variants,
    resolved_type_options,
    type_options,
    validate_type_options,
)
from crabplug.dirlock import hold as hold_directory
from crabplug.errors import BudgetExceeded, ConfigError, CrabError, PluginError, RecordError
from crabplug.hookspecs import hookimpl
from crabplug.jsonl import AtomicJsonl, cut_torn_tail, read_jsonl, write_atomic
from crabplug.plugins import Registry
from crabplug.plugins import load as load_plugins
from crabplug.records import Annotated, Constraint, Example, Failure, Message, Sample, Verdict, content_id
from crabplug.stages import BackTranslator, Benchmark, Combiner, Context, Output, SeedSource, Trainer, Verifier
from crabplug.verify import Summary as VerifySummary
from crabplug.verify import score_row, summarize

#: names that load their module on first use, so ``import crabplug`` (and ``crabplug --help``) stays fast
_LAZY = {
    "LLM": "crabplug.llm",
    "LLMSettings": "crabplug.llm",
    "Usage": "crabplug.llm",
    "RunConfig": "crabplug.config",
    "StageSpec": "crabplug.config",
    "load_config": "crabplug.config",
    "build_stage": "crabplug.run",
    "build_stages": "crabplug.run",
    "registry_from": "crabplug.commands",
    "ChunkResult": "crabplug.executors",
    "Executor": "crabplug.executors",
    "Job": "crabplug.executors",
    "Work": "crabplug.executors",
    "SeedFeed": "crabplug.seed_parts",
    "SeedPart": "crabplug.seed_parts",
    "CallEstimate": "crabplug.forecast",
    "can_judge": "crabplug.judging",
    "Forecasting": "crabplug.forecast",
    "StageForecast": "crabplug.forecast",
    "KEYWORD_EXTRACTORS": "crabplug.keywords",
    "extract_keywords": "crabplug.keywords",
    "fast_keywords": "crabplug.keywords",
    "yake_keywords": "crabplug.keywords",
    "is_content_word": "crabplug.keywords",
    "stopwords": "crabplug.keywords",
    "yake_stopwords": "crabplug.keywords",
    "keyword_present": "crabplug.keywords",
    "punkt_parameters": "crabplug.sentences",
    "sent_tokenize": "crabplug.sentences",
    "word_tokenize": "crabplug.words",
    "treebank_tokenize": "crabplug.words",
    "clear_tokenizer_caches": "crabplug.words",
}
_RENAMED = {"load_config": "load", "KEYWORD_EXTRACTORS": "EXTRACTORS", "is_content_word": "is_content",
            "keyword_present": "present", "clear_tokenizer_caches": "clear_caches"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'crabplug' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), _RENAMED.get(name, name))
    globals()[name] = value
    return value


try:
    __version__ = version("crabplug")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "punkt_parameters",
    "sent_tokenize",
    "word_tokenize",
    "treebank_tokenize",
    "clear_tokenizer_caches",
    "KEYWORD_EXTRACTORS",
    "extract_keywords",
    "fast_keywords",
    "yake_keywords",
    "is_content_word",
    "stopwords",
    "yake_stopwords",
    "keyword_present",
    "ChunkResult",
    "Executor",
    "Job",
    "Work",
    "SeedFeed",
    "SeedPart",
    "CallEstimate",
    "can_judge",
    "Forecasting",
    "StageForecast",
    "LLM",
    "AtomicJsonl",
    "BackTranslator",
    "Benchmark",
    "Combiner",
    "LLMSettings",
    "Output",
    "RunConfig",
    "SeedSource",
    "StageSpec",
    "Trainer",
    "Usage",
    "Verifier",
    "build_stage",
    "build_stages",
    "cut_torn_tail",
    "load_config",
    "read_jsonl",
    "registry_from",
    "write_atomic",
    "Annotated",
    "BudgetExceeded",
    "ConfigError",
    "Constraint",
    "ConstraintType",
    "Context",
    "CrabError",
    "Example",
    "Failure",
    "Message",
    "PluginError",
    "Registry",
    "RecordError",
    "Sample",
    "Verdict",
    "VerifySummary",
    "__version__",
    "check",
    "derive_with_options",
    "content_id",
    "hold_directory",
    "hookimpl",
    "load_plugins",
    "loose_variants",
    "score_row",
    "summarize",
    "Transform",
    "TransformSkipped",
    "TypeOption",
    "resolved_type_options",
    "type_options",
    "validate_type_options",
]
