"""A run's config: YAML read into validated attrs records, ``--set`` overrides, errors with file and line.

- ``loading``: :class:`RunConfig` and its parts, ``load``, ``dump``, ``apply_override``
- ``located``: YAML with the line of every value (for error messages)
- ``typecheck``: checking option values against their annotated types
"""

from __future__ import annotations

from crabplug.config.loading import Filters, RunConfig, StageSpec, apply_override, check_fields, dump, load, parse

__all__ = ["Filters", "RunConfig", "StageSpec", "apply_override", "check_fields", "dump", "load", "parse"]
