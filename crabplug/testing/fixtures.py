"""pytest fixtures for plugin authors: ``pytest_plugins = ["crabplug.testing.fixtures"]`` in a conftest.py.

- ``llm_server``: a started :class:`crabplug.testing.LLMServer` on 127.0.0.1, stopped after the test.
- ``crabplug_registry``: a factory, ``crabplug_registry("my_plugin")``, for a registry of the core's plugins and
  the named modules only (installed entry points left out).
- tests marked ``benchmark`` (measurements, slow) are skipped unless asked for with ``-m benchmark``.

A conftest that cannot use ``pytest_plugins`` (one below the rootdir) imports what it wants from here instead:
``from crabplug.testing.fixtures import llm_server, pytest_collection_modifyitems``.
"""

from __future__ import annotations

import os

import pytest

from crabplug.testing import LLMServer, load_only

# the LLM door reads no ./.env and downloads no price map; a test never reaches a hub
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


@pytest.fixture
def llm_server():
    """A started OpenAI-compatible server on 127.0.0.1; set ``.reply`` or call ``.script(...)`` to script it."""
    with LLMServer() as server:
        yield server


@pytest.fixture
def crabplug_registry():
    """``crabplug_registry(*modules)``: the core's plugins and ``modules``, nothing else."""
    return load_only


def pytest_collection_modifyitems(config, items):
    """Benchmarks (marker ``benchmark``) run only when asked for: ``-m benchmark``."""
    if "benchmark" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="benchmark: run with -m benchmark")
    for item in items:
        if "benchmark" in item.keywords:
            item.add_marker(skip)
