"""``crabplug eval`` resumes only with the generation settings that made the answers it holds."""

from __future__ import annotations

import json

import pytest
from eval_helpers import run_eval, summary

from crabplug.testing.llm_server import LLMServer


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CRAB_TEST_KEY", "sk-test-eval-0000")


def _args(server, out_dir, *extra: str) -> tuple[str, ...]:
    return ("--model", "openai/test-model", "--api-base", server.url, "--api-key-env", "CRAB_TEST_KEY",
            "-o", str(out_dir), "--limit", "2", *extra)


def test_rerunning_with_other_max_tokens_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with LLMServer(reply=lambda body: "a plain answer") as server:
        assert run_eval(*_args(server, out, "--max-tokens", "64")).exit_code == 0
        again = run_eval(*_args(server, out, "--max-tokens", "512"))
        assert len(server.requests) == 2  # nothing asked again, nothing reused under the new setting
    assert again.exit_code == 1
    assert str(again.exception) == (
        f"{out} holds answers generated with other settings (max_tokens 64 -> 512): they would be reused as they "
        f"are; choose another -o directory, or delete {out} to ask again"
    )
    assert summary(out)["generation"]["max_tokens"] == 64  # the summary still says what made its answers
    assert json.loads((out / "eval.json").read_text())["generation"] == {"max_tokens": 64}


def test_the_same_settings_resume_and_a_new_folder_takes_new_ones(tmp_path):
    with LLMServer(reply=lambda body: "a plain answer") as server:
        assert run_eval(*_args(server, tmp_path / "a", "--max-tokens", "64")).exit_code == 0
        assert run_eval(*_args(server, tmp_path / "a", "--max-tokens", "64", "--concurrency", "2")).exit_code == 0
        assert len(server.requests) == 2  # concurrency does not change an answer: resumed, nothing asked
        assert run_eval(*_args(server, tmp_path / "b", "--max-tokens", "512")).exit_code == 0
        assert [r["max_tokens"] for r in server.requests[2:]] == [512, 512]
