"""Batch mode of the LLM door (``llm.batch: true``): a stage's requests go out as one OpenAI-compatible batch job.

Requests that miss the cache are gathered for ``batch_window`` seconds, written as a JSONL file of
``/v1/chat/completions`` bodies (``custom_id`` = the cache key), uploaded (``/v1/files``) and submitted
(``/v1/batches``) through litellm. The batch id and its keys are appended to ``llm-batches.jsonl`` beside the
response cache *before* waiting, so a run killed between submit and completion resumes by polling the same
batch: nothing is submitted or paid twice. Answers go into the cache as they arrive. A batch that fails,
expires or cannot be submitted, and any line of it that failed, falls back to a live call for that request.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from crabplug.errors import ConfigError
from crabplug.llm.litellm_import import import_litellm

#: OpenAI-compatible batch endpoints bill about half the live price; the tally counts batch answers so
BATCH_PRICE = 0.5
_TERMINAL_FAILURES = {"failed", "expired", "cancelled", "cancelling"}


class BatchUnavailable(Exception):
    """This request gets no answer from a batch: the door asks it live instead."""


def state_path(llm: Any) -> Path:
    """``llm-batches.jsonl`` beside the response cache (the run directory)."""
    cache = llm.settings.cache_path
    return (Path(cache).parent if cache else Path(".")) / "llm-batches.jsonl"


class Batcher:
    """Gathers one door's requests into batch jobs and hands each caller its answer."""

    def __init__(self, llm: Any) -> None:
        s = llm.settings
        if not s.model.startswith("openai/"):
            raise ConfigError(
                f"llm.batch needs an OpenAI-compatible model string (openai/NAME with llm.api_base), not {s.model!r}"
            )
        self.llm = llm
        self.path = state_path(llm)
        self.pending: dict[str, tuple[dict, asyncio.Future]] = {}
        self.waiting: dict[str, asyncio.Future] = {}  # keys of submitted batches -> their answer
        self.polls: dict[str, asyncio.Task] = {}
        self.submitted: dict[str, str] = {}  # key -> batch id, from earlier runs and this one
        self.done: set[str] = set()
        self.results: dict[str, tuple | Exception] = {}  # answers (or why none) of batches collected in this run
        self._flusher: asyncio.Task | None = None
        self._new = asyncio.Event()
        self._load()

    # -- state on disk --------------------------------------------------------------------------------

    def _load(self) -> None:
        if not self.path.is_file():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:  # a line torn by a kill: that batch was not recorded, so not relied on
                continue
            if row.get("done"):
                self.done.add(row["batch"])
            for key in row.get("keys", ()):
                self.submitted[key] = row["batch"]

    def _record(self, row: dict) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")
            f.flush()
            os.fsync(f.fileno())

    # -- the door's side ------------------------------------------------------------------------------

    async def complete(self, key: str, msgs: list[dict], params: dict[str, Any]) -> tuple:
        """``(text, prompt_tokens, completion_tokens, cost, truncated)`` from a batch; BatchUnavailable if none."""
        loop = asyncio.get_running_loop()
        if key in self.results:  # collected while this caller was on its way
            got = self.results[key]
            if isinstance(got, Exception):
                raise got
            return got
        batch = self.submitted.get(key)
        if batch is not None and batch not in self.done:  # a batch an earlier (killed) run submitted: poll it
            future = self.waiting.setdefault(key, loop.create_future())
            self._poll(batch)
            return await future
        if key in self.pending:
            return await self.pending[key][1]
        future = loop.create_future()
        body = {**params, "model": self.llm.settings.model.removeprefix("openai/"), "messages": msgs}
        self.pending[key] = (body, future)
        self._new.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush_when_quiet())
        return await future

    async def _flush_when_quiet(self) -> None:
        window = self.llm.settings.batch_window
        while True:  # submit once no new request arrived for a whole window: one batch per stage's chunk
            self._new.clear()
            try:
                await asyncio.wait_for(self._new.wait(), timeout=window)
            except TimeoutError:
                break
        requests, self.pending = self.pending, {}
        if requests:
            await self._submit(requests)

    def _client(self) -> tuple[Any, dict[str, Any]]:
        s = self.llm.settings
        kwargs: dict[str, Any] = {"custom_llm_provider": "openai"}
        if s.api_base:
            kwargs["api_base"] = s.api_base
        if key := s.api_key():
            kwargs["api_key"] = key
        return import_litellm(), kwargs

    async def _submit(self, requests: dict[str, tuple[dict, asyncio.Future]]) -> None:
        litellm, kwargs = self._client()
        lines = [json.dumps({"custom_id": k, "method": "POST", "url": "/v1/chat/completions", "body": body})
                 for k, (body, _) in requests.items()]
        try:
            upload = await litellm.acreate_file(file=("crabplug-batch.jsonl", ("\n".join(lines) + "\n").encode()),
                                                purpose="batch", **kwargs)
            batch = await litellm.acreate_batch(completion_window="24h", endpoint="/v1/chat/completions",
                                                input_file_id=upload.id, **kwargs)
        except Exception as err:  # no batch endpoint, a refused upload: every request goes live
            for _, future in requests.values():
                if not future.done():
                    future.set_exception(BatchUnavailable(f"the batch could not be submitted: {err}"))
            return
        self._record({"batch": batch.id, "keys": list(requests)})  # before waiting: a kill resumes polling
        for key, (_, future) in requests.items():
            self.submitted[key] = batch.id
            self.waiting[key] = future
        self._poll(batch.id)

    def _poll(self, batch_id: str) -> None:
        if batch_id not in self.polls:
            self.polls[batch_id] = asyncio.ensure_future(self._poll_until_done(batch_id))

    async def _poll_until_done(self, batch_id: str) -> None:
        litellm, kwargs = self._client()
        keys = [k for k, b in self.submitted.items() if b == batch_id]
        try:
            while True:
                batch = await litellm.aretrieve_batch(batch_id=batch_id, **kwargs)
                if batch.status == "completed":
                    content = await litellm.afile_content(file_id=batch.output_file_id, **kwargs)
                    self._deliver(content.content, keys)
                    break
                if batch.status in _TERMINAL_FAILURES:
                    raise BatchUnavailable(f"batch {batch_id} ended {batch.status}")
                await asyncio.sleep(self.llm.settings.batch_poll)
        except Exception as err:
            self._fail(keys, err if isinstance(err, BatchUnavailable) else BatchUnavailable(str(err)))
        self._record({"batch": batch_id, "done": True})
        self.done.add(batch_id)

    def _deliver(self, content: bytes, keys: list[str]) -> None:
        litellm = import_litellm()
        model = self.llm.settings.model
        answered = set()
        for line in content.decode("utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            response = (row or {}).get("response") or {}
            if not row or row.get("error") or response.get("status_code") != 200:
                continue  # that request goes live (below)
            body = response["body"]
            choice = body["choices"][0]
            text = choice["message"].get("content") or ""
            usage = body.get("usage") or {}
            pt, ct = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
            try:
                cost: float | None = BATCH_PRICE * float(sum(litellm.cost_per_token(model, pt, ct)))
            except Exception:  # a model litellm has no price for
                cost = None
            key, truncated = row["custom_id"], choice.get("finish_reason") == "length"
            answered.add(key)
            self.results[key] = (text, pt, ct, cost, truncated)
            if self.llm.cache is not None:  # cached at once: a kill now loses nothing that was paid for
                self.llm.cache.put(key, model, text, pt, ct, truncated)
            future = self.waiting.get(key)
            if future is not None and not future.done():
                future.set_result(self.results[key])
        self._fail([k for k in keys if k not in answered], BatchUnavailable("the batch returned no answer for it"))

    def _fail(self, keys: list[str], err: Exception) -> None:
        for key in keys:
            self.results[key] = err
            future = self.waiting.get(key)
            if future is not None and not future.done():
                future.set_exception(err)
