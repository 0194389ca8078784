"""Record formats: alpaca, sharegpt, messages and oasst rows -> Examples (or one Failure per bad row).

The format layer is shared by every reader, so a JSONL line, a CSV row, a Parquet row and a Hugging
Face row of the same shape give the same Example.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from crabplug import Example, Failure, Message
from crabplug_seeds import oasst
from crabplug_seeds.decoded import SPEAKERS, DecodedRow

FORMATS = ("auto", "alpaca", "sharegpt", "messages", "oasst")


class Bad(Exception):
    """A row that cannot become an Example; ``str(err)`` is the Failure's reason."""


@attrs.frozen
class Shaper:
    """Turns a stream of rows into Examples under one format and one source label."""

    fmt: str
    """One of FORMATS."""
    source: str
    """Example.source for every record."""
    fields: Mapping[str, str] = attrs.field(factory=dict)
    """Canonical name -> the data's own column name."""
    keep: tuple[str, ...] = ()
    """Extra columns copied into Example.metadata."""

    def key(self, name: str) -> str:
        """The data's column name for the canonical ``name``."""
        return self.fields.get(name, name)

    def convert(self, rows: Iterable[DecodedRow | Failure]) -> Iterator[Example | Failure]:
        """Every row's Examples in order; a bad row becomes one Failure and reading goes on."""
        flat = oasst.FlatTrees(self)
        for row in rows:
            if isinstance(row, Failure):
                yield row
                continue
            data = row.data
            if not isinstance(data, Mapping):
                yield row.fail(f"expected an object with the record's fields, got {_kind(data)}")
                continue
            fmt = self.fmt if self.fmt != "auto" else self.detect(data)
            if fmt is None:
                keys = ", ".join(sorted(map(str, data))[:8]) or "none"
                yield row.fail(
                    f"cannot tell the record's format from its keys ({keys}): rename its columns with fields:, "
                    "e.g. fields: {instruction: prompt, output: completion}, or set format: to alpaca, sharegpt, "
                    "messages or oasst"
                )
            elif fmt == "oasst" and oasst.is_flat(data, self):
                yield from flat.add(row)
            elif fmt == "oasst":
                yield from oasst.walk_tree(row, self)
            else:
                try:
                    yield _SHAPES[fmt](self, row, data)
                except Bad as err:
                    yield row.fail(str(err))
        yield from flat.finish()

    def detect(self, data: Mapping[str, Any]) -> str | None:
        """The format a row's keys suggest (``format: auto``)."""
        if self.key("conversations") in data:
            return "sharegpt"
        if self.key("messages") in data:
            return "messages"
        tree = isinstance(data.get(self.key("prompt")), Mapping) or self.key("replies") in data
        if tree or (self.key("message_id") in data and self.key("parent_id") in data):
            return "oasst"
        if self.key("instruction") in data:
            return "alpaca"
        return None

    def example(
        self,
        row: DecodedRow,
        data: Mapping[str, Any],
        instruction: str,
        response: str,
        context: tuple[Message, ...] = (),
        **extra: Any,
    ) -> Example:
        """An Example with this source's label and the row's location, id, score and kept columns."""
        meta: dict[str, Any] = dict(row.meta)
        for name in ("id", "score"):
            value = data.get(self.key(name))
            if value is not None:
                meta[name] = value
        for name in self.keep:
            if data.get(name) is not None:
                meta[name] = data[name]
        meta.update(extra)
        return Example(instruction=instruction, response=response, source=self.source, metadata=meta, context=context)


def text(data: Mapping[str, Any], column: str, *, what: str = "") -> str:
    """The stripped, non-empty string in ``column``; Bad naming the column otherwise."""
    if column not in data or data[column] is None:
        raise Bad(f"the field {column!r} is missing")
    value = data[column]
    if not isinstance(value, str):
        raise Bad(f"the field {column!r} must be a string, got {_kind(value)}")
    if not value.strip():
        raise Bad(f"the {what or repr(column)} is empty")
    return value.strip()


