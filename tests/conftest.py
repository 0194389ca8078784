"""Shared test setup: benchmarks run only when asked for (``-m benchmark``), and no test reads a user's ``.env``."""

from __future__ import annotations

import os

# the fixtures plugin authors get (crabplug/testing/fixtures.py): llm_server, crabplug_registry, and benchmarks
# (marker benchmark) skipped unless -m benchmark
pytest_plugins = ["crabplug.testing.fixtures"]

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
