"""The checkpoint row: one seed record on its way through the per-record stages, as one line of a checkpoint.

Rows stay typed in memory from the seed source to the last per-record stage; each checkpoint serialises them
once (:meth:`Row.to_line`). The line format is the one crabplug has always written, so old run directories
resume unchanged.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import attrs

from crabplug.records import Annotated, Example, Failure

Status = Literal["ok", "failed", "filtered"]


def _failures(value: Any) -> tuple[Failure, ...]:
    return tuple(f if isinstance(f, Failure) else Failure.from_dict(f) for f in value or ())


@attrs.frozen
class Row:
    """One seed record and what the stages made of it so far."""

    seq: int
    """Position in the seed stream after filtering (0-based): checkpoints keep seed order."""
    id: str
    """The record's id (the example's content hash; for an unreadable seed, where it was)."""
    status: Status
    """``ok`` (goes on), ``failed`` (a stage gave up; see ``failures``) or ``filtered`` (a seed filter dropped it)."""
    record: Annotated | None = None
    """The example and the constraints found and verified so far; None for unreadable and filtered seeds."""
    failures: tuple[Failure, ...] = attrs.field(default=(), converter=_failures)
    """Every failure on this record so far (a back-translator that gave up, a verifier error...)."""
    reason: str = ""
    """Why a filtered seed was dropped (``short``, ``duplicate``, ``source cap``)."""
    source: str = ""
    """A filtered seed's source (filtered rows keep no record body: they cost a few bytes each)."""
    counts: dict[str, Any] = attrs.field(factory=dict)
    """Counters the stages added (``ctx.count``) while working on this record: summed at the end of a run, so
    stats.json counts every record once, whichever run processed it."""
    fresh: bool = attrs.field(default=False, eq=False)
    """Straight from the seed source (no stage has run yet); never written."""

    @classmethod
    def seed(cls, seq: int, example: Example) -> Row:
        """A seed record that passed the filters."""
        return cls(seq=seq, id=example.id, status="ok", record=Annotated(example=example), fresh=True)

    @classmethod
    def unreadable(cls, seq: int, failure: Failure) -> Row:
        """A seed the source could not read."""
        return cls(seq=seq, id=failure.record_id or failure.where, status="failed", failures=(failure,))

    @classmethod
    def dropped(cls, seq: int, example: Example, reason: str) -> Row:
        """A seed a filter dropped."""
        return cls(seq=seq, id=example.id, status="filtered", reason=reason, source=example.source)

    def to_dict(self) -> dict[str, Any]:
        """The checkpoint line's data."""
        out: dict[str, Any] = {"seq": self.seq, "id": self.id, "status": self.status}
        if self.status == "filtered":
            return {**out, "reason": self.reason, "source": self.source}
        if self.record is not None:
            out["record"] = {"example": self.record.example.to_dict()} if self.fresh else self.record.to_dict()
        out["failures"] = [f.to_dict() for f in self.failures]
        if self.counts:  # absent when empty: lines of stages that count nothing stay as they always were
            out["counts"] = self.counts
        return out

    def to_line(self) -> str:
        """One checkpoint line (with its newline)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        """Inverse of :meth:`to_dict`."""
        record = data.get("record")
        return cls(
            seq=data["seq"],
            id=data["id"],
            status=data["status"],
            record=Annotated.from_dict(record) if record is not None else None,
            failures=data.get("failures", ()),
            reason=data.get("reason", ""),
            source=data.get("source", ""),
            counts=data.get("counts") or {},
        )

    def counted(self, counts: dict[str, Any]) -> Row:
        """This row with ``counts`` added to its counters."""
        if not counts:
            return self
        merged = dict(self.counts)
        for key, n in counts.items():
            merged[key] = merged.get(key, 0) + n
        return attrs.evolve(self, counts=merged)

    def failed(self, failures: tuple[Failure, ...] | list[Failure]) -> Row:
        """This row given up, with ``failures`` as the reason."""
        return attrs.evolve(self, status="failed", failures=tuple(failures))

    def with_record(self, record: Annotated, failures: tuple[Failure, ...] | list[Failure]) -> Row:
        """This row after a stage: its new record and all its failures so far."""
        return attrs.evolve(self, record=record, failures=tuple(failures), fresh=False)
