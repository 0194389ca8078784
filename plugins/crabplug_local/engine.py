"""Generation on CPU with torch: one worker thread, batching the requests that arrive together.

One request alone runs at ~16 tokens/s on 2 cores, a batch of 32 at ~10x that, so the worker waits a few
milliseconds after the first request for others and runs them as one left-padded batch. Requests batch
together only when they decode alike (greedy with greedy; sampling with the same temperature and top_p);
a seeded sampling request runs alone so that its seed alone decides its tokens.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import attrs

from crabplug_local.model import ModelSpec, convert, converted_dir


class PromptTooLong(ValueError):
    """A prompt that fills the model's whole context window."""


@attrs.frozen
class Generation:
    """One finished completion."""

    text: str
    """The assistant's reply, without the end-of-turn token."""
    prompt_tokens: int
    """Tokens of the chat-templated prompt."""
    completion_tokens: int
    """Tokens generated, counting the end-of-turn token when the model emitted one."""
    finish_reason: str
    """``stop`` (end of turn or a stop string) or ``length`` (``max_tokens`` reached)."""


@attrs.frozen
class Request:
    """One queued completion and the future its caller waits on."""

    messages: list[dict[str, Any]]
    """Chat messages (``role``/``content``)."""
    max_tokens: int
    """Upper bound on generated tokens."""
    temperature: float
    """0 decodes greedily."""
    top_p: float
    """Nucleus sampling mass (sampling only)."""
    seed: int | None
    """Seed for sampling; a seeded request runs in a batch of its own."""
    stop: tuple[str, ...]
    """Stop strings: the reply is cut before the first one."""
    future: Future = attrs.field(factory=Future, eq=False)
    """Resolved with a Generation, or with the exception generation raised."""

    def batch_key(self) -> tuple:
        """Requests with equal keys decode alike and may share a batch."""
        if self.temperature <= 0:
            return ("greedy",)
        if self.seed is not None:
            return ("seeded", id(self))
        return ("sample", self.temperature, self.top_p)


