"""Constraint checks as rewards, for RL with verifiable rewards (GRPO, IF-RLVR, VerIF).

The reward of a completion is the share of its row's constraints it meets (IFEval strict by default, loose
as an option), 0 for an empty answer, computed on the answer after a ``<think>...</think>`` section. Types
with a code ``check`` are checked by code; constraints no code can check (a registered type without
``check``, or free text ``llm:<category>``) are judged by an LLM through crabplug's door, with their own
weight (the VerIF hybrid). The signature is trl's::

    from crabplug.rewards import ConstraintReward
    reward = ConstraintReward(loose=False)
    GRPOTrainer(..., reward_funcs=[reward])   # rows carry constraints / instruction_id_list+kwargs / ground_truth

A row's constraints come from any of three columns: ``constraints`` (crabplug's ``[{type, kwargs, text}]``),
``instruction_id_list`` + ``kwargs`` (IFEval), or ``ground_truth`` (open-instruct's JSON of ``instruction_id``
and ``kwargs``). See docs/rlvr.md, which also shows the adapters for open-instruct and verl.
"""

from __future__ import annotations

import ast
import collections
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from crabplug.constraints import check, loose_variants
from crabplug.errors import CrabError

__all__ = [
    "ConstraintReward",
    "Item",
    "Scored",
    "answer_text",
    "compute_score",
    "constraint_reward",
    "row_constraints",
    "validate_rows",
]

_CHECK_ERRORS = (TypeError, ValueError, KeyError, AttributeError, IndexError, re.error)
_COLUMNS = ("constraints", "instruction_id_list", "kwargs", "ground_truth")
_PROBE = "A probe response.\n\nIt has two paragraphs, some words, and no special form."


@attrs.frozen
class Item:
    """One constraint of a row, as the reward sees it."""

    type: str
    """The constraint type's id (``llm:<category>`` for free text)."""
    kwargs: dict[str, Any] = attrs.field(factory=dict)
    """Arguments of the type's check (None values dropped, as IFEval does)."""
    text: str = ""
    """Its phrasing: what the LLM judge is shown for a soft constraint."""


@attrs.frozen
class Scored:
    """A completion's reward and how each constraint fared."""

    reward: float
    """The weighted share of constraints met, in [0, 1]."""
    items: tuple[Item, ...] = ()
    """The row's constraints, in order."""
    met: tuple[bool, ...] = ()
    """Whether each was met (all False for an empty answer)."""
    by: tuple[str, ...] = ()
    """Who decided each: ``code`` or ``llm``."""
    empty: bool = False
    """The answer was empty (after removing a thinking section): reward 0."""


def answer_text(completion: Any) -> str:
    """The answer in a completion: a string, or trl's conversational form (a list of message dicts).

    A ``<think>...</think>`` section is removed first (text after the last ``</think>``, stripped); a
    ``<think>`` never closed leaves only what came before it. Without thinking tags the text is unchanged.
    """
    if isinstance(completion, list):
        parts = [
            m.get("content") for m in completion if isinstance(m, Mapping) and m.get("role", "assistant") == "assistant"
        ]
        text = "".join(p for p in parts if isinstance(p, str))
    elif isinstance(completion, Mapping):
        text = completion.get("content") if isinstance(completion.get("content"), str) else ""
    elif isinstance(completion, str):
        text = completion
    else:
        raise CrabError(f"a completion must be a string or a list of messages, not {type(completion).__name__}")
    if "</think>" in text:
        return text.rsplit("</think>", 1)[1].strip()
    if "<think>" in text:
        return text.split("<think>", 1)[0].strip()
    return text


def _ground_truth(value: Any) -> tuple[list[Any], list[Any]]:
    """open-instruct's ground truth: JSON (or a Python literal) of a dict, or a list holding one (maybe as JSON)."""
    data = value
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            data = ast.literal_eval(data)
    if isinstance(data, list):
        data = data[0] if data else {}
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, Mapping):
        raise ValueError("not an object")
    ids = data.get("instruction_id", data.get("instruction_id_list"))
    return ids, data.get("kwargs") or [{}] * len(ids or [])


