"""The LLM judge behind :mod:`crabplug.rewards`: soft constraints (no code check) judged YES/NO through the door.

Every call goes through :class:`crabplug.llm.LLM`, so answers are cached (SQLite when ``cache_path`` is set,
and in memory for the process either way), requests are concurrency-limited and ``max_cost`` holds. The
judge is greedy (temperature 0) so the same completion always gets the same verdict.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Mapping
from typing import Any

import attrs

from crabplug.errors import BudgetExceeded, ConfigError, RecordError

PROMPT = (
    "You check whether a response satisfies one constraint. Judge only that constraint, nothing else.\n\n"
    "Instruction:\n{instruction}\n\nResponse:\n{response}\n\nConstraint:\n{constraint}\n\n"
    "Does the response satisfy the constraint? Answer with one word: YES or NO."
)
_YES_NO = re.compile(r"\b(YES|NO)\b", re.I)


def yes_no(reply: str) -> bool | None:
    """The first YES/NO word of a reply (case-insensitive); None when there is none."""
    m = _YES_NO.search(reply or "")
    return None if m is None else m.group(1).upper() == "YES"


def settings_from(judge: Any) -> Any:
    """An :class:`crabplug.llm.LLMSettings` from a mapping (the ``judge:`` section of a config) or settings."""
    from crabplug.llm import LLMSettings

    if isinstance(judge, LLMSettings):
        return judge
    if not isinstance(judge, Mapping):
        raise ConfigError("judge must be a mapping of llm settings (model, api_base, max_cost, ...)")
    known = {f.name for f in attrs.fields(LLMSettings)}
    unknown = sorted(set(judge) - known)
    if unknown:
        raise ConfigError(f"judge: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
    return LLMSettings(**{"temperature": 0.0, "max_tokens": 16, **judge})


@attrs.define
class Judge:
    """YES/NO verdicts on (instruction, response, constraint) triples, many at once, through one door."""

    llm: Any
    """A :class:`crabplug.llm.LLM` (or anything with the same ``async complete``)."""
    prompt: str = PROMPT
    """The question; ``{instruction}``, ``{response}`` and ``{constraint}`` are filled in."""
    counts: dict[str, int] = attrs.field(factory=lambda: {"yes": 0, "no": 0, "unparsed": 0, "failed": 0})
    """Verdicts given so far (unparsed and failed ones score 0)."""
    _memo: dict[tuple[str, str, str], bool] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    @classmethod
    def from_settings(cls, judge: Any, registry: Any = None) -> Judge:
        """A judge over the door built from ``judge`` (mapping or LLMSettings)."""
        from crabplug.llm import LLM

        return cls(LLM(settings_from(judge), registry=registry))

    def verdicts(self, triples: list[tuple[str, str, str]]) -> list[bool]:
        """One verdict per ``(instruction, response, constraint)``, asked concurrently; repeats cost nothing."""
        todo = sorted({t for t in triples if t not in self._memo})
        if todo:
            answers = _run(self._ask_all(todo))
            with self._lock:
                self._memo.update(zip(todo, answers, strict=True))
        return [self._memo[t] for t in triples]

    async def _ask_all(self, todo: list[tuple[str, str, str]]) -> list[bool]:
        return list(await asyncio.gather(*(self._ask(*t) for t in todo)))

    async def _ask(self, instruction: str, response: str, constraint: str) -> bool:
        text = self.prompt.format(instruction=instruction, response=response, constraint=constraint)
        try:
            reply = await self.llm.complete(text, stage="reward_judge", allow_empty=True)
        except BudgetExceeded:
            raise
        except RecordError:  # the server kept failing: no verdict, no reward for this constraint
            self.counts["failed"] += 1
            return False
        ok = yes_no(reply)
        self.counts[{True: "yes", False: "no", None: "unparsed"}[ok]] += 1
        return bool(ok)


def _run(coro: Any) -> Any:
    """Run ``coro`` to completion from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as err:  # handed back to the caller's thread
            out["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]
