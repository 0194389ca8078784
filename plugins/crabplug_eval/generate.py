"""Responses from a model: any litellm model string through crabplug's LLM door, or a local checkpoint.

Every generator calls ``on_response(row, text)`` as each answer arrives (the caller makes it durable) and
returns the prompts that got no answer with the reason. Greedy decoding, as IFEval results are reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from crabplug import ConfigError, RecordError

OnResponse = Callable[[dict[str, Any], str], None]
Failures = list[tuple[dict[str, Any], str]]


def messages(row: dict[str, Any]) -> list[dict[str, str]]:
    """The chat a prompt is asked as: one user turn, no system prompt (IFEval's setting)."""
    return [{"role": "user", "content": row["prompt"]}]


@attrs.frozen
class Settings:
    """What every backend shares: answer length and, for local checkpoints, the batch size. A litellm model is
    asked through crabplug's LLM door, configured by ``door`` (its own settings, not re-declared here)."""

    max_tokens: int = 1280
    """New tokens per response (lm-evaluation-harness uses 1280 for IFEval)."""
    batch_size: int = 8
    """Prompts per generate() call (local checkpoints)."""
    door: dict[str, Any] = attrs.field(factory=dict)
    """``crabplug.LLMSettings`` fields for a litellm model: ``api_base``, ``api_key_env``, ``concurrency``,
    ``timeout``... (the door's defaults for the rest)."""


def is_checkpoint(model: str) -> bool:
    """Whether MODEL names a local Hugging Face checkpoint directory rather than a litellm model string."""
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ConfigError(f"{model} is a directory without config.json: give a Hugging Face checkpoint directory")
        return True
    if model.startswith(("/", "./", "../", "~")):
        raise ConfigError(f"no checkpoint directory {model}: give an existing directory or a litellm model string")
    return False


@attrs.define
class LiteLLMGenerator:
    """Asks a litellm model through crabplug's LLM door (retries, concurrency, cache, cost)."""

    model: str
    settings: Settings
    registry: Any
    cache_path: Path | None = None
    usage: Any = None

    def generate(self, rows: list[dict[str, Any]], on_response: OnResponse) -> Failures:
        """Answer every row concurrently; answers are reported in the order they arrive."""
        from crabplug import LLM, LLMSettings, Usage

        s = self.settings
        self.usage = Usage()
        door = LLMSettings(
            **{
                **s.door,
                "model": self.model,
                "max_tokens": s.max_tokens,
                "temperature": 0.0,  # greedy, as IFEval's harnesses
                "cache_path": str(self.cache_path) if self.cache_path else None,
            }
        )
        llm = LLM(door, usage=self.usage, registry=self.registry)
        return asyncio.run(self._run(llm, rows, on_response))

    async def _run(self, llm: Any, rows: list[dict[str, Any]], on_response: OnResponse) -> Failures:
        failures: Failures = []

        async def one(row: dict[str, Any]) -> None:
            try:
                text = await llm.complete(messages(row), stage="eval", allow_empty=True)  # the door limits concurrency
            except RecordError as err:  # this prompt only; auth, budget or unknown-model errors stop the eval
                failures.append((row, str(err)))
                return
            on_response(row, text)

        try:
            await asyncio.gather(*(one(r) for r in rows))
        finally:
            if getattr(llm, "cache", None) is not None:
                llm.cache.close()
        return failures


def _by_length(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # similar lengths in a batch waste less padding; the caller writes results in benchmark order anyway
    return sorted(rows, key=lambda r: len(r["prompt"]))


def prompt_text(tok: Any, row: dict[str, Any]) -> str:
    """What a checkpoint is asked: the prompt through its chat template, or the raw prompt when it has none (then,
    and only then, the tokenizer adds its special tokens)."""
    if getattr(tok, "chat_template", None):
        return tok.apply_chat_template(messages(row), tokenize=False, add_generation_prompt=True)
    return row["prompt"]


def load_checkpoint(path: str, **model_kwargs: Any) -> tuple[Any, Any]:
    """Tokenizer and model of a checkpoint, in eval mode: bfloat16 on a GPU, float32 on CPU."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging

    logging.disable_progress_bar()  # crabplug shows its own progress; keep stderr for what matters
    cuda = torch.cuda.is_available()
    tok = AutoTokenizer.from_pretrained(path)
    dtype = torch.bfloat16 if cuda else torch.float32
    model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype, **model_kwargs)
    return tok, model.to("cuda" if cuda else "cpu").eval()


@attrs.define
class TransformersGenerator:
    """Batched greedy generation with transformers, the checkpoint's chat template when it has one."""

    path: str
    settings: Settings
    engine: str = "transformers"

    def generate(self, rows: list[dict[str, Any]], on_response: OnResponse) -> Failures:
        """Answer ``batch_size`` prompts per generate() call, reporting each batch as it finishes."""
        import torch

        tok, model = load_checkpoint(self.path)
        tok.padding_side = "left"  # decoder-only: new tokens must follow every prompt directly
        if tok.pad_token is None:
            tok.pad_token = tok.eos_token
        templated = bool(getattr(tok, "chat_template", None))
        rows = _by_length(rows)
        for start in range(0, len(rows), self.settings.batch_size):
            batch = rows[start : start + self.settings.batch_size]
            texts = [prompt_text(tok, r) for r in batch]
            enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=not templated).to(model.device)
            with torch.inference_mode():
                out = model.generate(
                    **enc,
                    max_new_tokens=self.settings.max_tokens,
                    do_sample=False,
                    pad_token_id=tok.pad_token_id,
                )
            for row, seq in zip(batch, out[:, enc["input_ids"].shape[1] :], strict=True):
                on_response(row, tok.decode(seq, skip_special_tokens=True, clean_up_tokenization_spaces=False))
        return []


@attrs.define
class VLLMGenerator:
    """Greedy generation with vLLM when it is installed (continuous batching on a GPU)."""

    path: str
    settings: Settings
    engine: str = "vllm"

    def generate(self, rows: list[dict[str, Any]], on_response: OnResponse) -> Failures:
        """Hand vLLM chunks of prompts; each chunk is reported when it finishes."""
        from vllm import LLM, SamplingParams

        llm = LLM(model=self.path)
        params = SamplingParams(temperature=0.0, max_tokens=self.settings.max_tokens)
        chunk = max(self.settings.batch_size, 64)
        for start in range(0, len(rows), chunk):
            batch = rows[start : start + chunk]
            outputs = llm.chat([messages(r) for r in batch], params, use_tqdm=False)
            for row, out in zip(batch, outputs, strict=True):
                on_response(row, out.outputs[0].text)
        return []
