"""The side measure, "nothing else lost": what training may cost besides the benchmark's instructions.

Two cheap, offline numbers for every model (docs/results.md says why these):

- **held-out loss**: the mean negative log-likelihood per answer token (nats) of real answers no arm trained on
  (o3-mini's answers to other arena-hard prompts), each as one user turn through the model's chat template. A
  model that forgot how to write ordinary answers, or learnt only a format, assigns them less probability.
- **answer health**, from the benchmark answers the evaluation already wrote: the mean length in words, and the
  share of answers that are empty, cut off by the token cap, or looping (some 10-word window three times or more).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from crabplug import ConfigError, read_jsonl

LOOP_WINDOW = 10
LOOP_REPEATS = 3
_WORD = re.compile(r"\S+")


def heldout_rows(path: Path, limit: int | None) -> list[list[dict[str, str]]]:
    """``instruction``/``response`` (or ``messages``) rows as chat turns: the first ``limit`` of the file."""
    if not path.is_file():
        raise ConfigError(f"no held-out answer file {path} (the recipe's side.heldout)")
    rows = []
    for where, row in read_jsonl(path, what="held-out answer", error=ConfigError, where=True):
        if isinstance(row.get("messages"), list):
            rows.append([{"role": m["role"], "content": m["content"]} for m in row["messages"]])
        elif row.get("instruction") and row.get("response"):
            rows.append(
                [{"role": "user", "content": row["instruction"]}, {"role": "assistant", "content": row["response"]}]
            )
        else:
            raise ConfigError(f"{where}: a held-out row needs 'instruction' and 'response' (or 'messages')")
    return rows[:limit] if limit else rows


def heldout_loss(model_dir: str, rows: list[list[dict[str, str]]], max_length: int) -> dict[str, Any]:
    """Mean NLL per answer token over ``rows`` (the last assistant turn only; prompt tokens are context).

    A row longer than ``max_length`` keeps the end of its prompt (at most a quarter of the window) and the start
    of its answer, so every row scores some answer tokens.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model.eval()
    total, count, cut = 0.0, 0, 0
    with torch.no_grad():
        for messages in rows:
            # text first, then tokens: the same on every transformers version (5 returns a dict when tokenizing)
            prompt = _ids(tok, tok.apply_chat_template(messages[:-1], add_generation_prompt=True, tokenize=False))
            full = _ids(tok, tok.apply_chat_template(messages, tokenize=False))
            start = len(prompt)
            if len(full) > max_length:  # keep the prompt's end and as much of the answer as fits
                cut += 1
                offset = max(0, min(len(prompt) - max_length // 4, len(full) - max_length))
                full, start = full[offset : offset + max_length], len(prompt) - offset
            labels = list(full)
            labels[:start] = [-100] * min(start, len(full))
            answer_tokens = sum(1 for x in labels[1:] if x != -100)
            if answer_tokens == 0:
                continue
            ids = torch.tensor([full])
            out = model(input_ids=ids, labels=torch.tensor([labels]))
            total += float(out.loss) * answer_tokens
            count += answer_tokens
    if not count:
        raise ConfigError("no held-out answer token fits side.max_length: raise it")
    loss = total / count
    return {
        "loss": round(loss, 4),
        "perplexity": round(math.exp(loss), 2),
        "tokens": count,
        "rows": len(rows),
        "cut_to_max_length": cut,
    }


def _ids(tok: Any, text: str) -> list[int]:
    return list(tok(text, add_special_tokens=False)["input_ids"])


def looping(text: str) -> bool:
    """Some 10-word window occurs three times or more (a model repeating itself)."""
    words = _WORD.findall(text.lower())
    windows = Counter(tuple(words[i : i + LOOP_WINDOW]) for i in range(len(words) - LOOP_WINDOW + 1))
    return bool(windows) and max(windows.values()) >= LOOP_REPEATS


def answer_health(eval_dir: Path, tokenizer: Any) -> dict[str, Any] | None:
    """Mean words and the empty / cut-off / looping shares of an eval directory's answers (None: no answers).

    Cut off: the answer re-encoded is within one token of the run's ``max_tokens`` (decoding and re-encoding can
    differ by a token, so this counts an answer that stopped on its own one token short of the cap as cut).
    """
    path, settings = eval_dir / "responses.jsonl", eval_dir / "eval.json"
    if not path.is_file():
        return None
    meta = json.loads(settings.read_text(encoding="utf-8")) if settings.is_file() else {}
    cap = (meta.get("generation") or {}).get("max_tokens")
    answers = [str(r.get("response", "")) for r in read_jsonl(path, what="response")]
    if not answers:
        return None
    n = len(answers)
    lengths = [len(tokenizer(a, add_special_tokens=False)["input_ids"]) for a in answers]
    return {
        "answers": n,
        "mean_words": round(sum(len(_WORD.findall(a)) for a in answers) / n, 1),
        "empty": round(sum(not a.strip() for a in answers) / n, 4),
        "cut_off": round(sum(cap is not None and t >= cap - 1 for t in lengths) / n, 4),
        "looping": round(sum(looping(a) for a in answers) / n, 4),
        "max_tokens": cap,
    }


def heldout_step(recipe: Any, root: Path, quick: bool) -> Any:
    """A function (label, model directory) -> the in-process step ``heldout-LABEL``; None without side.heldout."""
    from crabplug_experiment.steps import Step

    side = recipe.side
    if side.heldout is None:
        return None
    limit = recipe.quick.heldout_limit if quick else side.limit
    max_length = min(side.max_length, 128) if quick else side.max_length

    def make(label: str, model: str) -> Step:
        def call() -> dict[str, Any]:
            found = heldout_loss(model, heldout_rows(side.heldout, limit), max_length)
            out = root / "heldout" / f"{label}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"model": model, "file": str(side.heldout), **found}, indent=1) + "\n")
            return found

        return Step(f"heldout-{label}", call=call, keeps=(f"heldout/{label}.json",), reads=model)

    return make
