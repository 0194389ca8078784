"""The mifeval family's own tests: they run alone (``pytest packages/crabplug-mifeval``) in a venv with crabplug
and this package installed, offline; the reference checkers they compare with are in reference/, the real answers
in fixtures/ (SOURCE.md says where they come from)."""

from __future__ import annotations

# crabplug's fixtures for plugin authors: offline settings, and benchmarks (bench_*.py) only with -m benchmark
from crabplug.testing.fixtures import pytest_collection_modifyitems  # noqa: F401
