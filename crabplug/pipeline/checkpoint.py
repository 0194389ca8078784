"""Append-only JSONL checkpoints: one :class:`~crabplug.pipeline.rows.Row` per seed record, flushed per chunk,
repaired on open.

A kill can leave a torn last line; opening cuts it off, so the record is simply done again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from crabplug.jsonl import AtomicJsonl, cut_torn_tail, write_atomic
from crabplug.pipeline.rows import Row

__all__ = ["AtomicJsonl", "Checkpoint", "write_atomic"]


class Checkpoint:
    """One stage's checkpoint file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.count = self._repair()

    def _repair(self) -> int:
        """Cut a torn tail (an unterminated or unparsable last line); return the number of lines."""
        return cut_torn_tail(self.path)

    def append(self, rows: list[Row]) -> None:
        """Write rows durably (flush + fsync) so a kill after this returns loses none of them."""
        if not rows:
            return
        data = "".join(r.to_line() for r in rows)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self.count += len(rows)

    def read(self, start: int = 0) -> Iterator[Row]:
        """Stream rows from index ``start`` on."""
        with self.path.open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= start:
                    yield Row.from_dict(json.loads(line))
