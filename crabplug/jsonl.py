"""JSONL on disk, written so a kill never leaves half a file and read with errors that name the file and line.

Every stage, output and command that reads or writes JSONL uses these; plugins get them from ``crabplug``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

from crabplug.errors import CrabError


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a kill at any moment leaves the old file or the new one, never half."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def dumps(row: Any, *, sort_keys: bool = True) -> str:
    """One JSONL line (with its newline): UTF-8 kept as is, keys sorted by default so files diff cleanly."""
    return json.dumps(row, ensure_ascii=False, sort_keys=sort_keys) + "\n"


class AtomicJsonl:
    """A JSONL file written to ``NAME.tmp`` and renamed into place on close: readers never see half a file."""

    def __init__(self, path: Path, *, sort_keys: bool = True) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.sort_keys = sort_keys
        self._f = self.tmp.open("w", encoding="utf-8")
        self.count = 0

    def write(self, row: Any) -> None:
        """Append one row."""
        self._f.write(dumps(row, sort_keys=self.sort_keys))
        self.count += 1

    def close(self) -> None:
        """Flush, fsync and rename into place."""
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()
        os.replace(self.tmp, self.path)


@overload
def read_jsonl(
    path: Path, *, what: str = ..., error: type[CrabError] = ..., where: Literal[False] = ...
) -> Iterator[dict[str, Any]]: ...
@overload
def read_jsonl(
    path: Path, *, what: str = ..., error: type[CrabError] = ..., where: Literal[True]
) -> Iterator[tuple[str, dict[str, Any]]]: ...
def read_jsonl(path, *, what="JSONL", error=CrabError, where=False):
    """Stream the JSON objects of ``path``, skipping blank lines.

    A missing file, a line that is not JSON or not an object raises ``error`` with one sentence naming
    ``file:line``. With ``where=True`` each row comes as ``("file:line", row)`` so a caller checking the row's
    shape can name the line too.
    """
    path = Path(path)
    if not path.is_file():
        raise error(f"no {what} file {path}")
    with path.open(encoding="utf-8") as f:
        n = 0
        while True:
            try:
                line = f.readline()
            except UnicodeDecodeError:
                raise error(f"{path}:{n + 1}: not UTF-8 text; re-encode the file as UTF-8") from None
            if not line:
                return
            n += 1
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise error(f"{path}:{n}: not a JSON line ({err.msg})") from None
            if not isinstance(row, dict):
                raise error(f"{path}:{n}: each line must be a JSON object")
            yield (f"{path}:{n}", row) if where else row


def good_prefix(path: Path, valid: Callable[[Any], bool] = lambda row: True) -> tuple[int, int]:
    """``(lines, bytes)`` of the longest run of complete lines that parse as JSON and pass ``valid``.

    An append-only file a kill interrupted ends in a torn line; everything after the good prefix is redone.
    """
    count = good_end = 0
    with Path(path).open("rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                ok = valid(json.loads(line))
            except (ValueError, KeyError, TypeError):
                ok = False
            if not ok:
                break
            count += 1
            good_end += len(line)
    return count, good_end


def cut_torn_tail(path: Path, valid: Callable[[Any], bool] = lambda row: True) -> int:
    """Truncate ``path`` to its :func:`good_prefix` (creating it when missing); returns the good line count."""
    path = Path(path)
    if not path.exists():
        path.touch()
        return 0
    count, good_end = good_prefix(path, valid)
    if good_end != path.stat().st_size:
        with path.open("r+b") as f:
            f.truncate(good_end)
    return count
