"""What every reader hands the format layer: one decoded row with where it came from (a ``DecodedRow``; the
core's ``Row`` is something else, a seed record on its way through the per-record stages).

Readers (files, Hugging Face) only decode; the format layer (``formats.py``) turns rows into Examples.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from crabplug import Failure

#: the canonical field names a config may rename with ``fields: {canonical: column}``
CANONICAL = (
    "instruction", "input", "output", "conversations", "messages", "system", "from", "value", "role",
    "content", "id", "score", "text", "replies", "rank", "message_id", "parent_id", "message_tree_id", "prompt",
)  # fmt: skip

#: speaker names of sharegpt-style data -> chat roles
SPEAKERS = {
    "human": "user", "user": "user", "prompter": "user",
    "gpt": "assistant", "assistant": "assistant", "chatgpt": "assistant", "bard": "assistant",
    "bing": "assistant", "model": "assistant", "system": "system",
}  # fmt: skip


@attrs.frozen
class DecodedRow:
    """One decoded record of a seed file or dataset."""

    data: Any
    """The decoded value (a mapping for a well-formed record)."""
    where: str
    """``file.jsonl:17``, ``file.parquet:row 17``...: what a Failure points at."""
    meta: dict[str, Any] = attrs.field(factory=dict)
    """Location kept in Example.metadata (``file`` and ``line`` or ``row``)."""
    text: str | None = None
    """The raw line when there was one (else the failure shows the row re-encoded)."""

    def raw(self) -> str:
        """The row as shown in a Failure, truncated (computed only on failure: table rows have no text)."""
        if self.text is not None:
            return self.text.rstrip("\n")[:500]
        return json.dumps(self.data, ensure_ascii=False, default=str)[:500]

    def fail(self, reason: str) -> Failure:
        """A seeds Failure for this row."""
        return Failure(stage="seeds", reason=reason, where=self.where, raw=self.raw())


def check_fields(fields: Mapping[str, str]) -> None:
    """Reject a ``fields`` rename whose key is not a canonical name (attrs validator helper)."""
    unknown = sorted(set(fields) - set(CANONICAL))
    if unknown:
        raise ValueError(f"fields: unknown name(s) {', '.join(unknown)}; renamable: {', '.join(CANONICAL)}")


def fields_validator(_inst: Any, _attr: Any, value: Mapping[str, str]) -> None:
    """attrs validator for the ``fields`` option."""
    check_fields(value)
