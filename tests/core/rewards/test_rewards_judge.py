"""crabplug.rewards with soft constraints: judged by an LLM over real HTTP through the door (the VerIF hybrid)."""

from __future__ import annotations

import logging

import pytest

from crabplug import BudgetExceeded, ConstraintType
from crabplug.plugins import load
from crabplug.rewards import ConstraintReward
from crabplug.testing.llm_server import LLMServer

KEY = "sk-reward-judge-secret-0123456789"
FORMAL = "Write in a formal register."
NO_COMMA = {"type": "punctuation:no_comma", "kwargs": {}}
SOFT = {"type": "llm:style", "kwargs": {}, "text": FORMAL}


def judge_reply(body: dict) -> str:
    """A judge that says YES when the response opens with 'Dear' (formal), else NO."""
    question = body["messages"][-1]["content"]
    response = question.split("Response:\n", 1)[1].split("\n\nConstraint:", 1)[0]
    return "YES" if response.startswith("Dear") else "NO, it is casual."


def settings(server: LLMServer, tmp_path, **extra) -> dict:
    return {
        "model": "openai/test-model",
        "api_base": server.url,
        "api_key_env": "REWARD_JUDGE_KEY",
        "cache_path": str(tmp_path / "judge.sqlite"),
        "concurrency": 4,
        **extra,
    }


COMPLETIONS = ["Dear Sir I write to inform you", "hey, what's up", "yo what up", "Dear Sir I write to inform you"]
PROMPTS = [[{"role": "user", "content": "Tell my landlord the heating is broken."}]] * 4


def test_soft_constraints_are_judged_weighted_and_cached_on_rerun(tmp_path, monkeypatch, caplog, capfd):
    monkeypatch.setenv("REWARD_JUDGE_KEY", KEY)
    caplog.set_level(logging.DEBUG)
    columns = {"constraints": [[NO_COMMA, SOFT]] * 4, "prompts": PROMPTS}
    with LLMServer(reply=judge_reply, api_key=KEY) as server:
        reward = ConstraintReward(judge=settings(server, tmp_path), soft_weight=0.5)
        scored = reward.score(COMPLETIONS, **columns)
        # (code met + 0.5 * judged met) / (1 + 0.5)
        assert [s.reward for s in scored] == [1.0, 0.0, pytest.approx(1 / 1.5), 1.0]
        assert [s.by for s in scored] == [("code", "llm")] * 4
        assert len(server.requests) == 3  # the repeated completion was asked once
        assert "Tell my landlord" in server.requests[0]["messages"][-1]["content"]  # the instruction is shown
        assert reward.judge.counts == {"yes": 1, "no": 2, "unparsed": 0, "failed": 0}

        again = ConstraintReward(judge=settings(server, tmp_path), soft_weight=0.5)  # a new process's reward
        assert again(COMPLETIONS, **columns) == [s.reward for s in scored]
        assert len(server.requests) == 3  # every verdict came from the cache file
    out, err = capfd.readouterr()
    assert caplog.records  # litellm did log at debug level
    for text in (caplog.text, out, err, (tmp_path / "judge.sqlite").read_bytes().decode("latin-1")):
        assert KEY not in text


def test_a_registered_type_without_code_check_is_judged_by_its_description(tmp_path, monkeypatch):
    monkeypatch.setenv("REWARD_JUDGE_KEY", KEY)
    registry = load()
    tone = ConstraintType(id="test:tone", family="test", describe=lambda kw, rng: f"Use a {kw['tone']} tone.")
    registry.constraint_types["test:tone"] = tone
    with LLMServer(reply=lambda body: "YES", api_key=KEY) as server:
        reward = ConstraintReward(judge=settings(server, tmp_path), registry=registry)
        (scored,) = reward.score(["fine"], constraints=[[{"type": "test:tone", "kwargs": {"tone": "warm"}}]])
    assert scored.reward == 1.0 and scored.by == ("llm",)
    assert "Constraint:\nUse a warm tone." in server.requests[0]["messages"][-1]["content"]


def test_soft_weight_zero_ignores_soft_constraints_without_a_judge():
    reward = ConstraintReward(soft_weight=0)
    assert reward(["no comma here", "a, b"], constraints=[[NO_COMMA, SOFT]] * 2) == [1.0, 0.0]


def test_the_judge_stays_within_max_cost(tmp_path, monkeypatch):
    monkeypatch.setenv("REWARD_JUDGE_KEY", KEY)
    with LLMServer(reply=judge_reply, api_key=KEY) as server:
        # a priced model (litellm's local price map) served by the test server; the budget fits no call
        reward = ConstraintReward(judge=settings(server, tmp_path, model="openai/gpt-4o-mini", max_cost=1e-9))
        with pytest.raises(BudgetExceeded, match="max_cost"):
            reward(COMPLETIONS[:1], constraints=[[SOFT]], prompts=PROMPTS[:1])
    assert server.requests == []
