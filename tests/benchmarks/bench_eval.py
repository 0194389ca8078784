"""Benchmark: what `crabplug eval` costs beyond generation, on all 541 IFEval prompts.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks/bench_eval.py -s
Prints the seconds to rescore a full response file (checks, verdicts, 1000-sample bootstrap, summary) and
to draw the comparison chart of two runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval_helpers import ifeval_rows, run_eval, write_responses  # noqa: E402


@pytest.mark.benchmark
def test_rescoring_all_541_prompts_and_comparing(tmp_path):
    # answers about as long as a 7B model's (~250 words), with a comma and a bullet list
    body = "This answer talks about the topic at hand, in plain words.\n\n* one point\n* another point\n\n"
    answers = {r["key"]: r["prompt"][:200] + "\n\n" + body * 8 for r in ifeval_rows()}
    responses = write_responses(tmp_path / "a.jsonl", answers)
    start = time.perf_counter()
    result = run_eval("--responses", str(responses), "-o", str(tmp_path / "a"))
    rescore = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    run_eval("--responses", str(responses), "-o", str(tmp_path / "b"))
    start = time.perf_counter()
    result = run_eval("--compare", str(tmp_path / "a"), str(tmp_path / "b"), "--reference", "-o", str(tmp_path / "c"))
    chart = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    print(f"\nrescore 541 prompts: {rescore:.2f} s; compare two runs + PNG: {chart:.2f} s")
