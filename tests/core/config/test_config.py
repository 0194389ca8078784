"""Configs: YAML validated against attrs classes; every error names the key and its file:line."""

from __future__ import annotations

import textwrap

import pytest

from crabplug import ConfigError
from crabplug import config as cfg
from crabplug.pipeline.assemble import build_stages
from crabplug.plugins import load


def write(tmp_path, text):
    path = tmp_path / "c.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_valid_config_loads_into_attrs(tmp_path):
    path = write(tmp_path, """
        name: demo
        seed: 7
        seeds:
          - plugin: test-lines
            path: a.jsonl
        filters: {min_words: 200, keep_short_rate: 0.1, max_per_source: 20000}
        back_translators: [test-count]
        combiner: {plugin: test-join}
    """)
    config, _ = cfg.load(path)
    assert config.seed == 7
    assert config.filters.min_words == 200 and config.filters.max_per_source == 20000
    assert config.seeds[0].plugin == "test-lines" and config.seeds[0].options == {"path": "a.jsonl"}
    assert config.back_translators[0].plugin == "test-count"
    assert config.verifiers[0].plugin == "code"


def test_an_unknown_top_level_key_names_its_line(tmp_path):
    path = write(tmp_path, "name: x\nseedz: []\n")
    with pytest.raises(ConfigError, match=r"c.yaml:2: unknown key 'seedz'"):
        cfg.load(path)


def test_a_wrong_type_names_the_key_and_line(tmp_path):
    path = write(tmp_path, "filters:\n  min_words: 10\n  keep_short_rate: lots\n")
    with pytest.raises(ConfigError, match=r"c.yaml:3: option 'keep_short_rate' of filters must be a number"):
        cfg.load(path)


def test_an_unknown_plugin_option_names_the_key_and_line(tmp_path):
    path = write(tmp_path, "seeds:\n  - plugin: test-lines\n    path: a.jsonl\n    speed: 3\n")
    config, _ = cfg.load(path)
    registry = load(["crabplug_testplugin"])
    with pytest.raises(ConfigError, match=r"c.yaml:4: unknown option 'speed' for seed source 'test-lines'"):
        build_stages(config, registry)


def test_a_plugin_option_of_the_wrong_type_is_an_error(tmp_path):
    path = write(tmp_path, "back_translators:\n  - plugin: test-count\n    delay: soon\n")
    config, _ = cfg.load(path)
    with pytest.raises(ConfigError, match=r"c.yaml:3: option 'delay' of back translator 'test-count' must be a number"):
        build_stages(config, load(["crabplug_testplugin"]))


def test_bad_yaml_is_one_sentence_with_the_line(tmp_path):
    path = write(tmp_path, "name: x\nseeds: [\n")
    with pytest.raises(ConfigError, match=r"c.yaml:\d+: this is not valid YAML"):
        cfg.load(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        cfg.load(tmp_path / "nope.yaml")


def test_set_overrides_nested_keys_with_yaml_types(tmp_path):
    path = write(tmp_path, "filters: {min_words: 200}\nback_translators: [{plugin: test-count, delay: 0.5}]\n")
    config, data = cfg.load(path, ("filters.min_words=50", "back_translators.test-count.delay=0", "seed=3"))
    assert config.filters.min_words == 50 and config.seed == 3
    assert config.back_translators[0].options == {"delay": 0}
    assert data["filters"]["min_words"] == 50


def test_a_malformed_override_says_how_to_write_it(tmp_path):
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        cfg.load(write(tmp_path, "name: x\n"), ("filters.min_words",))


def test_every_shipped_config_is_valid():
    from pathlib import Path

    shipped = sorted((Path(__file__).resolve().parents[3] / "configs").glob("*.yaml"))
    assert {"quickstart.yaml", "crab-paper.yaml"} <= {p.name for p in shipped}  # the glob found the configs
    for path in shipped:
        cfg.load(path)


def test_an_unknown_plugin_name_names_the_line_and_the_known_ones(tmp_path):
    config, _ = cfg.load(write(tmp_path, "name: x\nback_translators:\n  - plugin: rulez\n"))
    with pytest.raises(Exception, match=r"c.yaml:3: unknown back translator 'rulez'; registered: .*test-count"):
        build_stages(config, load(["crabplug_testplugin"]))
