"""The LLM door: every LLM call in crabplug goes through :class:`LLM`, built on litellm.

Swap providers by changing one model string (``llm.model`` in the config): ``openai/gpt-4o-mini``,
``anthropic/claude-3-5-haiku-latest``, ``hosted_vllm/meta-llama/Llama-3-70B-Instruct``, ``ollama/llama3``,
``openai/<name>`` with ``api_base`` for any OpenAI-compatible server, or a provider a plugin registers.

What the door adds to litellm: a concurrency limit and optional requests/tokens-per-minute limits; retries
with exponential backoff and jitter on 429, 5xx, timeouts, connection errors and empty replies (honouring
Retry-After); an auth failure stops the run with one sentence instead of retrying; a SQLite response cache of
its own keyed on everything that changes the answer and never on secrets; token and cost accounting; a
``max_cost`` budget. Keys come from environment variables only, and are scrubbed from every error message.
See docs/llm.md.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import re
import threading
from typing import Any

import attrs

from crabplug.errors import BudgetExceeded, ConfigError, CrabError, RecordError
from crabplug.llm import openai_direct, router
from crabplug.llm.cache import ResponseCache, cache_key
from crabplug.llm.litellm_import import import_litellm
from crabplug.llm.settings import AuthError, LLMSettings, redact
from crabplug.llm.usage import RateLimiter, Usage

__all__ = ["AuthError", "LLM", "LLMSettings", "Usage", "parse_json", "redact"]

_providers_lock = threading.Lock()
_registered_providers: set[str] = set()



def parse_json(text: str) -> Any:
    """JSON in a model's reply, tolerating code fences and text around it; ValueError when there is none."""
    body = text.strip()
    fenced = re.search(r"```(?:json|JSON)?\s*\n?(.*?)```", body, re.S)
    candidates = [fenced.group(1).strip()] if fenced else []
    candidates.append(body)
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            pass
        decoder = json.JSONDecoder()
        for i, ch in enumerate(candidate):
            if ch in "[{":
                try:
                    return decoder.raw_decode(candidate[i:])[0]
                except ValueError:
                    continue
    raise ValueError("the reply holds no JSON value")



def _register_providers(litellm: Any, registry: Any) -> None:
    """Put plugin-registered providers (``register_llm_providers``) into litellm's custom provider map."""
    providers = (registry.items.get("llm_providers", {}) if registry is not None else {}) or {}
    with _providers_lock:
        fresh = [n for n in providers if n not in _registered_providers]
        if not fresh:
            return
        entries = [e for e in (litellm.custom_provider_map or []) if e.get("provider") not in fresh]
        entries += [{"provider": n, "custom_handler": providers[n]()} for n in fresh]
        litellm.custom_provider_map = entries
        from litellm.utils import custom_llm_setup

        custom_llm_setup()
        _registered_providers.update(fresh)


def _retry_after(err: Exception) -> float | None:
    for headers in (
        getattr(getattr(err, "response", None), "headers", None),
        getattr(err, "litellm_response_headers", None),
    ):
        try:
            value = headers.get("retry-after") if headers is not None else None
        except Exception:
            value = None
        if value is not None:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


def _messages(messages: list[dict] | str) -> list[dict]:
    return [{"role": "user", "content": messages}] if isinstance(messages, str) else list(messages)


def default_model(registry: Any) -> str:
    """The model a plugin offers for configs that name none; a ConfigError when no plugin does."""
    model = registry.pm.hook.default_llm_model() if registry is not None else None
    if not model:
        raise ConfigError("no LLM model: set llm.model in the config (any litellm model string, docs/providers.md)")
    return model


