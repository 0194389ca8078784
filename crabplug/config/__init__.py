"""A run's config: YAML read into validated attrs records, ``--set`` overrides, errors with file and line.

- ``loading``: :class:`RunConfig` and its parts, ``load``, ``dump`` (secrets ``redacted``), ``apply_override``,
  the numeric settings' ``RANGES``
- ``located``: YAML with the line of every value (for error messages)
- ``typecheck``: checking option values against their annotated types
"""

from __future__ import annotations

from crabplug.config.loading import (
    RANGES,
    Filters,
    RunConfig,
    StageSpec,
    apply_override,
    check_fields,
    dump,
    in_range,
    load,
    parse,
    redacted,
)

__all__ = [
    "RANGES", "Filters", "RunConfig", "StageSpec", "apply_override", "check_fields", "dump", "in_range", "load",
    "parse", "redacted",
]  # fmt: skip
