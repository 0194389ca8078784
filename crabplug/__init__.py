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
from crabplug.errors import BudgetExceeded, ConfigError, CrabError, PluginError, RecordError
from crabplug.hookspecs import hookimpl
from crabplug.plugins import Registry
from crabplug.plugins import load as load_plugins
from crabplug.records import Annotated, Constraint, Example, Failure, Message, Sample, Verdict, content_id
from crabplug.stages import Context
from crabplug.verify import Summary as VerifySummary
from crabplug.verify import score_row, summarize

try:
    __version__ = version("crabplug")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
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
