"""Build the SQLite file ``crabplug view`` serves from a run directory, incrementally (tables: tables.py).

The file is derived data (``RUN/view.sqlite``; delete it at will): the run directory stays the source of truth.
Each source file (``samples.jsonl``, ``dpo.jsonl``, the last checkpoint) remembers its size, modification time
and a hash of what was read. Untouched since the last build: not read. Only grown (a run still writing): only
the new lines are read. Changed otherwise (``crabplug drop`` rewrote it): each line is compared by its hash,
only new or changed lines are parsed, and rows whose line is gone are deleted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crabplug_view.tables import SCHEMA, SCHEMA_VERSION, TABLES, Flagger

DB_NAME = "view.sqlite"


def _lines(path: Path, start: int) -> Iterator[bytes]:
    """The complete lines from byte ``start`` (a torn last line is read on the next build)."""
    with path.open("rb") as f:
        f.seek(start)
        for line in f:
            if line.endswith(b"\n"):
                yield line


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _hasher(path: Path, size: int) -> Any:
    """A SHA-1 fed the first ``size`` bytes of ``path``, to be fed on with what follows."""
    h = hashlib.sha1()
    with path.open("rb") as f:
        left = size
        while left > 0:
            chunk = f.read(min(left, 1 << 20))
            if not chunk:
                break
            h.update(chunk)
            left -= len(chunk)
    return h


def _source_path(run_dir: Path, name: str) -> Path:
    """The file behind a source: the run's last stage checkpoint for ``checkpoint`` (the verified candidates)."""
    if name != "checkpoint":
        return run_dir / name
    found = sorted((run_dir / "stages").glob("*.jsonl"), key=lambda p: int(p.name.split("-", 1)[0])
                   if p.name.split("-", 1)[0].isdigit() else -1)
    return found[-1] if found else run_dir / "stages" / "none.jsonl"


def _sync(db: sqlite3.Connection, run_dir: Path, name: str, flagger: Flagger) -> int:
    """Bring one table up to date with its file; returns the number of lines parsed."""
    table, insert, delete, children = TABLES[name]
    path = _source_path(run_dir, name)
    known = db.execute("SELECT size, head_sha, mtime_ns FROM sources WHERE file = ?", (name,)).fetchone()
    if not path.is_file():
        if known:
            for t in (table, *children):
                db.execute(f"DELETE FROM {t}")
            db.execute("DELETE FROM sources WHERE file = ?", (name,))
        return 0
    stat = path.stat()
    size = stat.st_size
    if known and (known[0], known[2]) == (size, stat.st_mtime_ns):
        return 0  # untouched since the last build (same size, same modification time): no need to read it
    parsed = 0
    grown = None
    if known and known[0] <= size:
        grown = _hasher(path, known[0])
        if grown.hexdigest() != known[1]:
            grown = None
    if grown is not None:  # the file only grew: read from where the last build stopped
        h, end = grown, known[0]
        for line in _lines(path, end):
            h.update(line)
            end += len(line)
            if line.strip():
                insert(db, flagger, line, _sha(line), False)
                parsed += 1
    else:  # new or rewritten: compare line by line, parse only what is new
        have = dict(db.execute(f"SELECT line_sha, id FROM {table}").fetchall()) if known else {}
        keep: set[str] = set()
        h, end = hashlib.sha1(), 0
        for line in _lines(path, 0):
            h.update(line)
            end += len(line)
            line_sha = _sha(line)
            if not line.strip() or line_sha in have:
                keep.add(line_sha)
                continue
            insert(db, flagger, line, line_sha, not have)
            keep.add(line_sha)
            parsed += 1
        for line_sha, sid in have.items():
            if line_sha not in keep:
                still = db.execute(f"SELECT line_sha FROM {table} WHERE id = ?", (sid,)).fetchone()
                if still and still[0] == line_sha:  # not replaced by a changed line of the same id
                    delete(db, sid)
    mtime = stat.st_mtime_ns if end == size else None  # a torn last line: read the file again next time
    db.execute("INSERT OR REPLACE INTO sources (file, size, mtime_ns, head_sha) VALUES (?,?,?,?)",
               (name, end, mtime, h.hexdigest()))
    return parsed


def build(run_dir: Path, types: dict[str, Any], db_path: Path | None = None) -> dict[str, int]:
    """Create or update the view database of ``run_dir``; returns lines parsed per file and rows per table."""
    db_path = db_path or run_dir / DB_NAME
    db = sqlite3.connect(db_path)
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        db.close()
        db_path.unlink()
        db = sqlite3.connect(db_path)
    try:
        db.executescript(SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        flagger = Flagger(types)
        with db:
            parsed = {name: _sync(db, run_dir, name, flagger) for name in TABLES}
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("samples", "constraints", "dpo", "candidates")}
    finally:
        db.close()
    return {**{f"parsed {k}": v for k, v in parsed.items()}, **counts}