def row_constraints(row: Mapping[str, Any]) -> list[Item]:
    """The constraints a row asks for, from ``constraints``, ``instruction_id_list``+``kwargs`` or ``ground_truth``.

    Raises ValueError with the reason when none of them is there or it is malformed.
    """
    if row.get("constraints") is not None:
        raw = row["constraints"]
        if isinstance(raw, str):  # a JSON column: Arrow cannot hold kwargs of different shapes in one struct
            try:
                raw = json.loads(raw)
            except ValueError:
                raise ValueError("'constraints' is a string but not JSON") from None
        if not isinstance(raw, list):
            raise ValueError("'constraints' must be a list of {type, kwargs, text}")
        pairs = [
            (c.get("type"), c.get("kwargs") or {}, c.get("text") or "") if isinstance(c, Mapping) else (None, {}, "")
            for c in raw
        ]
    elif row.get("instruction_id_list") is not None or row.get("ground_truth") is not None:
        if row.get("instruction_id_list") is not None:
            ids, kws = row["instruction_id_list"], row.get("kwargs") or [{}] * len(row["instruction_id_list"])
        else:
            try:
                ids, kws = _ground_truth(row["ground_truth"])
            except (ValueError, SyntaxError, TypeError, KeyError, IndexError) as err:
                raise ValueError(
                    f"ground_truth is not open-instruct's JSON of instruction_id and kwargs ({err})"
                ) from None
        if not isinstance(ids, list) or not isinstance(kws, list) or len(ids) != len(kws):
            raise ValueError("instruction ids and kwargs must be lists of the same length")
        pairs = [(t, k if k is not None else {}, "") for t, k in zip(ids, kws, strict=True)]
    else:
        raise ValueError("the row has no constraints, instruction_id_list + kwargs or ground_truth column")
    items = []
    for type_id, kwargs, text in pairs:
        if not isinstance(type_id, str) or not isinstance(kwargs, Mapping):
            raise ValueError("every constraint needs a type id (string) and kwargs (object)")
        items.append(Item(type_id, {k: v for k, v in kwargs.items() if v is not None}, str(text)))
    return items


def _check_failure(item: Item, err: Exception) -> str:
    """Why a check could not run: kwargs it cannot take, or something it needs that is missing (data files)."""
    if isinstance(err, LookupError) and not isinstance(err, KeyError):
        return f"{item.type} cannot be checked here: {err}"
    return f"bad kwargs for {item.type} {item.kwargs}: {err}"


def _prompt_text(prompt: Any) -> str:
    if isinstance(prompt, list):  # conversational: the last user turn is the instruction
        users = [m.get("content", "") for m in prompt if isinstance(m, Mapping) and m.get("role") == "user"]
        return str(users[-1]) if users else ""
    return prompt if isinstance(prompt, str) else ""


def _name(row: Mapping[str, Any], index: int) -> str:
    ident = next((row[k] for k in ("id", "key") if row.get(k) not in (None, "")), None)
    return f"row {index}" + (f" (id {ident})" if ident is not None else "")


