"""The door's lean path to OpenAI-compatible servers: one aiohttp request per call, no litellm in between.

litellm spends milliseconds of CPU per request building and parsing its own objects, which caps one process
at a few hundred requests per second however fast the server is. A self-hosted OpenAI-compatible server
(vLLM, SGLang, llama.cpp, TGI, LM Studio, an OpenAI-compatible proxy) named by ``llm.api_base`` with an
``openai/`` or ``hosted_vllm/`` model string speaks plain JSON over HTTP, so the door posts it directly.
Everything the door promises stays: the same request body litellm would send, the same retries (429, 5xx,
timeouts, connection errors, garbled bodies, empty replies, Retry-After), the same failures (401/403 stop
the run, 404 names the model, 400 fails the record), the same cache, budget and accounting (prices from
litellm's own table). Every other provider, and any setting this path does not know, keeps litellm's path;
``CRABPLUG_LLM_TRANSPORT=litellm`` sends everything through litellm. See docs/llm.md.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import random
import re
from typing import Any

from crabplug.errors import CrabError, RecordError
from crabplug.llm.litellm_import import import_litellm
from crabplug.llm.settings import AuthError, redact

log = logging.getLogger("crabplug.llm")

PREFIXES = ("openai/", "hosted_vllm/")
#: ``llm.extra`` keys that are plain fields of an OpenAI chat-completions body (anything else: litellm's path)
BODY_KEYS = frozenset(
    {
        "stop",
        "n",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "user",
        "response_format",
        "logprobs",
        "top_logprobs",
        "top_k",
        "min_p",
        "repetition_penalty",
    }
)
# OpenAI's reasoning models take max_completion_tokens, which litellm substitutes: leave them to litellm
_REASONING = re.compile(r"^(o\d|gpt-5)")
_RETRY_STATUS = {408, 409, 429}


def serves(settings: Any) -> bool:
    """Whether ``settings`` name one OpenAI-compatible server this path can talk to as litellm would."""
    if os.environ.get("CRABPLUG_LLM_TRANSPORT", "").lower() == "litellm":
        return False
    if not isinstance(settings.api_base, str) or not settings.api_base or getattr(settings, "deployments", None):
        return False
    if getattr(settings, "batch", False) or not set(settings.extra) <= BODY_KEYS:
        return False
    prefix, _, name = settings.model.partition("/")
    return f"{prefix}/" in PREFIXES and bool(name) and not _REASONING.match(name)


class _Retry(Exception):
    """A failure worth another attempt; ``wait`` is the server's Retry-After, if it sent one."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait


async def call(door: Any, msgs: list[dict], params: dict[str, Any], stage: str, allow_empty: bool) -> tuple:
    """``(text, prompt_tokens, completion_tokens, cost, truncated)`` from the server, with the door's retries."""
    s = door.settings
    key = s.api_key() or (os.environ.get("OPENAI_API_KEY") if s.model.startswith("openai/") else None)
    body = {**s.extra, **params, "model": s.model.partition("/")[2], "messages": msgs}
    url = s.api_base.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
    data = json.dumps(body).encode("utf-8")
    for attempt in range(s.max_retries + 1):
        try:
            log.debug("POST %s model=%s attempt=%d", url, body["model"], attempt + 1)
            reply = await _post(door, url, data, headers, s.timeout)
            text = reply["choices"][0]["message"].get("content") or ""
            if not text.strip() and not allow_empty:
                raise _Retry("the model returned an empty reply")
            usage = reply.get("usage") or {}
            pt, ct = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
            truncated = reply["choices"][0].get("finish_reason") == "length"
            return text, pt, ct, price(s.model, pt, ct), truncated
        except _Refused as err:
            status, reason = err.args
            reason = redact(reason, [key])
            if status in (401, 403):
                where = f"the key in {s.api_key_env}" if s.api_key_env else "the provider's API key variable"
                raise AuthError(f"{s.model} refused the credentials ({reason}); check {where}") from None
            if status == 404:
                raise CrabError(
                    f"model {s.model!r} was not found ({reason}); check llm.model and llm.api_base"
                ) from None
            door.usage.bump("failed", model=s.model, stage=stage)
            raise RecordError(f"{s.model} rejected the request: {reason}", raw="") from None
        except _Retry as err:
            door.usage.bump("retries", model=s.model, stage=stage)
            if attempt == s.max_retries:  # a call given up counts as failed: a stage of only these is dead
                door.usage.bump("failed", model=s.model, stage=stage)
                raise RecordError(f"{s.model} failed {attempt + 1} times: {redact(str(err), [key])}", raw="") from None
            wait = err.wait if err.wait is not None else min(30.0, 0.5 * 2**attempt) * random.uniform(0.5, 1)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


