"""The LLM door: every LLM call in crabplug goes through :class:`LLM`, built on litellm (docs/llm.md).

- ``settings``: the ``llm:`` section, the auth error, secret scrubbing
- ``client``: the door itself (:class:`LLM`): limits, retries, cache, accounting, budget
- ``openai_direct``: the lean path to OpenAI-compatible servers (plain HTTP, no litellm in between)
- ``router``: several servers behind one model string (litellm's Router)
- ``batch``: OpenAI-compatible batch jobs
- ``cache``, ``usage``: the SQLite response cache; tokens, cost and rate limits
- ``judging``: which models may verify a constraint with their YES
- ``litellm_import``: litellm, imported on first use, configured quietly
"""

from __future__ import annotations

from crabplug.llm.client import LLM, default_model, parse_json
from crabplug.llm.settings import AuthError, LLMSettings, redact
from crabplug.llm.usage import Usage

__all__ = ["AuthError", "LLM", "LLMSettings", "Usage", "default_model", "parse_json", "redact"]
