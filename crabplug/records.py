"""The records that flow between stages. Data only: behaviour lives in plugins.

Every record is a frozen attrs class with a JSON round-trip (``to_json`` / ``from_json``).
Ids are content hashes, so the same input always gets the same id: resume and dedup are exact.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

#: what ``json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` builds on every call
#: (an id per record and one per record and constraint type: building it took 40% of the time)
_ID_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_id(*parts: Any) -> str:
    """A stable 16-hex-digit id for any JSON-serialisable parts."""
    blob = _ID_JSON.encode(parts)
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()


def _frozen_dict(value: Any) -> dict:
    return dict(value or {})


def _json_ready(value: Any) -> Any:
    """attrs.asdict output with tuples turned into lists, recursively."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


class _Record:
    """JSON round-trip shared by every record."""

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data."""
        return _json_ready(attrs.asdict(self, recurse=True))

    def to_json(self) -> str:
        """One line of JSON (no newline), keys in a stable order."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str):
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(line))

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Inverse of :meth:`to_dict`; unknown keys are an error."""
        return cls(**data)


@attrs.frozen
class Message(_Record):
    """One chat turn of earlier context."""

    role: str
    """``system``, ``user`` or ``assistant``."""
    content: str
    """The turn's text."""


def _messages(value: Any) -> tuple[Message, ...]:
    return tuple(m if isinstance(m, Message) else Message(**m) for m in value or ())


@attrs.frozen
class Example(_Record):
    """An instruction–response pair read from a seed source."""

    instruction: str
    """The user's instruction (for multi-turn data: the last user turn)."""
    response: str
    """The answer to it, assumed good."""
    source: str = ""
    """Where it came from, e.g. ``oasst2.jsonl:17``'s source name ``oasst2``."""
    metadata: dict[str, Any] = attrs.field(factory=dict, converter=_frozen_dict)
    """Anything the seed source wants to keep (scores, language, original ids...)."""
    context: tuple[Message, ...] = attrs.field(default=(), converter=_messages)
    """Earlier turns of the conversation, oldest first."""
    id: str = attrs.field(default="")
    """Content hash of instruction, response and context (computed when empty)."""

    def __attrs_post_init__(self) -> None:
        if not self.id:
            ctx = [[m.role, m.content] for m in self.context]
            object.__setattr__(self, "id", content_id(self.instruction, self.response, ctx))


RULE_ORIGIN = "rule"
"""The origin of constraints derived by code; any other origin is the model string of the LLM that wrote it."""


def _origin(value: str) -> str:
    if not value:
        raise ValueError(f"a constraint's origin must be {RULE_ORIGIN!r} or the name of the LLM that wrote it")
    return value


@attrs.frozen
class Constraint(_Record):
    """One constraint that a response satisfies (or is claimed to)."""

    type: str
    """The id of a registered constraint type, e.g. ``length_constraints:number_words`` (free text an LLM wrote has
    a type too, one without a code check)."""
    kwargs: dict[str, Any] = attrs.field(factory=dict, converter=_frozen_dict)
    """Arguments of the type's ``check`` (IFEval's names for IFEval types)."""
    text: str = ""
    """The phrasing shown to the model."""
    origin: str = attrs.field(default=RULE_ORIGIN, converter=_origin)
    """``rule`` (:data:`RULE_ORIGIN`) for code-derived constraints, else the model string of the LLM that wrote it."""
    verified: bool | None = None
    """True/False once a verifier decided; None when nothing could."""
    verified_by: str = ""
    """Which verifier decided (``code``, ``llm``...)."""

    @property
    def key(self) -> str:
        """Identity of the constraint's meaning (type + kwargs), for dedup."""
        return content_id(self.type, self.kwargs)


def _constraints(value: Any) -> tuple[Constraint, ...]:
    return tuple(c if isinstance(c, Constraint) else Constraint(**c) for c in value or ())


@attrs.frozen
class Verdict(_Record):
    """A verifier's answer about one constraint on one response."""

    ok: bool | None
    """True: satisfied; False: violated; None: this verifier cannot tell (the next one is asked)."""
    reason: str = ""
    """A short human-readable why."""
    by: str = ""
    """The verifier's name."""


@attrs.frozen
class Annotated(_Record):
    """An Example with the constraints back-translated from it and verified."""

    example: Example = attrs.field(converter=lambda e: e if isinstance(e, Example) else Example(**e))
    """The seed pair."""
    constraints: tuple[Constraint, ...] = attrs.field(default=(), converter=_constraints)
    """Candidates, each with its verdict (``verified``)."""

    @property
    def id(self) -> str:
        """Same as the example's id."""
        return self.example.id


@attrs.frozen
class Sample(_Record):
    """One complex-instruction training sample made by a combiner."""

    instruction: str
    """The complex instruction: the original one plus its constraints (and optional demonstrations)."""
    response: str
    """The original response, which satisfies every constraint."""
    constraints: tuple[Constraint, ...] = attrs.field(converter=_constraints)
    """The constraints woven into the instruction."""
    example_id: str
    """Id of the Example it was made from."""
    provenance: dict[str, Any] = attrs.field(factory=dict, converter=_frozen_dict)
    """How it was made: source, template, demonstrations used, seed..."""
    id: str = attrs.field(default="")
    """Content hash of instruction and response (computed when empty)."""

    def __attrs_post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_id(self.instruction, self.response))


@attrs.frozen
class Failure(_Record):
    """A record that could not be processed, with the reason. Written to failures.jsonl."""

    stage: str
    """The stage that gave up (``seeds``, ``back_translate``, ``verify``, ...)."""
    reason: str
    """One sentence a user can act on."""
    where: str = ""
    """File and line for input errors (``seeds.jsonl:17``), or the plugin's name."""
    record_id: str = ""
    """Id of the record, when it had one."""
    raw: str = ""
    """The offending input or LLM reply, truncated, for diagnosis (never secrets)."""
