"""The SQLite file of ``crabplug view --compare``: each eval directory's answers and verdicts, per prompt.

An eval directory (``crabplug eval``) holds ``responses.jsonl`` (prompt, response), ``verdicts.jsonl`` (per
prompt: the instruction ids and their strict and loose verdicts) and ``eval.json`` (the model). The file is
rebuilt whole on each call: evaluations are small (hundreds of prompts) next to runs.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE prompts (key TEXT PRIMARY KEY, prompt TEXT, instructions TEXT, passed_by TEXT, moved INTEGER);
CREATE TABLE answers (rowid INTEGER PRIMARY KEY, key TEXT, model_index INTEGER, model TEXT, response TEXT,
    all_strict INTEGER, all_loose INTEGER, verdicts TEXT);
CREATE INDEX answers_key ON answers(key);
"""


def _label(eval_dir: Path, taken: set[str]) -> str:
    """The model's name from eval.json, made unique with the directory name when two runs share it."""
    meta = eval_dir / "eval.json"
    label = str(json.loads(meta.read_text(encoding="utf-8")).get("model") or eval_dir.name) if meta.is_file() \
        else eval_dir.name
    return f"{label} ({eval_dir.name})" if label in taken else label


def build_compare(dirs: list[Path], db_path: Path) -> dict[str, int]:
    """Write the comparison of ``dirs`` to ``db_path``; returns its row counts."""
    from crabplug import CrabError, read_jsonl

    for d in dirs:
        if not (d / "verdicts.jsonl").is_file():
            raise CrabError(f"{str(d)!r} has no verdicts.jsonl: pass eval directories that crabplug eval wrote")
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    prompts: dict[str, dict[str, Any]] = {}
    labels: list[str] = []
    try:
        db.executescript(SCHEMA)
        with db:
            for index, d in enumerate(dirs):
                label = _label(d, set(labels))
                labels.append(label)
                answers = {}
                if (d / "responses.jsonl").is_file():
                    answers = {r["prompt"]: r.get("response") for r in read_jsonl(d / "responses.jsonl")}
                for row in read_jsonl(d / "verdicts.jsonl"):
                    key = str(row.get("key", row["prompt"][:60]))
                    ids = row.get("instruction_id_list") or []
                    strict = row.get("follow_instruction_list") or []
                    loose = row.get("follow_instruction_list_loose") or []
                    verdicts = [{"type": t, "strict": s, "loose": lo}
                                for t, s, lo in zip(ids, strict, loose, strict=False)]
                    entry = prompts.setdefault(key, {"prompt": row["prompt"], "ids": ids, "passed": {}})
                    entry["passed"][label] = bool(row.get("follow_all_instructions"))
                    db.execute("INSERT INTO answers (key, model_index, model, response, all_strict, all_loose,"
                               " verdicts) VALUES (?,?,?,?,?,?,?)",
                               (key, index, label, answers.get(row["prompt"]), int(bool(row.get(
                                   "follow_all_instructions"))), int(bool(row.get("follow_all_instructions_loose"))),
                                json.dumps(verdicts)))
            for key, p in prompts.items():
                passed = [m for m in labels if p["passed"].get(m)]
                results = {p["passed"].get(m) for m in labels if m in p["passed"]}
                db.execute("INSERT INTO prompts VALUES (?,?,?,?,?)",
                           (key, p["prompt"], json.dumps(p["ids"]), ", ".join(passed) or "none",
                            int(len(results) > 1)))
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("prompts", "answers")}
    finally:
        db.close()
    return counts
