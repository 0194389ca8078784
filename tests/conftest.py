"""Shared test setup: benchmarks run only when asked for (``-m benchmark``), and no test reads a user's ``.env``."""

from __future__ import annotations

import os

import pytest

# llm_server and crabplug_registry: the fixtures plugin authors get (crabplug/testing/fixtures.py)
pytest_plugins = ["crabplug.testing.fixtures"]

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def pytest_collection_modifyitems(config, items):
    if "benchmark" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="benchmark: run with `make bench`")
    for item in items:
        if "benchmark" in item.keywords:
            item.add_marker(skip)


