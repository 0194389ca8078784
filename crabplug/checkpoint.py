"""Append-only JSONL checkpoints: one line per seed record, flushed per chunk, repaired on open.

A kill can leave a torn last line; opening cuts it off, so the record is simply done again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class Checkpoint:
    """One stage's checkpoint file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.count = self._repair()

    def _repair(self) -> int:
        """Cut a torn tail (an unterminated or unparsable last line); return the number of lines."""
        if not self.path.exists():
            self.path.touch()
            return 0
        count, good_end = 0, 0
        with self.path.open("rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    break
                try:
                    json.loads(line)
                except ValueError:
                    break
                count += 1
                good_end += len(line)
        if good_end != self.path.stat().st_size:
            with self.path.open("r+b") as f:
                f.truncate(good_end)
        return count

    def append(self, rows: list[dict[str, Any]]) -> None:
        """Write rows durably (flush + fsync) so a kill after this returns loses none of them."""
        if not rows:
            return
        data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self.count += len(rows)

    def read(self, start: int = 0) -> Iterator[dict[str, Any]]:
        """Stream rows from index ``start`` on."""
        with self.path.open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= start:
                    yield json.loads(line)


class AtomicJsonl:
    """A JSONL file written to ``NAME.tmp`` and renamed into place on close: readers never see half a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self._f = self.tmp.open("w", encoding="utf-8")
        self.count = 0

    def write(self, row: dict[str, Any]) -> None:
        """Append one row."""
        self._f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        self.count += 1

    def close(self) -> None:
        """Flush, fsync and rename into place."""
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()
        os.replace(self.tmp, self.path)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a kill at any moment leaves the old file or the new one, never half."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
