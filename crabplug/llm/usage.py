"""Token and cost accounting for the LLM door, and the requests/tokens-per-minute limiter."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections import deque
from typing import Any

_FIELDS = ("calls", "cached", "prompt_tokens", "completion_tokens", "cost", "unpriced_calls", "retries", "failed")


def _empty() -> dict[str, Any]:
    return {k: 0.0 if k == "cost" else 0 for k in _FIELDS}


class Usage:
    """A run's LLM tally: in total, by model and by stage. Thread- and task-safe."""

    def __init__(self, spent_before: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, Any] = {"total": _empty(), "by_model": {}, "by_stage": {}}
        self.spent_before = float(spent_before or 0.0)
        """Dollars earlier runs of the same run directory spent: they count against ``max_cost``, not here."""
        self._reserved = 0.0
        self._holds = 0  # calls in flight holding part of the budget

    def _buckets(self, model: str, stage: str) -> list[dict[str, Any]]:
        out = [self._data["total"], self._data["by_model"].setdefault(model, _empty())]
        if stage:
            out.append(self._data["by_stage"].setdefault(stage, _empty()))
        return out

    def record(
        self,
        *,
        model: str,
        stage: str = "",
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        cost: float | None = None,
        cached: bool = False,
    ) -> None:
        """Count one answer. ``cost=None`` means litellm knows no price for the model: tokens only."""
        with self._lock:
            for b in self._buckets(model, stage):
                b["calls"] += 1
                b["cached"] += int(cached)
                b["prompt_tokens"] += int(prompt_tokens)
                b["completion_tokens"] += int(completion_tokens)
                b["cost"] += float(cost or 0.0)
                b["unpriced_calls"] += int(cost is None and not cached)

    def bump(self, key: str, *, model: str, stage: str = "") -> None:
        """Count a retry or a failed call."""
        with self._lock:
            for b in self._buckets(model, stage):
                b[key] += 1

    @property
    def cost(self) -> float:
        """Dollars spent so far in this process."""
        with self._lock:
            return float(self._data["total"]["cost"])

    def reserve(self, amount: float, budget: float) -> bool:
        """Hold ``amount`` dollars for a call in flight if spent + held + amount stays within ``budget``."""
        with self._lock:
            if self.spent_before + self._data["total"]["cost"] + self._reserved + amount > budget:
                return False
            self._reserved += amount
            self._holds += 1
            return True

    @property
    def reserved(self) -> float:
        """Dollars held by calls in flight."""
        with self._lock:
            return self._reserved

    def release(self, amount: float) -> None:
        """Give back a reservation once its call is answered (and recorded) or failed."""
        with self._lock:
            self._holds = max(0, self._holds - 1)
            # Sums of floats released in another order than they were held leave a residue (1e-19...): with no
            # call in flight nothing is held, or a budget check waiting for "nothing held" would wait forever.
            self._reserved = max(0.0, self._reserved - amount) if self._holds else 0.0

    def snapshot(self) -> dict[str, Any]:
        """A copy: ``{"total": {...}, "by_model": {model: {...}}, "by_stage": {stage: {...}}}``."""
        with self._lock:
            return copy.deepcopy(self._data)

    def add(self, snapshot: dict[str, Any]) -> None:
        """Fold in a tally made elsewhere (``snapshot()`` form): an executor's worker processes report theirs."""
        with self._lock:
            buckets = [(self._data["total"], snapshot.get("total", {}))]
            for section in ("by_model", "by_stage"):
                for name, values in snapshot.get(section, {}).items():
                    buckets.append((self._data[section].setdefault(name, _empty()), values))
            for mine, theirs in buckets:
                for k in _FIELDS:
                    mine[k] += theirs.get(k, 0)


class RateLimiter:
    """At most ``rpm`` requests and ``tpm`` tokens in any 60 s window (either may be None)."""

    def __init__(self, rpm: int | None, tpm: int | None, window: float = 60.0):
        self.rpm, self.tpm, self.window = rpm, tpm, window
        self._events: deque[tuple[float, int]] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self, tokens: int) -> None:
        """Wait until one more request of about ``tokens`` tokens fits in the window."""
        if self.rpm is None and self.tpm is None:
            return
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._events and now - self._events[0][0] >= self.window:
                    self._events.popleft()
                used = sum(t for _, t in self._events)
                fits_rpm = self.rpm is None or len(self._events) < self.rpm
                fits_tpm = self.tpm is None or not self._events or used + tokens <= self.tpm
                if fits_rpm and fits_tpm:
                    self._events.append((now, tokens))
                    return
                await asyncio.sleep(max(0.01, self.window - (now - self._events[0][0])))
