"""The command line: one actionable sentence for user errors, never a traceback; results on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from core_helpers import crabplug_cmd, env, write_config, write_seeds


def crabplug(*args, cwd=None):
    return subprocess.run(crabplug_cmd(*args), env=env(), capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("run", "missing.yaml"), "Error: config file 'missing.yaml' does not exist"),
        (("constraints", "--family", "nope"), "Error: no constraint family 'nope'"),
    ],
)
def test_user_errors_are_one_sentence_without_traceback(args, sentence):
    out = crabplug(*args)
    assert out.returncode == 1
    assert out.stderr.strip().startswith(sentence)
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_bad_yaml_and_unknown_plugin_are_one_sentence(tmp_path):
    (tmp_path / "bad.yaml").write_text("seeds: [\n")
    (tmp_path / "unknown.yaml").write_text("seeds: [{plugin: nowhere}]\n")
    bad, unknown = crabplug("run", str(tmp_path / "bad.yaml")), crabplug("run", str(tmp_path / "unknown.yaml"))
    assert "not valid YAML" in bad.stderr and "Traceback" not in bad.stderr
    assert "unknown seed source 'nowhere'; registered:" in unknown.stderr and "Traceback" not in unknown.stderr


def test_help_is_instant_because_nothing_heavy_is_imported():
    code = (
        "import sys; from crabplug import cli; import crabplug.cli.run; "
        "print(sorted(m for m in ('litellm', 'torch', 'transformers', 'datasets', 'trl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    start = time.monotonic()
    assert crabplug("--help").returncode == 0
    assert time.monotonic() - start < 5


def test_version_comes_from_package_metadata():
    out = crabplug("--version")
    assert out.returncode == 0 and out.stdout.startswith("crabplug, version ")


def test_plugins_json_lists_the_built_ins_and_what_they_register():
    rows = {r["name"]: r for r in json.loads(crabplug("plugins", "--json").stdout)}
    assert rows["crabplug.verifiers"]["registers"] == {"verifiers": ["code"]}
    assert rows["crabplug_testplugin"]["registers"]["seed_sources"] == ["test-lines"]


def test_constraints_json_lists_types_with_family_and_phrasing():
    rows = {r["id"]: r for r in json.loads(crabplug("constraints", "--json", "--family", "test").stdout)}
    assert rows["test:min_words"]["family"] == "test"
    assert rows["test:min_words"]["example"].startswith("Use at least")


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 12, bad_lines=(2,)))
    out = crabplug("run", str(config), "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "test-count" in out.stdout and "seed records: 11 to process" in out.stdout
    assert not (tmp_path / "run").exists()


def test_run_prints_a_summary_on_stdout(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 12))
    out = crabplug("run", str(config), "-q", "--limit", "5")
    assert out.returncode == 0, out.stderr
    assert "samples 5" in out.stdout
