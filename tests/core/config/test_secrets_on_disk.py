"""A key given with `--set llm.extra.api_key=...` or written in the config reaches the provider but no file of the
run directory: config.yaml holds `***`, and the same command resumes (the redacted key is not a changed config)."""

from __future__ import annotations

import subprocess

import pytest
from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug.config import dump
from crabplug.testing.llm_server import LLMServer

KEY = "sk-cmdline-secret-5e6f7a8b9c"


def _words(body):
    response = body["messages"][-1]["content"].split("\n\n", 1)[1]
    return f'```json\n{{"at_least": {len(response.split())}}}\n```'


def _run(config, *args):
    cmd = [*crabplug_cmd("--plugin", "crabplug_llmtestplugin", "run", str(config)), "-q", *args]
    return subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("where", ["--set", "config"])
def test_a_key_given_on_the_command_line_or_in_the_config_is_written_redacted(tmp_path, where):
    with LLMServer(reply=_words, api_key=KEY) as server:
        config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 4))
        text = config.read_text().replace("{plugin: test-count, delay: 0.0}", "{plugin: test-llm-ask}")
        extra = f", extra: {{api_key: {KEY}}}" if where == "config" else ""
        config.write_text(text + f"llm: {{model: openai/test-model, api_base: '{server.url}'{extra}}}\n")
        args = ("--set", f"llm.extra.api_key={KEY}") if where == "--set" else ()
        first = _run(config, *args)
        assert first.returncode == 0, first.stderr
        assert len(server.requests) == 4  # the key reached the server: it refuses requests without it
        (tmp_path / "seeds.jsonl").write_text((tmp_path / "seeds.jsonl").read_text() + '{"instruction": "Q?", '
                                              '"response": "one two three"}\n')
        resumed = _run(config, *args)
        assert resumed.returncode == 0, resumed.stderr
        assert len(server.requests) == 5
    run_dir = tmp_path / "run"
    assert "api_key: '***'" in (run_dir / "config.yaml").read_text()
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in first.stdout + first.stderr + resumed.stdout + resumed.stderr


def test_settings_that_name_a_secret_are_redacted_and_the_others_kept():
    text = dump({"llm": {"api_key_env": "MY_KEY", "max_tokens": 9, "extra": {
        "api_key": "sk-1", "extra_headers": {"Authorization": "Bearer x"}, "hf_token": "hf_abc"}}})
    assert "MY_KEY" in text and "max_tokens: 9" in text
    assert "sk-1" not in text and "Bearer x" not in text and "hf_abc" not in text
    assert text.count("'***'") == 3
