"""Continuous batching for local checkpoints: a finished answer's slot goes to the next prompt at once.

A static batch decodes until its longest answer ends, so on a CPU most of each step is spent on rows that are
already done: `crabplug eval` of SmolLM2-135M on IFEval answered about 13 prompts a minute that way. transformers'
continuous-batching manager (paged KV cache) keeps every slot busy and hands back each answer as it finishes, so
the caller makes it durable at once and a stopped eval resumes from the last answer. Greedy decoding, as IFEval
results are reported.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import attrs

from crabplug_eval import varlen
from crabplug_eval.generate import Failures, OnResponse, Settings, TransformersGenerator, load_checkpoint, prompt_text

#: transformers' own paged attention through torch's SDPA (CPU and GPU), used with ``attention="packed"``.
ATTENTION = "paged|sdpa"


@attrs.define
class ContinuousGenerator:
    """Greedy generation with transformers' continuous batching; answers arrive as each one finishes."""

    path: str
    settings: Settings
    engine: str = "transformers-continuous"
    attention: str = "varlen"
    """``varlen``: each answer attends to its own keys (``varlen.py``; about 4x faster on a CPU at batch 32);
    ``packed``: transformers' ``paged|sdpa``, one masked attention over every answer's keys."""

    def generate(self, rows: list[dict[str, Any]], on_response: OnResponse) -> Failures:
        """Queue every prompt, report each answer as it finishes; prompts the manager failed come back with why."""
        from transformers import ContinuousBatchingConfig, GenerationConfig
        from transformers.generation.continuous_batching.utils import WorkloadHints

        try:
            attention = varlen.register() if self.attention == "varlen" else ATTENTION
            tok, model = load_checkpoint(self.path, attn_implementation=attention)
        except ValueError:  # an architecture without paged attention: static batches still answer it
            self.engine = "transformers"
            return TransformersGenerator(self.path, self.settings).generate(rows, on_response)
        prompts = [_tokens(tok, r) for r in rows]
        stop = end_tokens(tok, model)
        config = GenerationConfig(
            max_new_tokens=self.settings.max_tokens, do_sample=False, eos_token_id=stop, pad_token_id=stop[0]
        )
        hints = WorkloadHints(
            max_prompt_length=max(map(len, prompts)),
            max_generated_length=self.settings.max_tokens,
            num_requests=len(prompts),
        )
        sizes = cache_sizes(self.settings.batch_size, hints.max_prompt_length + self.settings.max_tokens)
        by_id: dict[str, dict[str, Any]] = {}
        failures: Failures = []
        with (
            _quiet(),
            model.continuous_batching_context_manager(
                generation_config=config,
                continuous_batching_config=ContinuousBatchingConfig(**sizes),
                workload_hints=hints,
                warmup=model.device.type == "cuda",  # CUDA graphs; nothing to capture on a CPU
                timeout=5,
            ) as manager,
        ):
            for i, (row, ids) in enumerate(zip(rows, prompts, strict=True)):
                by_id[manager.add_request(ids, request_id=f"p{i}", max_new_tokens=self.settings.max_tokens)] = row
            while by_id:
                out = manager.get_result(timeout=1)
                if out is None:
                    if not manager.is_running():
                        break
                    continue
                if out.request_id not in by_id or not (out.is_finished() or out.error):
                    continue
                row = by_id.pop(out.request_id)
                if out.error:
                    failures.append((row, f"generation failed: {out.error}"))
                    continue
                on_response(row, tok.decode(out.generated_tokens, skip_special_tokens=True))
        failures += [(row, "the continuous-batching worker stopped before answering") for row in by_id.values()]
        return failures


#: KV-cache block size in tokens: small blocks waste little on short answers.
BLOCK = 32


def cache_sizes(requests: int, longest: int) -> dict[str, int]:
    """A KV cache for ``requests`` answers decoding at once, each at most ``longest`` tokens with its prompt.

    Left to itself the manager sizes the cache from the memory it finds (on a CPU: the machine's RAM) and may decode
    hundreds of prompts at once; ``batch_size`` bounds that as it bounds a static batch.
    """
    per_request = -(-longest // BLOCK)
    return {
        "block_size": BLOCK,
        "num_blocks": requests * per_request + per_request,  # one spare request's worth for chunked prefill
        "max_requests_per_batch": requests,
        "max_batch_tokens": max(256, requests * 4),
    }


def end_tokens(tok: Any, model: Any) -> list[int]:
    """Token ids that end an answer: the tokenizer's EOS and the model's generation EOS (they may differ)."""
    ids = [tok.eos_token_id, *_as_list(model.generation_config.eos_token_id)]
    return sorted({int(i) for i in ids if i is not None})


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _tokens(tok: Any, row: dict[str, Any]) -> list[int]:
    templated = bool(getattr(tok, "chat_template", None))
    return list(tok(prompt_text(tok, row), add_special_tokens=not templated)["input_ids"])


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """transformers logs a warm-up notice and per-batch warnings at WARNING; crabplug draws its own progress."""
    logger = logging.getLogger("ContinuousBatchingLogger")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
