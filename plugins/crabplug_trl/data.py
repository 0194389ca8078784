"""Training rows from a run directory: the SFT mix (forward, reverse task, general data) and DPO pairs.

Only the standard library here: the trainers call these before anything heavy loads, so a missing or empty
file is reported in one sentence within milliseconds.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import crabplug
from crabplug import ConfigError


def resolve(run_dir: Path, path: str) -> Path:
    """``path`` as given when absolute or starting with ``./``/``~``, else inside the run directory."""
    p = Path(path).expanduser()
    if p.is_absolute() or path.startswith(("./", "../")):
        return p
    return run_dir / p


def read_jsonl(path: Path, what: str) -> list[dict[str, Any]]:
    """Every JSON object in ``path``; a missing file or a bad line is one sentence naming the file (and line)."""
    if not path.is_file():
        raise ConfigError(f"no {what} file {path}: run the data stages first or point the trainer at another file")
    return list(crabplug.read_jsonl(path, what=what, error=ConfigError))


def _message(m: Any, where: str) -> dict[str, str]:
    if not (isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)):
        raise ConfigError(f"{where}: each message must be {{'role': ..., 'content': ...}} with string values")
    return {"role": m["role"], "content": m["content"]}


def chat_rows(path: Path, what: str) -> list[dict[str, Any]]:
    """``{"messages": [...]}`` rows, other keys dropped; each must end with an assistant turn."""
    out = []
    for n, row in enumerate(read_jsonl(path, what), 1):
        where = f"{path}:{n}"
        messages = row.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ConfigError(f"{where}: a {what} row needs a non-empty 'messages' list")
        messages = [_message(m, where) for m in messages]
        if messages[-1]["role"] != "assistant":
            raise ConfigError(f"{where}: the last message must be the assistant's answer")
        out.append({"messages": messages})
    return out


def _take(rows: list, n: int, rng: random.Random) -> list:
    """``n`` rows: a seeded sample when there are more, every row repeated in turn when there are fewer."""
    if n <= len(rows):
        return rng.sample(rows, n)
    return [rows[i % len(rows)] for i in range(n)]


def sft_mix(
    run_dir: Path,
    *,
    forward: str,
    reverse: str | None,
    reverse_share: float | None,
    general: str | None,
    general_share: float | None,
    seed: int,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The shuffled SFT rows and how many came from each file.

    Every forward row is used once. ``reverse_share`` is the reverse task's share of the CRAB part
    (forward + reverse; paper 0.3): the reverse file is sampled (or repeated) to reach it; None uses every row
    (and no reverse file is no reverse task, where a share makes a missing file an error).
    ``general_share`` is the general data's share of the whole mix, the same way.
    """
    rng = random.Random(seed)
    fwd = chat_rows(resolve(run_dir, forward), "forward-task SFT")
    if not fwd:
        raise ConfigError(f"{resolve(run_dir, forward)} has no rows: there is nothing to train on")
    rows, counts = list(fwd), {"forward": len(fwd)}
    reverse_path = resolve(run_dir, reverse) if reverse else None
    if reverse_path and reverse_share is None and not reverse_path.exists():
        counts["reverse"] = 0  # the default file is optional; asking for a share of it is not
    elif reverse_path and reverse_share != 0:
        rev = chat_rows(reverse_path, "reverse-task (back-translation)")
        if rev:
            n = len(rev) if reverse_share is None else round(len(fwd) * reverse_share / (1 - reverse_share))
            picked = _take(rev, n, rng)
            rows += picked
            counts["reverse"] = len(picked)
    if general and general_share != 0:
        gen = chat_rows(Path(general).expanduser(), "general SFT data")
        if gen:
            n = len(gen) if general_share is None else round(len(rows) * general_share / (1 - general_share))
            picked = _take(gen, n, rng)
            rows += picked
            counts["general"] = len(picked)
    rng.shuffle(rows)
    return rows, counts


def _as_messages(value: Any, role: str, where: str) -> list[dict[str, str]]:
    if isinstance(value, str):
        return [{"role": role, "content": value}]
    if isinstance(value, dict):
        return [_message(value, where)]
    if isinstance(value, list) and value:
        return [_message(m, where) for m in value]
    raise ConfigError(f"{where}: prompt, chosen and rejected must be a string or a list of messages")


def dpo_pairs(path: Path) -> list[dict[str, Any]]:
    """Conversational preference rows ``{"prompt": [...], "chosen": [assistant], "rejected": [assistant]}``."""
    if not path.is_file():
        raise ConfigError(
            f"no preference pairs file {path}: DPO needs pairs (add the crab-dpo output to the data stages)"
        )
    rows = []
    for n, row in enumerate(read_jsonl(path, "preference pairs"), 1):
        where = f"{path}:{n}"
        if not all(k in row for k in ("prompt", "chosen", "rejected")):
            raise ConfigError(f"{where}: a preference pair needs 'prompt', 'chosen' and 'rejected'")
        prompt = _as_messages(row["prompt"], "user", where)
        chosen = _as_messages(row["chosen"], "assistant", where)
        rejected = _as_messages(row["rejected"], "assistant", where)
        # a pair given as whole chats: the shared prefix is the prompt, the last turns the answers
        if len(chosen) > 1 or len(rejected) > 1:
            chosen, rejected = chosen[-1:], rejected[-1:]
        rows.append({"prompt": prompt, "chosen": chosen, "rejected": rejected})
    if not rows:
        raise ConfigError(f"{path} has no preference pairs: DPO needs at least one (chosen, rejected) pair")
    return rows
