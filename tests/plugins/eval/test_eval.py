"""``crabplug eval --model``: a litellm model behind a real OpenAI-compatible server on 127.0.0.1.

The server answers IFEval's first prompts with scripted responses whose verdicts are known by reading
(tests/eval_helpers.py), so the four numbers are exact.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from core_helpers import crabplug_cmd, env
from eval_helpers import EXPECTED, SCRIPTED, eval_subprocess, prompt_to_key, run_eval, summary, write_responses

from crabplug.testing.llm_server import LLMServer

KEYS = prompt_to_key()


def _prompt(body: dict) -> str:
    return body["messages"][-1]["content"]


def scripted(body: dict) -> str:
    """The scripted answer for the first prompts; anything else gets a plain lowercase sentence."""
    return SCRIPTED.get(KEYS.get(_prompt(body)), "a plain answer")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CRAB_TEST_KEY", "sk-test-eval-0000")


def _model_args(server, out_dir, *extra: str) -> tuple[str, ...]:
    return (
        "--model",
        "openai/test-model",
        "--api-base",
        server.url,
        "--api-key-env",
        "CRAB_TEST_KEY",
        "-o",
        str(out_dir),
        *extra,
    )


def test_eval_of_a_served_model_gives_exactly_the_hand_computed_four_numbers(tmp_path):
    with LLMServer(reply=scripted) as server:
        result = run_eval(*_model_args(server, tmp_path / "out", "--limit", "3", "--max-tokens", "300"))
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 3
    data = summary(tmp_path / "out")
    assert data["metrics"] == pytest.approx(EXPECTED)
    assert data["engine"] == "litellm" and data["generation"]["max_tokens"] == 300
    for request in server.requests:  # IFEval's setting: greedy, one user turn, no system prompt
        assert request["temperature"] == 0 and request["max_tokens"] == 300
        assert [m["role"] for m in request["messages"]] == ["user"]


def test_a_finished_eval_rerun_asks_nothing(tmp_path):
    with LLMServer(reply=scripted) as server:
        run_eval(*_model_args(server, tmp_path / "out", "--limit", "3"))
        again = run_eval(*_model_args(server, tmp_path / "out", "--limit", "3"))
        assert again.exit_code == 0 and len(server.requests) == 3
        more = run_eval(*_model_args(server, tmp_path / "out", "--limit", "5"))
        assert more.exit_code == 0 and len(server.requests) == 5  # only the two new prompts
    assert summary(tmp_path / "out")["prompts"] == 5


def test_rescoring_a_response_file_makes_no_request(tmp_path):
    answers = write_responses(tmp_path / "a.jsonl", SCRIPTED)
    with LLMServer(reply=scripted) as server:
        result = run_eval(*_model_args(server, tmp_path / "out", "--limit", "3", "--responses", str(answers)))
        assert result.exit_code == 0, result.output
        assert server.requests == []
    assert summary(tmp_path / "out")["metrics"] == pytest.approx(EXPECTED)


def test_a_benchmark_from_another_module_is_generated_and_scored(tmp_path):
    def ends(body):
        return "All done." if "done." in _prompt(body) else "nothing"

    with LLMServer(reply=ends) as server:
        result = run_eval(
            *_model_args(server, tmp_path / "out", "--benchmark", "tiny"), plugins=("test_eval_benchmark",)
        )
        assert result.exit_code == 0, result.output
    assert summary(tmp_path / "out")["metrics"]["prompt_level_strict_acc"] == pytest.approx(1 / 3)


@pytest.mark.slow
def test_prompts_whose_request_fails_are_listed_and_retried_by_the_next_run(tmp_path):
    broken = {1001}

    def reply(body):
        if KEYS[_prompt(body)] in broken:
            return (400, {"error": {"message": "bad request", "type": "invalid_request_error"}}, {})
        return scripted(body)

    with LLMServer(reply=reply) as server:
        out = eval_subprocess(*_model_args(server, tmp_path / "out", "--limit", "3"))
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert "1 of 3 prompts got no response" in out.stderr and "re-run the same command" in out.stderr
        failures = [json.loads(x) for x in (tmp_path / "out" / "failures.jsonl").read_text().splitlines()]
        assert [f["key"] for f in failures] == [1001]
        broken.clear()
        again = run_eval(*_model_args(server, tmp_path / "out", "--limit", "3"))
        assert again.exit_code == 0, again.output
        assert [KEYS[_prompt(r)] for r in server.requests[-1:]] == [1001]  # only the failed prompt is asked again
    assert summary(tmp_path / "out")["metrics"] == pytest.approx(EXPECTED)


@pytest.mark.slow
def test_an_eval_killed_mid_run_resumes_without_losing_or_repeating_a_response(tmp_path):
    limit, out_dir = 16, tmp_path / "out"

    def slow(body):
        time.sleep(0.25)
        return f"answer to {KEYS[_prompt(body)]}"

    with LLMServer(reply=slow) as server:
        args = _model_args(server, out_dir, "--limit", str(limit), "--concurrency", "2", "-q")
        proc = subprocess.Popen(
            crabplug_cmd("eval", *args), env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        log = out_dir / "responses.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not log.exists() or log.read_text().count("\n") < 5):
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no cleanup runs
        proc.wait()
        assert proc.returncode != 0, proc.stderr.read().decode()
        done_before = {json.loads(x)["prompt"] for x in log.read_text().splitlines() if x.endswith("}")}
        assert 5 <= len(done_before) < limit
        asked_before = len(server.requests)
        finish = eval_subprocess(*args)
        assert finish.returncode == 0, finish.stderr
        asked_after = [_prompt(r) for r in server.requests[asked_before:]]
    assert not done_before & set(asked_after)  # nothing answered before the kill is asked again
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    assert len(rows) == limit and len({r["prompt"] for r in rows}) == limit
    assert all(r["response"] == f"answer to {KEYS[r['prompt']]}" for r in rows)
    assert summary(out_dir)["prompts"] == limit
