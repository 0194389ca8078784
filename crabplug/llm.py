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
import os
import random
import re
import threading
from typing import Any

import attrs

from crabplug import llm_fast, llm_router
from crabplug.errors import BudgetExceeded, ConfigError, CrabError, RecordError
from crabplug.llm_cache import ResponseCache, cache_key
from crabplug.llm_usage import RateLimiter, Usage

__all__ = ["AuthError", "LLM", "LLMSettings", "Usage", "parse_json", "redact"]

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.I)
_providers_lock = threading.Lock()
_registered_providers: set[str] = set()


class AuthError(CrabError):
    """The provider refused the credentials: retrying cannot help, so the run stops."""


@attrs.define
class LLMSettings:
    """The ``llm:`` section of a config: which model, how to reach it, and how hard to push it."""

    model: str = ""
    """Any litellm model string (``openai/gpt-4o-mini``, ``ollama/llama3``, ...); empty: the default a plugin
    offers (the ``default_llm_model`` hook; the built-in embedded model)."""
    api_base: str | list[str] | None = None
    """Endpoint for self-hosted or OpenAI-compatible servers (``http://localhost:8000/v1``); a list: several
    servers of the same model, load-balanced by litellm's Router (crabplug/llm_router.py)."""
    deployments: list[dict[str, Any]] | None = None
    """Several servers, each ``{api_base, model?, api_key_env?, weight?, rpm?, tpm?}``, behind ``model``."""
    router: dict[str, Any] = attrs.field(factory=dict)
    """Options for litellm's Router when several servers are named (cooldown_time, allowed_fails, ...)."""
    api_key_env: str | None = None
    """Name of the environment variable holding the key (never the key itself); None: the provider's usual one."""
    concurrency: int = 8
    """Requests in flight at once."""
    rpm: int | None = None
    """Requests per minute at most (None: no limit)."""
    tpm: int | None = None
    """Tokens per minute at most, prompt (estimated) plus max_tokens (None: no limit)."""
    timeout: float = 120.0
    """Seconds one request may take before it is retried."""
    max_retries: int = 6
    """Retries of one request on 429/5xx/timeouts/empty replies before the record fails."""
    temperature: float = 0.0
    """Sampling temperature (0: greedy, reproducible)."""
    top_p: float | None = None
    """Nucleus sampling (None: the provider's default)."""
    max_tokens: int = 512
    """Most tokens in one answer."""
    seed: int | None = None
    """Sampling seed for providers that take one."""
    cache_path: str | None = None
    """SQLite response cache (default: llm-cache.sqlite in the run directory; share one across runs by naming it)."""
    max_cost: float | None = None
    """Budget in US dollars: the run stops cleanly (resumable) once spent."""
    extra: dict[str, Any] = attrs.field(factory=dict)
    """Further keyword arguments passed to litellm.acompletion as they are."""
    batch: bool = False
    """Send requests as OpenAI-compatible batch jobs (``/v1/files`` + ``/v1/batches``; about half price, answers
    within the provider's window); a killed run resumes polling its batches. Needs an ``openai/...`` model."""
    batch_window: float = 1.0
    """Batch mode: seconds without a new request before the gathered requests are submitted as one batch."""
    batch_poll: float = 30.0
    """Batch mode: seconds between two polls of a batch's status."""

    def api_key(self) -> str | None:
        """The key from ``api_key_env`` (an unset variable is an error naming it)."""
        if not self.api_key_env:
            return None
        value = os.environ.get(self.api_key_env)
        if not value:
            raise AuthError(
                f"the environment variable {self.api_key_env} (llm.api_key_env) is not set: export it with your key"
            )
        return value


def redact(text: str, secrets: list[str] | None = None) -> str:
    """``text`` with every secret-looking environment value (and ``secrets``) replaced by ``***``."""
    values = [v for k, v in os.environ.items() if _SECRET_NAME.search(k) and len(v) >= 8]
    for value in sorted({*values, *(s for s in secrets or [] if s)}, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


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


def _import_litellm():
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


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
        """The answer from a batch job (crabplug.llm_batch), or None: the caller asks live."""
        from crabplug import llm_batch

        loop = asyncio.get_running_loop()
        if getattr(self, "_batch_loop", None) is not loop:  # a batcher's futures belong to one event loop
            self._batch_loop, self._batcher = loop, llm_batch.Batcher(self)
        try:
            return await self._batcher.complete(key, msgs, params)
        except llm_batch.BatchUnavailable:
            return None

    def _worst_cost(self, prompt_tokens: int, max_tokens: int) -> float:
        """The most one call can cost: the prompt estimate plus a full ``max_tokens`` answer (0: no price)."""
        litellm = _import_litellm()
        try:
            return float(sum(litellm.cost_per_token(self.settings.model, prompt_tokens, max_tokens or 0)))
        except Exception:  # no price known: tokens only, nothing to hold
            return 0.0

    async def _call(
        self, msgs: list[dict], params: dict[str, Any], stage: str, allow_empty: bool = False
    ) -> tuple[str, int, int, float | None, bool]:
        if llm_fast.serves(self.settings):  # one OpenAI-compatible server: plain HTTP (crabplug/llm_fast.py)
            return await llm_fast.call(self, msgs, params, stage, allow_empty)
        litellm = _import_litellm()
        _register_providers(litellm, self.registry)
        s = self.settings
        key = s.api_key()
        kwargs = {**s.extra, **params, "model": s.model, "messages": msgs, "timeout": s.timeout, "num_retries": 0}
        send = litellm.acompletion
        if llm_router.is_routed(s):  # several servers behind one model string
            send = functools.partial(llm_router.acompletion, self, litellm)
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
