"""The LLM door, over real HTTP to an OpenAI-compatible server on 127.0.0.1, through real litellm."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time

import pytest

from crabplug.errors import BudgetExceeded, RecordError
from crabplug.llm import LLM, LLMSettings, Usage, parse_json
from crabplug.llm.settings import AuthError
from crabplug.testing.llm_server import LLMServer, completion

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("DOOR_TEST_KEY", KEY)
    return "DOOR_TEST_KEY"


def door(server, key, tmp_path=None, **settings):
    cache = str(tmp_path / "cache.sqlite") if tmp_path else None
    return LLM(
        LLMSettings(model="openai/test-model", api_base=server.url, api_key_env=key, cache_path=cache, **settings)
    )


def run(coro):
    return asyncio.run(coro)


def test_a_completion_goes_over_http_with_the_key_and_sampling_settings(key):
    with LLMServer(reply=lambda body: "Paris.", api_key=KEY) as server:
        llm = door(server, key, max_tokens=7, temperature=0.0)
        assert run(llm.complete("Capital of France?")) == "Paris."
    body = server.requests[0]
    assert body["messages"] == [{"role": "user", "content": "Capital of France?"}]
    assert body["max_tokens"] == 7 and body["temperature"] == 0.0
    assert server.headers[0]["authorization"] == f"Bearer {KEY}"


def test_429_with_retry_after_and_500_are_retried_then_answered(key):
    with LLMServer(reply=lambda body: "ok") as server:
        server.script(
            (429, {"error": {"message": "slow down"}}, {"Retry-After": "0.2"}), (500, {"error": {"message": "boom"}})
        )
        llm = door(server, key)
        started = time.monotonic()
        assert run(llm.complete("hi")) == "ok"
    assert len(server.requests) == 3
    assert time.monotonic() - started >= 0.2  # Retry-After honoured
    assert llm.usage.snapshot()["total"]["retries"] == 2


def test_a_truncated_body_and_a_timeout_are_retried_then_answered(key):
    def late(body):
        time.sleep(1.0)
        return "too late"

    with LLMServer(reply=lambda body: "whole") as server:
        server.script(b'{"id": "chatcmpl-1", "choi', late)
        assert run(door(server, key, timeout=0.3).complete("hi")) == "whole"
    assert len(server.requests) == 3


def test_an_empty_reply_is_retried(key):
    with LLMServer(reply=lambda body: "now something") as server:
        server.script("", "  ")
        assert run(door(server, key).complete("hi")) == "now something"
    assert len(server.requests) == 3


def test_a_request_failing_every_retry_fails_its_record_only(key):
    with LLMServer(reply=lambda body: (503, {"error": {"message": "overloaded"}}, {"Retry-After": "0"})) as server:
        with pytest.raises(RecordError, match="failed 3 times"):
            run(door(server, key, max_retries=2).complete("hi"))
    assert len(server.requests) == 3


def test_an_auth_failure_stops_with_one_sentence_naming_the_variable_and_never_the_key(monkeypatch):
    monkeypatch.setenv("DOOR_TEST_KEY", "sk-wrong-key-000000000")
    with LLMServer(api_key=KEY) as server:
        with pytest.raises(AuthError) as err:
            run(door(server, "DOOR_TEST_KEY").complete("hi"))
    message = str(err.value)
    assert "DOOR_TEST_KEY" in message and "sk-wrong-key-000000000" not in message and KEY not in message
    assert "\n" not in message
    assert len(server.requests) == 0  # refused before the body was taken: no retry storm either


def test_an_unset_key_variable_is_named(monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with LLMServer() as server, pytest.raises(AuthError, match="NOT_SET_ANYWHERE"):
        run(door(server, "NOT_SET_ANYWHERE").complete("hi"))


def test_malformed_json_fails_the_record_with_the_raw_reply_kept(key):
    with LLMServer(reply=lambda body: "Sure! Here are the constraints: none") as server:
        with pytest.raises(RecordError) as err:
            run(door(server, key).complete_json("list them as JSON"))
    assert err.value.raw == "Sure! Here are the constraints: none"
    assert len(server.requests) == 2  # one more attempt, not served from any cache


def test_json_cut_off_by_max_tokens_is_asked_again_with_twice_the_room_also_on_resume(key, tmp_path):
    def cut(body):
        whole = '{"items": ["' + '", "'.join(f"w{i}" for i in range(10)) + '"]}'
        if body["max_tokens"] >= 20:
            return whole
        return completion(body, whole[: body["max_tokens"]], finish_reason="length")

    with LLMServer(reply=cut) as server:
        assert run(door(server, key, tmp_path, max_tokens=10).complete_json("list")) == {
            "items": [f"w{i}" for i in range(10)]
        }
        assert [r["max_tokens"] for r in server.requests] == [10, 20]
        again = door(server, key, tmp_path, max_tokens=10)  # a resumed run: both answers from the cache
        assert run(again.complete_json("list"))["items"][0] == "w0"
    assert len(server.requests) == 2 and again.usage.snapshot()["total"]["cached"] == 2


def test_json_is_parsed_through_fences_and_chatter():
    assert parse_json('Here you go:\n```json\n{"a": [1, 2]}\n```\nAnything else?') == {"a": [1, 2]}
    assert parse_json('The answer is [1, "x"] as requested.') == [1, "x"]
    with pytest.raises(ValueError):
        parse_json("no json here")


def test_the_cache_answers_repeats_for_free_across_instances_and_holds_no_secret(key, tmp_path):
    with LLMServer(reply=lambda body: f"answer {len(body['messages'])}") as server:
        first = door(server, key, tmp_path)
        assert run(first.complete("same question")) == "answer 1"
        second = door(server, key, tmp_path, concurrency=3)  # concurrency does not change answers
        assert run(second.complete("same question")) == "answer 1"
        assert run(second.complete("same question", temperature=0.7)) == "answer 1"  # a new key: asked again
    assert len(server.requests) == 2
    total = second.usage.snapshot()["total"]
    assert total["cached"] == 1 and total["cost"] == 0
    dump = "\n".join(sqlite3.connect(tmp_path / "cache.sqlite").iterdump())
    assert KEY not in dump and server.url not in dump


def test_the_concurrency_limit_is_honoured(key):
    def slow(body):
        time.sleep(0.1)
        return "done"

    async def many(llm):
        return await asyncio.gather(*(llm.complete(f"q{i}") for i in range(12)))

    with LLMServer(reply=slow) as server:
        assert run(many(door(server, key, concurrency=3))) == ["done"] * 12
    assert server.max_in_flight == 3


def test_requests_per_minute_limit_spaces_requests(key):
    from crabplug.llm.usage import RateLimiter

    async def three():
        limiter = RateLimiter(rpm=2, tpm=None, window=0.3)
        started = time.monotonic()
        for _ in range(3):
            await limiter.acquire(10)
        return time.monotonic() - started

    assert run(three()) >= 0.29


def test_the_budget_refuses_a_call_that_could_exceed_it_counting_calls_in_flight_and_earlier_runs(key):
    # gpt-4o-mini: $0.6 per million answer tokens, so a full 512-token answer may cost $0.000307.
    with LLMServer(reply=lambda body: "word " * 200) as server:
        llm = LLM(LLMSettings(model="openai/gpt-4o-mini", api_base=server.url, api_key_env=key, max_cost=4e-4))
        run(llm.complete("one"))  # 200 answer tokens: $0.00012 spent
        assert llm.usage.cost == pytest.approx(200 * 0.6e-6, rel=0.05)
        with pytest.raises(BudgetExceeded, match="max_cost"):
            run(llm.complete("two"))  # 0.00012 + up to 0.000307 > 0.0004: refused before asking

        async def together(door):
            return await asyncio.gather(*(door.complete(f"q{i}") for i in range(2)), return_exceptions=True)

        fresh = LLM(LLMSettings(model="openai/gpt-4o-mini", api_base=server.url, api_key_env=key, max_cost=4e-4))
        outcomes = run(together(fresh))  # the second waits for the first in flight, then does not fit
        assert sum(isinstance(o, BudgetExceeded) for o in outcomes) == 1
        resumed = LLM(
            LLMSettings(model="openai/gpt-4o-mini", api_base=server.url, api_key_env=key, max_cost=4e-4),
            usage=Usage(spent_before=2e-4),  # what earlier runs of the run directory spent
        )
        with pytest.raises(BudgetExceeded):
            run(resumed.complete("three"))
    assert len(server.requests) == 2


def test_a_model_without_a_price_is_counted_in_tokens(key):
    with LLMServer(reply=lambda body: "three words here") as server:
        llm = door(server, key)
        run(llm.complete("a b c d"))
    total = llm.usage.snapshot()["total"]
    assert total["completion_tokens"] == 3 and total["prompt_tokens"] == 4
    assert total["unpriced_calls"] == 1 and total["cost"] == 0


def test_usage_is_tallied_by_stage_and_model_from_many_threads():
    usage = Usage()

    def work():
        for _ in range(500):
            usage.record(model="m", stage="s", prompt_tokens=1, completion_tokens=2, cost=0.001)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    snap = usage.snapshot()
    assert snap["total"]["calls"] == snap["by_stage"]["s"]["calls"] == snap["by_model"]["m"]["calls"] == 2000
    assert snap["total"]["completion_tokens"] == 4000


def test_the_key_never_reaches_the_logs_even_at_debug_level(key, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    with LLMServer(reply=lambda body: "fine", api_key=KEY) as server:
        assert run(door(server, key).complete("hello")) == "fine"
        monkeypatch.setenv("DOOR_TEST_KEY", "sk-another-wrong-key-42")
        with pytest.raises(AuthError):
            run(door(server, key).complete("hello again"))
    assert caplog.records  # litellm did log at debug level
    assert KEY not in caplog.text and "sk-another-wrong-key-42" not in caplog.text


def test_an_empty_reply_is_retried_unless_silence_is_an_answer(key):
    with LLMServer(reply=lambda body: "") as server:
        with pytest.raises(RecordError, match="failed 2 times"):
            run(door(server, key, max_retries=1).complete("hi"))
        assert run(door(server, key).complete("hi", allow_empty=True)) == ""  # evaluation scores it
    assert len(server.requests) == 3