class LLM:
    """One model behind the door. ``await complete(messages)`` -> text; ``await complete_json(...)`` -> JSON."""

    def __init__(self, settings: LLMSettings, usage: Usage | None = None, registry: Any = None):
        if not settings.model:
            settings = attrs.evolve(settings, model=default_model(registry))
        self.settings = settings
        self.usage = usage if usage is not None else Usage()
        self.registry = registry
        self.cache = ResponseCache(settings.cache_path) if settings.cache_path else None
        self._semaphore: asyncio.Semaphore | None = None
        self._limiter: RateLimiter | None = None
        self._loop: Any = None
        self.direct_session: Any = None
        """(loop, aiohttp session, holder) of the direct OpenAI-compatible path, one per event loop."""

    # -- public ---------------------------------------------------------------------------------------

    async def complete(
        self, messages: list[dict] | str, *, stage: str = "", allow_empty: bool = False, **overrides: Any
    ) -> str:
        """The model's answer to ``messages`` (cached). Overrides: temperature, top_p, max_tokens, seed, ...

        An empty reply is retried like a failed request unless ``allow_empty`` (evaluation: silence is an answer).
        """
        text, _truncated = await self._complete(_messages(messages), stage, overrides, allow_empty=allow_empty)
        return text

    async def complete_json(
        self, messages: list[dict] | str, *, stage: str = "", attempts: int = 2, **overrides: Any
    ) -> Any:
        """Ask for JSON and parse it tolerantly; a reply still malformed after ``attempts`` raises RecordError.

        A reply cut off by ``max_tokens`` is asked again with twice the room (up to 8192 tokens)."""
        msgs = _messages(messages)
        text = ""
        for attempt in range(max(1, attempts)):
            # A retry of a malformed answer must not be served the same answer from the cache.
            text, truncated = await self._complete(msgs, stage, overrides, bust=attempt)
            try:
                return parse_json(text)
            except ValueError:
                self.usage.bump("failed", model=self.settings.model, stage=stage)
                if truncated:
                    room = self._params(overrides).get("max_tokens", 0)
                    overrides = {**overrides, "max_tokens": min(8192, 2 * room)} if room else overrides
        raise RecordError(f"the model's reply is not valid JSON after {max(1, attempts)} attempts", raw=text)

    # -- internals ------------------------------------------------------------------------------------

    def _params(self, overrides: dict[str, Any]) -> dict[str, Any]:
        s = self.settings
        params = {"temperature": s.temperature, "top_p": s.top_p, "max_tokens": s.max_tokens, "seed": s.seed}
        params.update(overrides)
        return {k: v for k, v in params.items() if v is not None}

    def _limits(self) -> tuple[asyncio.Semaphore, RateLimiter]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # one pipeline run = one loop; asyncio primitives belong to it
            self._loop = loop
            self._semaphore = asyncio.Semaphore(max(1, self.settings.concurrency))
            self._limiter = RateLimiter(self.settings.rpm, self.settings.tpm)
        return self._semaphore, self._limiter

    async def _complete(
        self, msgs: list[dict], stage: str, overrides: dict[str, Any], bust: int = 0, allow_empty: bool = False
    ) -> tuple[str, bool]:
        """``(text, truncated)``: truncated when the answer was cut off by ``max_tokens``."""
        model = self.settings.model
        params = self._params(overrides)
        key = cache_key(model, msgs, {**params, **({"retry": bust} if bust else {})})
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            text, pt, ct, truncated = hit
            self.usage.record(model=model, stage=stage, prompt_tokens=pt, completion_tokens=ct, cost=0.0, cached=True)
            return text, truncated
        prompt_estimate = sum(len(str(m.get("content", ""))) // 4 for m in msgs)
        budget = self.settings.max_cost
        held = self._worst_cost(prompt_estimate, params.get("max_tokens", 0)) if budget is not None else 0.0
        # Calls in flight hold their worst case; one that does not fit waits for them to settle, and only
        # when nothing is in flight and it still does not fit is the budget spent (so nothing paid is lost).
        while budget is not None and not self.usage.reserve(held, budget):
            if not self.usage.reserved:
                raise BudgetExceeded(
                    f"the LLM budget of ${budget:g} (llm.max_cost) would be exceeded by the next call; "
                    "raise it and re-run the same command to resume"
                )
            await asyncio.sleep(0.02)
        try:
            got = await self._batched(key, msgs, params) if self.settings.batch else None
            if got is not None:  # a batch answered (no concurrency slot held while it ran)
                text, pt, ct, cost, truncated = got
            else:
                semaphore, limiter = self._limits()
                async with semaphore:
                    await limiter.acquire(prompt_estimate + params.get("max_tokens", 0))
                    text, pt, ct, cost, truncated = await self._call(msgs, params, stage, allow_empty)
            if self.cache is not None:
                self.cache.put(key, model, text, pt, ct, truncated)
            self.usage.record(model=model, stage=stage, prompt_tokens=pt, completion_tokens=ct, cost=cost)
        finally:
            if budget is not None:
                self.usage.release(held)
        return text, truncated

    async def _batched(self, key: str, msgs: list[dict], params: dict[str, Any]) -> tuple | None:
        """The answer from a batch job (crabplug.llm.batch), or None: the caller asks live."""
        from crabplug.llm import batch as llm_batch

        loop = asyncio.get_running_loop()
        if getattr(self, "_batch_loop", None) is not loop:  # a batcher's futures belong to one event loop
            self._batch_loop, self._batcher = loop, llm_batch.Batcher(self)
        try:
            return await self._batcher.complete(key, msgs, params)
        except llm_batch.BatchUnavailable:
            return None

    def _worst_cost(self, prompt_tokens: int, max_tokens: int) -> float:
        """The most one call can cost: the prompt estimate plus a full ``max_tokens`` answer (0: no price)."""
        litellm = import_litellm()
        try:
            return float(sum(litellm.cost_per_token(self.settings.model, prompt_tokens, max_tokens or 0)))
        except Exception:  # no price known: tokens only, nothing to hold
            return 0.0

    async def _call(
        self, msgs: list[dict], params: dict[str, Any], stage: str, allow_empty: bool = False
    ) -> tuple[str, int, int, float | None, bool]:
        if openai_direct.serves(self.settings):  # one OpenAI-compatible server: plain HTTP (openai_direct)
            return await openai_direct.call(self, msgs, params, stage, allow_empty)
        litellm = import_litellm()
        _register_providers(litellm, self.registry)
        s = self.settings
        key = s.api_key()
        kwargs = {**s.extra, **params, "model": s.model, "messages": msgs, "timeout": s.timeout, "num_retries": 0}
        send = litellm.acompletion
        if router.is_routed(s):  # several servers behind one model string
            send = functools.partial(router.acompletion, self, litellm)
        elif s.api_base:
            kwargs["api_base"] = s.api_base
        if key:
            kwargs["api_key"] = key
        retryable = (
            litellm.RateLimitError,
            litellm.ServiceUnavailableError,
            litellm.InternalServerError,
            litellm.Timeout,
            litellm.APIConnectionError,
            _EmptyReply,
        )
        for attempt in range(s.max_retries + 1):
            try:
                response = await send(**kwargs)
                text = response.choices[0].message.content or ""
                if not text.strip() and not allow_empty:
                    raise _EmptyReply("the model returned an empty reply")
                truncated = response.choices[0].finish_reason == "length"
                return text, *self._tokens(response), self._cost(litellm, response), truncated
            except (litellm.AuthenticationError, litellm.PermissionDeniedError) as err:
                where = f"the key in {s.api_key_env}" if s.api_key_env else "the provider's API key variable"
                raise AuthError(
                    f"{s.model} refused the credentials ({redact(_first_line(err), [key])}); check {where}"
                ) from None
            except litellm.NotFoundError as err:
                raise CrabError(
                    f"model {s.model!r} was not found ({redact(_first_line(err), [key])}); check "
                    "llm.model and llm.api_base"
                ) from None
            except retryable as err:
                self.usage.bump("retries", model=s.model, stage=stage)
                if attempt == s.max_retries:  # a call given up counts as failed: a stage of only these is dead
                    self.usage.bump("failed", model=s.model, stage=stage)
                    raise RecordError(
                        f"{s.model} failed {attempt + 1} times: {redact(_first_line(err), [key])}", raw=""
                    ) from None
                wait = _retry_after(err)
                await asyncio.sleep(wait if wait is not None else min(30.0, 0.5 * 2**attempt) * random.uniform(0.5, 1))
            except litellm.BadRequestError as err:  # this request only (too long, refused): the record fails
                reason = redact(_first_line(err), [key])
                self.usage.bump("failed", model=s.model, stage=stage)
                raise RecordError(f"{s.model} rejected the request: {reason}", raw="") from None
        raise AssertionError("unreachable")

    @staticmethod
    def _tokens(response: Any) -> tuple[int, int]:
        usage = getattr(response, "usage", None)
        return int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0)

    @staticmethod
    def _cost(litellm: Any, response: Any) -> float | None:
        try:
            return float(litellm.completion_cost(completion_response=response))
        except Exception:  # litellm raises for models it has no price for: count their tokens only
            return None


class _EmptyReply(Exception):
    pass


def _first_line(err: Exception) -> str:
    """The provider's message without litellm's class-name prefixes, on one line."""
    lines = str(err).strip().splitlines()
    text = lines[0] if lines else type(err).__name__
    text = re.sub(r"^(litellm\.\w+:\s*)?(\w+Error:\s*)?(\w+Exception\s*-\s*)?", "", text)
    return text[:300]
