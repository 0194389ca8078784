"""The LLM door's response cache: SQLite, keyed on everything that changes an answer and nothing secret."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    text TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL DEFAULT (julianday('now'))
)
"""


def cache_key(model: str, messages: list[dict], params: dict[str, Any]) -> str:
    """A hash of the request: model, messages and the sampling parameters given (never keys or endpoints)."""
    payload = json.dumps({"model": model, "messages": messages, "params": params}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """Answers by request hash in one SQLite file; safe to share between runs and processes (WAL)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a committed answer survives a killed process (not a power cut) without an fsync per write.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(responses)")}
        if "truncated" not in columns:  # a cache written before replies cut off by max_tokens were marked
            self._db.execute("ALTER TABLE responses ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0")

    def get(self, key: str) -> tuple[str, int, int, bool] | None:
        """``(text, prompt_tokens, completion_tokens, truncated)`` for a cached request, else None."""
        with self._lock:
            row = self._db.execute(
                "SELECT text, prompt_tokens, completion_tokens, truncated FROM responses WHERE key = ?", (key,)
            ).fetchone()
        return (row[0], row[1], row[2], bool(row[3])) if row else None

    def put(
        self, key: str, model: str, text: str, prompt_tokens: int, completion_tokens: int, truncated: bool = False
    ) -> None:
        """Store an answer (committed at once, so a kill right after loses nothing paid for)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, model, text, prompt_tokens, completion_tokens, truncated) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (key, model, text, prompt_tokens, completion_tokens, int(truncated)),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
