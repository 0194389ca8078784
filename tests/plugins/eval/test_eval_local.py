"""``crabplug eval --model local/smollm2-135m``: the embedded offline model, end to end through the LLM door."""

from __future__ import annotations

import json

import pytest
from eval_helpers import eval_subprocess, ifeval_rows, summary


@pytest.mark.slow
def test_the_embedded_model_is_evaluated_end_to_end_on_20_prompts(tmp_path):
    out_dir = tmp_path / "out"
    args = (
        "--model",
        "local/smollm2-135m",
        "--limit",
        "20",
        "--max-tokens",
        "8",
        "--concurrency",
        "20",
        "-o",
        str(out_dir),
    )
    first = eval_subprocess(*args)
    assert first.returncode == 0, first.stderr
    data = summary(out_dir)
    assert (data["prompts"], data["engine"], data["usage"]["calls"]) == (20, "litellm", 20)
    assert all(0.0 <= v <= 1.0 for v in data["metrics"].values())
    responses = [json.loads(x) for x in (out_dir / "responses.jsonl").read_text().splitlines()]
    assert [r["prompt"] for r in responses] == [r["prompt"] for r in ifeval_rows(20)]
    assert all(r["response"].strip() for r in responses)
    verdicts = (out_dir / "verdicts.jsonl").read_text().splitlines()
    assert len(verdicts) == 20
    again = eval_subprocess(*args)  # everything answered: the model is not even loaded
    assert again.returncode == 0, again.stderr
    assert "usage" not in summary(out_dir) and summary(out_dir)["metrics"] == data["metrics"]
