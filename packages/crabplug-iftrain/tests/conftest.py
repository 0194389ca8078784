"""The iftrain family's own tests: they run alone (``pytest packages/crabplug-iftrain``) in a venv with crabplug
and this package installed, offline; the reference checkers they compare with are in reference/, the real answers in
fixtures/ (SOURCE.md says where they come from)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def pytest_collection_modifyitems(config, items):
    """Benchmarks (bench_*.py, marker ``benchmark``) run only when asked for: ``-m benchmark``."""
    if "benchmark" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="benchmark: run with -m benchmark")
    for item in items:
        if "benchmark" in item.keywords:
            item.add_marker(skip)