class ConstraintReward:
    """A reward function with trl's signature: ``reward(completions, prompts=..., **columns) -> list[float]``.

    ``loose``: IFEval's loose check (the answer without its first/last line or asterisks may pass).
    ``judge``: LLM settings (a mapping such as ``{"model": ..., "api_base": ..., "max_cost": 2.0,
    "cache_path": ...}`` or :class:`crabplug.llm.LLMSettings`) for constraints without a code check;
    ``soft_weight``: their weight next to code-checked ones (1: equal; 0: ignored, no judge needed).
    ``registry``: the loaded plugins (default: every installed plugin).
    """

    def __init__(
        self,
        *,
        loose: bool = False,
        judge: Any = None,
        soft_weight: float = 1.0,
        registry: Any = None,
        name: str = "constraints",
    ) -> None:
        if soft_weight < 0:
            raise CrabError("soft_weight must be at least 0")
        self.__name__ = name  # trl logs each reward function as rewards/<__name__>
        self.loose = loose
        self.soft_weight = float(soft_weight)
        self._registry = registry
        self._judge_settings = judge
        self._judge: Any = None
        self._valid: dict[str, list[Item]] = {}  # rows already validated, by their constraint columns
        self.stats: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
        """Per constraint type: [constraints scored, constraints met] since the last :meth:`take_stats`."""

    @property
    def registry(self) -> Any:
        """The plugin registry whose constraint types check the constraints."""
        if self._registry is None:
            from crabplug.plugins import load

            self._registry = load()
        return self._registry

    @property
    def judge(self) -> Any:
        """The :class:`crabplug.rewards.judge.Judge`, built on first use; None without judge settings."""
        if self._judge is None and self._judge_settings is not None:
            from crabplug.rewards.judge import Judge

            self._judge = Judge.from_settings(self._judge_settings, self.registry)
        return self._judge

    # -- validation -----------------------------------------------------------------------------------

    def _kind(self, item: Item) -> str:
        ctype = self.registry.constraint_types.get(item.type)
        if ctype is not None and ctype.check is not None:
            return "code"
        if ctype is None and not item.type.startswith("llm:"):
            raise ValueError(f"unknown constraint type {item.type!r} (is its plugin installed?)")
        return "llm"

    def _soft_text(self, item: Item) -> str:
        if item.text:
            return item.text
        ctype = self.registry.constraint_types.get(item.type)
        if ctype is None:
            raise ValueError(f"the free-text constraint {item.type!r} has no text for the judge")
        import random

        return ctype.describe(item.kwargs, random.Random(0))

    def validate_row(self, row: Mapping[str, Any], index: int = 0) -> list[Item]:
        """The row's constraints, or a CrabError naming the row: unknown type, bad kwargs, no judge for a soft one."""
        key = json.dumps([row.get(k) for k in _COLUMNS], sort_keys=True, default=str)
        if key in self._valid:  # GRPO scores each prompt's row once per generation: validate it once
            return self._valid[key]
        where = _name(row, index)
        try:
            items = row_constraints(row)
            for item in items:
                if self._kind(item) == "code":
                    ctype = self.registry.constraint_types[item.type]
                    try:
                        check(ctype, _PROBE, item.kwargs)
                    except _CHECK_ERRORS as err:
                        raise ValueError(_check_failure(item, err)) from None
                elif self.soft_weight > 0:
                    self._soft_text(item)
                    if self._judge_settings is None:
                        raise ValueError(
                            f"{item.type} has no code check and no LLM judge is set: give judge settings, "
                            "or soft_weight=0 to ignore such constraints"
                        )
        except ValueError as err:
            raise CrabError(f"{where}: {err}") from None
        if len(self._valid) >= 100_000:
            self._valid.clear()
        self._valid[key] = items
        return items

    # -- scoring --------------------------------------------------------------------------------------

    def __call__(self, completions: Sequence[Any], prompts: Sequence[Any] | None = None, **columns: Any) -> list[float]:
        """One reward per completion (trl passes every dataset column as a keyword argument)."""
        return [s.reward for s in self.score(completions, prompts=prompts, **columns)]

    def score(self, completions: Sequence[Any], prompts: Sequence[Any] | None = None, **columns: Any) -> list[Scored]:
        """Like calling the reward, with the per-constraint breakdown of each completion."""
        n = len(completions)
        rows = [{k: v[i] for k, v in columns.items() if isinstance(v, list | tuple) and len(v) == n} for i in range(n)]
        plans = []
        triples: list[tuple[str, str, str]] = []
        for i, (completion, row) in enumerate(zip(completions, rows, strict=True)):
            items = self.validate_row(row, i)
            answer = answer_text(completion)
            if not answer.strip():
                plans.append((items, [False] * len(items), ["code"] * len(items), True))
                continue
            variants = loose_variants(answer) if self.loose else [answer]
            met: list[Any] = []
            by = []
            for item in items:
                if self._kind(item) == "code":
                    met.append(self._check(item, variants, _name(row, i)))
                    by.append("code")
                elif self.soft_weight > 0:
                    instruction = _prompt_text(prompts[i]) if prompts is not None else ""
                    met.append(len(triples))
                    triples.append((instruction, answer, self._soft_text(item)))
                    by.append("llm")
                else:
                    met.append(None)
                    by.append("ignored")
            plans.append((items, met, by, False))
        verdicts = self.judge.verdicts(triples) if triples else []
        return [self._finish(items, met, by, empty, verdicts) for items, met, by, empty in plans]

    def _check(self, item: Item, variants: list[str], where: str) -> bool:
        ctype = self.registry.constraint_types[item.type]
        try:  # loose: any variant passes strictly (IFEval's rule; crabplug.constraints.check builds the same list)
            return any(v.strip() and ctype.check(v, **item.kwargs) for v in variants)
        except _CHECK_ERRORS as err:  # never a silent zero: the row is wrong, say which
            raise CrabError(f"{where}: {_check_failure(item, err)}") from None

    def _finish(self, items: list[Item], met: list[Any], by: list[str], empty: bool, verdicts: list[bool]) -> Scored:
        met = [verdicts[m] if b == "llm" and not empty else m for m, b in zip(met, by, strict=True)]
        weights = [0.0 if b == "ignored" else self.soft_weight if b == "llm" else 1.0 for b in by]
        total = sum(weights)
        got = sum(w for w, m in zip(weights, met, strict=True) if m)
        for item, m, b in zip(items, met, by, strict=True):
            if b != "ignored":
                counts = self.stats[item.type]
                counts[0] += 1
                counts[1] += bool(m)
        return Scored(
            reward=0.0 if empty or not total else got / total,
            items=tuple(items),
            met=tuple(bool(m) for m in met),
            by=tuple(by),
            empty=empty,
        )

    def take_stats(self) -> dict[str, float]:
        """Pass rate per constraint type since the last call (then reset): what the grpo trainer logs."""
        rates = {t: met / n for t, (n, met) in sorted(self.stats.items()) if n}
        self.stats.clear()
        return rates


