"""The litellm custom provider ``local``: model strings ``local/<name>`` go to the embedded Engine.

litellm is imported here, and this module is imported only by ``make_handler``, so registering the plugin
stays cheap.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from litellm import ContextWindowExceededError, CustomLLM, ModelResponse, NotFoundError
from litellm.types.utils import Choices, Message, Usage

from crabplug import ConfigError
from crabplug_local.engine import Engine, Generation, PromptTooLong, engine_for, make_request
from crabplug_local.model import ModelSpec, spec_for

# OpenAI parameters the embedded model honours; litellm passes them in optional_params.
_PARAMS = ("max_tokens", "max_completion_tokens", "temperature", "top_p", "seed", "stop")


def _strip_provider(model: str) -> str:
    return model.split("/", 1)[1] if model.startswith("local/") else model


def _params(optional_params: dict[str, Any]) -> dict[str, Any]:
    params = {k: optional_params[k] for k in _PARAMS if optional_params.get(k) is not None}
    if "max_completion_tokens" in params:
        params.setdefault("max_tokens", params.pop("max_completion_tokens"))
    return params


def _response(model: str, generation: Generation, model_response: ModelResponse | None) -> ModelResponse:
    response = model_response if model_response is not None else ModelResponse()
    response.id = f"chatcmpl-local-{uuid.uuid4().hex}"
    response.created = int(time.time())
    response.model = f"local/{model}"
    response.choices = [
        Choices(
            index=0,
            finish_reason=generation.finish_reason,
            message=Message(role="assistant", content=generation.text),
        )
    ]
    response.usage = Usage(
        prompt_tokens=generation.prompt_tokens,
        completion_tokens=generation.completion_tokens,
        total_tokens=generation.prompt_tokens + generation.completion_tokens,
    )
    return response


class LocalLLM(CustomLLM):
    """Serves the embedded models to litellm; one Engine per model, shared by the whole process."""

    def spec(self, model: str) -> ModelSpec:
        """The embedded model a ``local/<name>`` or bare ``<name>`` string names.

        An unknown name raises litellm's NotFoundError (a 404, so no caller retries it) naming the models there are.
        """
        try:
            return spec_for(_strip_provider(model))
        except ConfigError as err:
            raise NotFoundError(message=str(err), model=model, llm_provider="local") from None

    def engine(self, model: str) -> Engine:
        """The loaded Engine for a model string, loading (and on first use converting) it."""
        return engine_for(self.spec(model))

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        """Blocking completion (litellm.completion)."""
        name = self.spec(model).name
        request = make_request(messages, **_params(kwargs.get("optional_params") or {}))
        try:
            generation = self.engine(name).submit(request).result()
        except PromptTooLong as err:
            raise ContextWindowExceededError(message=str(err), model=model, llm_provider="local") from None
        return _response(name, generation, kwargs.get("model_response"))

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        """Async completion (litellm.acompletion): the event loop stays free while the worker decodes."""
        name = self.spec(model).name
        request = make_request(messages, **_params(kwargs.get("optional_params") or {}))
        # The first call loads (or converts) the model: seconds of blocking work, kept off the loop.
        engine = await asyncio.to_thread(self.engine, name)
        try:
            generation = await asyncio.wrap_future(engine.submit(request))
        except PromptTooLong as err:
            raise ContextWindowExceededError(message=str(err), model=model, llm_provider="local") from None
        return _response(name, generation, kwargs.get("model_response"))
