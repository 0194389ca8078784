"""litellm, imported on first use with the environment crabplug needs (no cost-map download, no ./.env)."""

from __future__ import annotations

import os


def import_litellm():
    """The litellm module, configured quietly: the local cost map, production mode, no telemetry."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm
