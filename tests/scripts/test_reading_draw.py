"""scripts/reading_draw.py: a held-out reading set holds no answer read before and no prompt the rules were tuned on."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("reading_draw", ROOT / "scripts" / "reading_draw.py")
reading_draw = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reading_draw)


def sample(example_id: str, request: str) -> dict:
    return {
        "example_id": example_id,
        "instruction": request + "\n\nAnswer in at most 50 words.",
        "response": "def f():\n    return 1\n\nIt returns one.",
        "constraints": [{"type": "crab:length_at_most", "kwargs": {"max_words": 50}}],
        "provenance": {"base_instruction": request},
    }


def test_the_draw_leaves_out_answers_read_before_and_the_tuned_prompts():
    read = sorted(reading_draw.read_before())
    assert "bde3d620a89fd6ba" in read and len(read) > 300  # L57, and sets T..L of docs/reading-60.md
    tuned = json.loads(reading_draw.FIXTURE.open(encoding="utf-8").readline())["instruction"]
    fresh = [sample(f"{n:016x}", f"Fresh request {n}") for n in range(10)]
    pool = [sample(read[0], "An old one"), sample("f" * 16, tuned), *fresh]
    drawn = reading_draw.draw(pool, seed=66, size=5)
    assert {s["example_id"] for s in drawn} <= {s["example_id"] for s in fresh} and len(drawn) == 5
    assert drawn == reading_draw.draw(pool, seed=66, size=5)  # the same seed draws the same set
    sheet = reading_draw.sheet(drawn, "M")
    assert sheet.count("\n## M") == 5 and "words by a counter: 7 whole," in sheet  # def f(): return 1 It returns one.


def test_healthbench_records_are_single_turn_questions_with_their_ideal_answer():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import make_real_seeds as real

    rows = [
        {
            "prompt": [{"role": "user", "content": "Is a bee sting dangerous?"}],
            "prompt_id": "a",
            "ideal_completions_data": {"ideal_completion": "Usually not. Wash it and watch for swelling."},
        },
        {
            "prompt": [
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello"},
                {"role": "user", "content": "My head hurts."},
            ],
            "prompt_id": "b",
            "ideal_completions_data": {"ideal_completion": "Drink water and rest."},
        },  # several turns: left out
        {
            "prompt": [{"role": "user", "content": "What is a fever?"}],
            "prompt_id": "c",
            "ideal_completions_data": None,
        },  # no ideal answer: left out
    ]
    files = {real.HEALTHBENCH: "\n".join(json.dumps(r) for r in rows) + "\n", **{b: "" for b in real.BENCHMARKS}}
    got = list(real.healthbench_records(files.__getitem__))
    assert [(r["instruction"], r["source"], r["metadata"]["uid"]) for r in got] == [
        ("Is a bee sting dangerous?", "healthbench/ideal", "a")
    ]
    assert got[0]["response"] == "Usually not. Wash it and watch for swelling."


def test_alpaca_records_are_requests_with_gpt4_turbos_answers_and_no_benchmark_prompt():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import make_real_seeds as real

    ifeval = "Write a 300+ word summary of the wikipedia page about the history of the city, do not use any commas."
    rows = [
        {"instruction": "How did US states get their names?", "output": "From many sources.", "dataset": "koala",
         "generator": "gpt4_1106_preview"},
        {"instruction": "Say hi.", "output": "", "dataset": "oasst", "generator": "gpt4_1106_preview"},  # no answer
        {"instruction": ifeval, "output": "The city ...", "dataset": "vicuna", "generator": "gpt4_1106_preview"},
    ]  # fmt: skip
    files = {real.ALPACA: json.dumps(rows), **{b: "" for b in real.BENCHMARKS}}
    files[real.BENCHMARKS[0]] = json.dumps({"prompt": ifeval}) + "\n"  # the guard reads the benchmarks' prompts
    got = list(real.alpaca_records(files.__getitem__))
    assert [(r["instruction"], r["source"], r["metadata"]["subcategory"]) for r in got] == [
        ("How did US states get their names?", "alpaca_eval/gpt4_1106_preview", "koala")
    ]