def _threads() -> int:
    """Threads for torch: ``CRABPLUG_LOCAL_THREADS``, else the CPUs this process may run on."""
    configured = os.environ.get("CRABPLUG_LOCAL_THREADS")
    if configured:
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@attrs.define
class Engine:
    """A loaded embedded model and the worker thread that serves it."""

    spec: ModelSpec
    """Which model."""
    max_batch: int = 32
    """Most requests decoded together."""
    window_s: float = 0.005
    """How long the worker waits after a request for others to batch with it."""
    load_seconds: float = 0.0
    """Seconds the last load took (conversion included when it happened)."""
    converted: bool = False
    """Whether this load converted the GGUF (False: it loaded the cached copy)."""
    context_tokens: int = 0
    """Prompt plus reply tokens the model reads at most (from its config, once loaded)."""
    pid: int = 0
    """The process that loaded it: a forked child has no worker thread and must load its own."""
    _model: Any = None
    _tokenizer: Any = None
    _eos: list[int] = attrs.Factory(list)
    _queue: queue.Queue = attrs.Factory(queue.Queue)
    _worker: threading.Thread | None = None

    def load(self) -> Engine:
        """Convert the GGUF if the cache lacks it, then load model and tokenizer from the cache."""
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        start = time.perf_counter()
        self.converted = not (converted_dir(self.spec) / "config.json").is_file()
        path: Path = convert(self.spec)
        torch.set_num_threads(_threads())
        with _quiet_transformers():
            self._model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
            tokenizer = AutoTokenizer.from_pretrained(path, clean_up_tokenization_spaces=False)
        # The GGUF's tokenizer metadata names <|im_start|> as EOS; the chat turn really ends at <|im_end|>.
        end_of_turn = tokenizer.convert_tokens_to_ids("<|im_end|>")
        tokenizer.pad_token = "<|im_end|>"
        tokenizer.padding_side = "left"
        self._tokenizer = tokenizer
        self.context_tokens = int(self._model.config.max_position_embeddings)
        self.pid = os.getpid()
        self._eos = sorted({end_of_turn, tokenizer.convert_tokens_to_ids("<|endoftext|>")})
        self._worker = threading.Thread(target=self._serve, name=f"crabplug-local-{self.spec.name}", daemon=True)
        self._worker.start()
        self.load_seconds = time.perf_counter() - start
        return self

    def submit(self, request: Request) -> Future:
        """Queue a request; the returned future resolves with its Generation."""
        self._queue.put(request)
        return request.future

    def generate(self, messages: list[dict[str, Any]], **params: Any) -> Generation:
        """Blocking completion of one conversation (params: max_tokens, temperature, top_p, seed, stop)."""
        return self.submit(make_request(messages, **params)).result()

    def _serve(self) -> None:
        while True:
            first = self._queue.get()
            pending = [first]
            deadline = time.monotonic() + self.window_s
            while len(pending) < self.max_batch * 4:
                remaining = deadline - time.monotonic()
                try:
                    pending.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
                except queue.Empty:
                    break
            groups: dict[tuple, list[Request]] = {}
            for request in pending:
                groups.setdefault(request.batch_key(), []).append(request)
            for group in groups.values():
                for i in range(0, len(group), self.max_batch):
                    self._run(group[i : i + self.max_batch])

    def _run(self, batch: list[Request]) -> None:
        live = [r for r in batch if r.future.set_running_or_notify_cancel()]
        fitting = []
        for request in live:
            try:
                fitting.append((request, self._prompt(request)))
            except Exception as exc:  # this request alone fails: a bad template input, a prompt too long
                request.future.set_exception(exc)
        if not fitting:
            return
        try:
            results = self._decode(fitting)
        except Exception as exc:  # handed to the callers, who see it from their own await
            for request, _ in fitting:
                request.future.set_exception(exc)
            return
        for (request, _), result in zip(fitting, results, strict=True):
            request.future.set_result(result)

    def _prompt(self, request: Request) -> str:
        """The chat-templated prompt; PromptTooLong when it leaves no room for a reply in the context."""
        text = self._tokenizer.apply_chat_template(request.messages, tokenize=False, add_generation_prompt=True)
        length = len(self._tokenizer(text, add_special_tokens=False)["input_ids"])
        if length >= self.context_tokens:
            raise PromptTooLong(
                f"the prompt is {length} tokens; local/{self.spec.name} reads at most {self.context_tokens}"
            )
        return text

    def _decode(self, batch: list[tuple[Request, str]]) -> list[Generation]:
        import torch

        tok = self._tokenizer
        inputs = tok([prompt for _, prompt in batch], return_tensors="pt", padding=True, add_special_tokens=False)
        width = inputs["input_ids"].shape[1]
        head = batch[0][0]
        sampling = head.temperature > 0
        kwargs: dict[str, Any] = {"do_sample": sampling}
        if sampling:
            kwargs.update(temperature=head.temperature, top_p=head.top_p, top_k=0)
            if head.seed is not None:
                torch.manual_seed(head.seed)
        else:
            kwargs.update(temperature=None, top_p=None, top_k=None)
        # A reply may fill what the context leaves after the longest prompt (padding counts against it).
        new_tokens = min(max(r.max_tokens for r, _ in batch), self.context_tokens - width)
        with torch.inference_mode():
            out = self._model.generate(
                **inputs,
                max_new_tokens=max(new_tokens, 1),
                eos_token_id=self._eos,
                pad_token_id=tok.pad_token_id,
                **kwargs,
            )
        results = []
        for row, (request, _) in enumerate(batch):
            prompt_tokens = int(inputs["attention_mask"][row].sum())
            new = out[row, width:].tolist()[: request.max_tokens]
            results.append(self._finish(new, prompt_tokens, request))
        return results

    def _finish(self, new: list[int], prompt_tokens: int, request: Request) -> Generation:
        eos_at = next((i for i, t in enumerate(new) if t in self._eos), None)
        if eos_at is not None:
            text = self._tokenizer.decode(new[:eos_at], skip_special_tokens=True)
            used, reason = eos_at + 1, "stop"
        else:
            text = self._tokenizer.decode(new, skip_special_tokens=True)
            used, reason = len(new), "length"
        cut = min((text.find(s) for s in request.stop if s and s in text), default=-1)
        if cut >= 0:
            text, reason = text[:cut], "stop"
        return Generation(text=text, prompt_tokens=prompt_tokens, completion_tokens=used, finish_reason=reason)


@contextlib.contextmanager
def _quiet_transformers():
    """No "Loading weights" bar for a sub-second load of the cached copy (crabplug draws its own progress)."""
    from transformers.utils import logging

    was_enabled = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            logging.enable_progress_bar()


def make_request(
    messages: list[dict[str, Any]],
    *,
    max_tokens: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    seed: int | None = None,
    stop: str | list[str] | None = None,
) -> Request:
    """A Request with OpenAI-style defaults: greedy, 256 tokens, no stop strings."""
    if isinstance(stop, str):
        stop = [stop]
    return Request(
        messages=[{"role": m["role"], "content": _content(m.get("content"))} for m in messages],
        max_tokens=int(max_tokens) if max_tokens else DEFAULT_MAX_TOKENS,
        temperature=float(temperature or 0.0),
        top_p=float(top_p) if top_p is not None else 1.0,
        seed=seed,
        stop=tuple(stop or ()),
    )


DEFAULT_MAX_TOKENS = 256


def _content(content: Any) -> str:
    """Message content as text: OpenAI content parts are joined, images are not supported."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(spec: ModelSpec) -> Engine:
    """The process's one loaded Engine for ``spec``, loading it on first use."""
    with _engines_lock:
        engine = _engines.get(spec.name)
        if engine is None or engine.pid != os.getpid():
            engine = _engines[spec.name] = Engine(spec).load()
        return engine