def validate_rows(rows: Iterable[Mapping[str, Any]], reward: ConstraintReward | None = None) -> int:
    """Check every row before training starts; the number of rows, or a CrabError naming the first bad row."""
    reward = reward or _default()
    n = 0
    for n, row in enumerate(rows, 1):
        reward.validate_row(row, n - 1)
    return n


_DEFAULT: ConstraintReward | None = None


def _default() -> ConstraintReward:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ConstraintReward(name="constraint_reward")
    return _DEFAULT


def constraint_reward(completions: Sequence[Any], **columns: Any) -> list[float]:
    """trl's reward signature with the defaults (strict, code checks only, every installed plugin)."""
    return _default()(completions, **columns)


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: Any = None) -> float:
    """verl's custom reward signature: the strict share of ``ground_truth``'s constraints ``solution_str`` meets.

    ``ground_truth``: open-instruct's JSON (``instruction_id`` + ``kwargs``), or a dict with ``constraints``
    or ``instruction_id_list`` + ``kwargs``.
    """
    row = (
        dict(ground_truth)
        if isinstance(ground_truth, Mapping) and "instruction_id" not in ground_truth
        else {"ground_truth": json.dumps(ground_truth) if isinstance(ground_truth, Mapping) else ground_truth}
    )
    return _default()([solution_str], **{k: [v] for k, v in row.items()})[0]
