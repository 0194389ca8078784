"""A value outside its setting's range is refused in one sentence naming the key (config file:line or --set),
never accepted silently or ended in a traceback."""

from __future__ import annotations

import subprocess

import pytest
from core_helpers import crabplug_cmd, env, write_config, write_seeds


@pytest.mark.parametrize("assignment, words", [
    ("filters.min_words=-3", "filters.min_words must be at least 0, got -3"),
    ("filters.keep_short_rate=7.5", "filters.keep_short_rate must be from 0 to 1, got 7.5"),
    ("limit=-5", "limit must be at least 1, got -5"),
    ("chunk_size=0", "chunk_size must be from 1 to 100,000, got 0"),
    ("chunk_size=100000000000000000000000", "chunk_size must be from 1 to 100,000"),
    ("llm.concurrency=0", "llm.concurrency must be from 1 to 100,000, got 0"),
    ("llm.temperature=-1", "llm.temperature must be from 0 to 2, got -1"),
])
def test_a_value_out_of_range_is_one_sentence_naming_the_key(tmp_path, assignment, words):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 3))
    done = subprocess.run(crabplug_cmd("run", str(config), "-q", "--set", assignment), env=env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"--set {assignment.split('=')[0]}: {words}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_a_value_out_of_range_in_the_file_names_its_line(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 3), extra="filters: {min_words: -3}\n")
    done = subprocess.run(crabplug_cmd("run", str(config), "-q"), env=env(), capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{config}:8: filters.min_words must be at least 0" in done.stderr, done.stderr