class _Refused(Exception):
    """A 4xx answer no retry can change: ``(status, reason)``."""


async def _post(door: Any, url: str, data: bytes, headers: dict[str, str], timeout: float) -> dict:
    import aiohttp

    session = await _session(door)
    try:
        async with session.post(url, data=data, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout)) as r:
            raw = await r.read()
            status = r.status
            retry_after = r.headers.get("retry-after")
    except TimeoutError:
        raise _Retry(f"no answer within {timeout:g} s (llm.timeout)") from None
    except aiohttp.ClientError as err:
        raise _Retry(f"connection error: {type(err).__name__}: {err}") from None
    if status >= 400:
        reason = _reason(raw, status)
        if status in _RETRY_STATUS or status >= 500:
            raise _Retry(f"{status}: {reason}", _seconds(retry_after))
        raise _Refused(status, reason)
    try:
        reply = json.loads(raw)
        reply["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise _Retry(f"a garbled response body ({len(raw)} bytes)") from None
    return reply


def _reason(raw: bytes, status: int) -> str:
    try:
        error = json.loads(raw).get("error")
        message = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        message = None
    text = str(message or raw[:300].decode("utf-8", "replace") or f"HTTP {status}").strip()
    return (text.splitlines() or [f"HTTP {status}"])[0][:300]


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


async def _session(door: Any) -> Any:
    """The door's aiohttp session for the running loop (one pipeline run is one loop)."""
    loop = asyncio.get_running_loop()
    held = door.direct_session
    if held is not None and held[0] is loop:
        return held[1]
    holder = _hold_session(door.settings.concurrency)
    session = await holder.__anext__()
    door.direct_session = (loop, session, holder)
    return session


async def _hold_session(concurrency: int):
    # An async generator left suspended here is closed by asyncio.run's shutdown_asyncgens when the loop
    # ends, which closes the session cleanly (no "unclosed client session" warning, no leaked sockets).
    import aiohttp

    connector = aiohttp.TCPConnector(limit=max(100, concurrency), ttl_dns_cache=300)
    session = aiohttp.ClientSession(connector=connector)
    try:
        yield session
        await asyncio.Event().wait()
    finally:
        await session.close()


@functools.lru_cache(maxsize=64)
def _priced(model: str) -> bool:
    """Whether litellm's bundled price table (read as JSON, litellm not imported) has ``model``."""
    import importlib.util

    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return False
    table = _price_table(spec.submodule_search_locations[0])
    return model in table or model.partition("/")[2] in table


@functools.lru_cache(maxsize=1)
def _price_table(folder: str) -> frozenset[str]:
    path = os.path.join(folder, "model_prices_and_context_window_backup.json")
    try:
        with open(path, encoding="utf-8") as f:
            return frozenset(json.load(f))
    except (OSError, ValueError):
        return frozenset()


def price(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """litellm's price of a call in dollars, or None for a model it has no price for (self-hosted ones)."""
    if not _priced(model):
        return None
    litellm = import_litellm()
    try:
        return float(
            sum(litellm.cost_per_token(model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens))
        )
    except Exception:  # litellm raises for models it cannot price: tokens only
        return None
