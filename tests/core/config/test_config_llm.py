"""The ``llm:`` section is type-checked like stage options: a wrong value or unknown key is one sentence, exit 1."""

from __future__ import annotations

import subprocess

import pytest
from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug import ConfigError
from crabplug import config as cfg


def crabplug(*args):
    return subprocess.run(crabplug_cmd(*args), env=env(), capture_output=True, text=True)


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_wrong_llm_setting_type_from_set_is_one_sentence_and_exit_1(tmp_path, dry_run):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 3))
    out = crabplug("run", str(config), "-q", "--set", "llm.max_tokens=abc", *(["--dry-run"] if dry_run else []))
    assert out.returncode == 1
    assert out.stderr.strip() == "Error: --set llm.max_tokens: option 'max_tokens' of llm must be an integer, got 'abc'"
    assert not (tmp_path / "run").exists()  # nothing ran, so no failures.jsonl hides the mistake


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_unknown_llm_key_from_set_is_rejected_in_dry_run_as_in_a_real_run(tmp_path, dry_run):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 3))
    out = crabplug("run", str(config), "-q", "--set", "llm.modle=x", *(["--dry-run"] if dry_run else []))
    assert out.returncode == 1
    assert out.stderr.startswith("Error: --set llm.modle: unknown option 'modle' for llm (options: api_base,")
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_wrong_llm_setting_in_the_file_names_its_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nllm:\n  model: openai/x\n  temperature: hot\n")
    with pytest.raises(ConfigError, match=r"c.yaml:4: option 'temperature' of llm must be a number, got 'hot'"):
        cfg.load(path)


def test_llm_must_be_a_mapping(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("llm: openai/gpt-4o-mini\n")
    with pytest.raises(ConfigError, match=r"c.yaml:1: llm must be a mapping"):
        cfg.load(path)


def test_valid_llm_settings_pass_with_ints_for_floats_and_null_for_optionals(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("llm: {model: openai/x, temperature: 1, top_p: null, max_cost: 2, extra: {stop: [END]}}\n")
    config, _ = cfg.load(path)
    assert config.llm["temperature"] == 1 and config.llm["extra"] == {"stop": ["END"]}
