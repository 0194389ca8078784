"""Which generator answers the prompts: vLLM or transformers for a checkpoint directory, litellm otherwise."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from crabplug_eval.generate import LiteLLMGenerator, Settings, VLLMGenerator, is_checkpoint


def generator_for(model: str, settings: Settings, *, registry: Any, cache_path: Path | None) -> Any:
    """The generator for MODEL: vLLM, else transformers' continuous batching, for a checkpoint directory; litellm
    otherwise."""
    if is_checkpoint(model):
        if importlib.util.find_spec("vllm") is not None:
            return VLLMGenerator(model, settings)
        from crabplug_eval.continuous import ContinuousGenerator

        return ContinuousGenerator(model, settings)
    return LiteLLMGenerator(model, settings, registry=registry, cache_path=cache_path)
