"""What an LLM client is told: the ``llm:`` settings, the auth error, and the scrubbing of secrets."""

from __future__ import annotations

import os
import re
from typing import Any

import attrs

from crabplug.errors import CrabError

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.I)


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
    servers of the same model, load-balanced by litellm's Router (crabplug/llm/router.py)."""
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