def alpaca(shaper: Shaper, row: DecodedRow, data: Mapping[str, Any]) -> Example:
    """instruction (+ input after a blank line) -> output (``response`` accepted when ``output`` is absent)."""
    instruction = text(data, shaper.key("instruction"), what="instruction")
    out = shaper.key("output")
    if out not in data and "output" not in shaper.fields and "response" in data:
        out = "response"
    response = text(data, out, what="response")
    extra = data.get(shaper.key("input"))
    if extra is not None and not isinstance(extra, str):
        raise Bad(f"the field {shaper.key('input')!r} must be a string, got {_kind(extra)}")
    if extra and extra.strip():
        instruction = f"{instruction}\n\n{extra.strip()}"
    return shaper.example(row, data, instruction, response)


def sharegpt(shaper: Shaper, row: DecodedRow, data: Mapping[str, Any]) -> Example:
    """conversations [{from, value}]: the last human turn and its answer; earlier turns as context."""
    turns = _turn_list(data, shaper.key("conversations"))
    who, said = shaper.key("from"), shaper.key("value")
    chat = []
    system = data.get(shaper.key("system"))
    if isinstance(system, str) and system.strip():
        chat.append(("system", system.strip()))
    for n, turn in enumerate(turns, 1):
        if not isinstance(turn, Mapping):
            raise Bad(f"turn {n} must be an object with {who!r} and {said!r}, got {_kind(turn)}")
        speaker = turn.get(who)
        role = SPEAKERS.get(str(speaker).lower())
        if role is None:
            raise Bad(f"turn {n} has speaker {speaker!r}; expected human, gpt or system in {who!r}")
        chat.append((role, _turn_text(turn.get(said), n, said)))
    return _last_exchange(shaper, row, data, chat)


def messages(shaper: Shaper, row: DecodedRow, data: Mapping[str, Any]) -> Example:
    """messages [{role, content}]: the last user turn and its answer; earlier turns (system too) as context."""
    turns = _turn_list(data, shaper.key("messages"))
    role_key, content_key = shaper.key("role"), shaper.key("content")
    chat = []
    for n, turn in enumerate(turns, 1):
        if not isinstance(turn, Mapping):
            raise Bad(f"message {n} must be an object with {role_key!r} and {content_key!r}, got {_kind(turn)}")
        role = SPEAKERS.get(str(turn.get(role_key)).lower())
        if role is None:
            raise Bad(f"message {n} has role {turn.get(role_key)!r}; expected system, user or assistant")
        chat.append((role, _turn_text(turn.get(content_key), n, content_key)))
    return _last_exchange(shaper, row, data, chat)


def _turn_list(data: Mapping[str, Any], column: str) -> list:
    turns = data.get(column)
    if isinstance(turns, str):  # CSV cells and some Parquet exports keep the list as a JSON string
        try:
            turns = json.loads(turns)
        except ValueError:
            raise Bad(f"the field {column!r} is a string that is not a JSON list of turns") from None
    if not isinstance(turns, list | tuple):
        raise Bad(f"the field {column!r} must be a list of turns, got {_kind(turns)}")
    return list(turns)


def _turn_text(value: Any, n: int, column: str) -> str:
    if isinstance(value, list):  # OpenAI-style content parts: keep the text parts
        value = "".join(p.get("text", "") for p in value if isinstance(p, Mapping) and p.get("type") == "text")
    if not isinstance(value, str):
        raise Bad(f"turn {n}'s {column!r} must be a string, got {_kind(value)}")
    return value.strip()


def _last_exchange(shaper: Shaper, row: DecodedRow, data: Mapping[str, Any], chat: list[tuple[str, str]]) -> Example:
    for i in range(len(chat) - 1, 0, -1):
        if chat[i][0] == "assistant" and chat[i - 1][0] == "user":
            if not chat[i][1]:
                raise Bad(f"the answer to the last user turn (turn {i + 1}) is empty")
            if not chat[i - 1][1]:
                raise Bad(f"the last user turn (turn {i}) is empty")
            context = tuple(Message(role=r, content=c) for r, c in chat[: i - 1])
            return shaper.example(row, data, chat[i - 1][1], chat[i][1], context, turns=len(chat))
    raise Bad("the conversation has no user turn followed by an assistant answer")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


_SHAPES = {"alpaca": alpaca, "sharegpt": sharegpt, "messages": messages}
