"""Several servers behind one model string: the LLM door sends through litellm's Router.

``llm.api_base`` may list several servers, or ``llm.deployments`` may describe each one (its own
``api_base``, model string, key variable, weight). The door then hands each request to a
``litellm.Router`` for that model string: it spreads requests over the servers, puts a failing server in
cooldown and retries the request on another one. Everything else stays the door's own: the response
cache (keyed on the model string, never on a server), the budget, the token and cost accounting, and the
door's retries with backoff when every server is failing. See docs/llm.md.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from typing import Any

from crabplug.errors import ConfigError

#: keys a ``deployments`` entry may have: where the server is, and how to weigh it
DEPLOYMENT_KEYS = {"api_base", "model", "api_key_env", "weight", "rpm", "tpm"}
#: Router options crabplug sets unless ``llm.router`` says otherwise (why: see docs/llm.md)
ROUTER_DEFAULTS: dict[str, Any] = {
    "routing_strategy": "simple-shuffle",  # weighted random: no shared state needed between processes
    "allowed_fails": 1,  # a second failure within a minute puts a server in cooldown...
    "cooldown_time": 30,  # ...for 30 s, then it is tried again
    "retry_after": 0,
}

_routers: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def is_routed(settings: Any) -> bool:
    """Whether ``settings`` name several servers (a list ``api_base`` or ``deployments``)."""
    return bool(settings.deployments) or isinstance(settings.api_base, list | tuple)


def deployments(settings: Any) -> list[dict[str, Any]]:
    """The Router's ``model_list`` for ``settings``: one entry per server, all under the model string."""
    entries = settings.deployments or [{"api_base": base} for base in settings.api_base or []]
    model_list = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"llm.deployments[{i}] must be a mapping such as {{api_base: http://host:8000/v1}}")
        if unknown := sorted(set(entry) - DEPLOYMENT_KEYS):
            raise ConfigError(
                f"llm.deployments[{i}] has an unknown key {unknown[0]!r}; known: {', '.join(sorted(DEPLOYMENT_KEYS))}"
            )
        params: dict[str, Any] = {"model": entry.get("model") or settings.model}
        base = entry.get("api_base")
        if base is None and isinstance(settings.api_base, str):
            base = settings.api_base
        if base:
            params["api_base"] = str(base)
        key_env = entry.get("api_key_env") or settings.api_key_env
        if key_env:
            key = os.environ.get(key_env)
            if not key:
                raise ConfigError(
                    f"the environment variable {key_env} (llm.deployments[{i}].api_key_env) is not set: "
                    "export it with your key"
                )
            params["api_key"] = key
        params.update({k: entry[k] for k in ("weight", "rpm", "tpm") if k in entry})
        model_list.append({"model_name": settings.model, "litellm_params": params, "model_info": {"id": f"server-{i}"}})
    if not model_list:
        raise ConfigError("llm.api_base lists no server: give at least one URL")
    return model_list


def _router(door: Any, litellm: Any) -> Any:
    # A Router's HTTP clients belong to the event loop that made them; one pipeline run is one loop.
    loop = asyncio.get_running_loop()
    held = _routers.get(door)
    if held is not None and held[0] is loop:
        return held[1]
    from litellm import Router

    s = door.settings
    options = {**ROUTER_DEFAULTS, "num_retries": 2 * len(deployments(s)), "timeout": s.timeout, **(s.router or {})}
    router = Router(model_list=deployments(s), **options)
    _routers[door] = (loop, router)
    return router


async def acompletion(door: Any, litellm: Any, **kwargs: Any) -> Any:
    """``litellm.acompletion(**kwargs)`` through the door's Router (made on first use in this event loop).

    The keys and servers come from the deployments, so ``api_base``/``api_key`` in ``kwargs`` are dropped;
    so is ``num_retries``: the Router retries on another server, the door retries with backoff around it.
    "No server available" (all in cooldown) is raised as a retryable 503 so the door waits and tries again.
    """
    router = _router(door, litellm)
    for name in ("api_base", "api_key", "num_retries"):
        kwargs.pop(name, None)
    from litellm.types.router import RouterRateLimitError

    try:
        return await router.acompletion(**kwargs)
    except RouterRateLimitError as err:
        raise litellm.ServiceUnavailableError(
            message=f"every server for {door.settings.model} is cooling down after failures ({err})",
            llm_provider="router",
            model=door.settings.model,
        ) from None
