"""`crabplug show` prints samples with verdicts; `crabplug export` writes a datasets dataset or Parquet."""

from __future__ import annotations

import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds


def _run(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 10))
    done = subprocess.run(crabplug_cmd("run", str(config), "-q"), env=env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return tmp_path / "run"


def test_show_prints_samples_with_each_constraints_verdict(tmp_path):
    run_dir = _run(tmp_path)
    out = subprocess.run(crabplug_cmd("show", str(run_dir), "-n", "2"), env={**env(), "COLUMNS": "200"},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("test:min_words") == 2
    assert out.stdout.count("pass (code)") == 2


def test_show_on_a_directory_that_is_not_a_run_is_one_sentence(tmp_path):
    out = subprocess.run(crabplug_cmd("show", str(tmp_path)), env=env(), capture_output=True, text=True)
    assert out.returncode == 1 and "has no samples.jsonl" in out.stderr and "Traceback" not in out.stderr


def test_export_hf_writes_a_dataset_that_loads_from_disk(tmp_path):
    from datasets import load_from_disk

    run_dir = _run(tmp_path)
    out = subprocess.run(crabplug_cmd("export", str(run_dir), str(tmp_path / "hf")), env=env(),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    ds = load_from_disk(str(tmp_path / "hf"))
    assert ds["samples"].num_rows == 10
    assert set(ds["samples"].column_names) >= {"instruction", "response", "constraints"}


def test_export_parquet_writes_one_file_per_split(tmp_path):
    import pyarrow.parquet as pq

    run_dir = _run(tmp_path)
    out = subprocess.run(crabplug_cmd("export", str(run_dir), str(tmp_path / "pq"), "--format", "parquet"),
                         env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert pq.read_table(tmp_path / "pq" / "samples.parquet").num_rows == 10


def test_push_without_a_token_is_one_sentence(tmp_path):
    run_dir = _run(tmp_path)
    clean = {k: v for k, v in env().items() if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")}
    out = subprocess.run(crabplug_cmd("export", str(run_dir), str(tmp_path / "hf"), "--push-to-hub", "me/data"),
                         env=clean, capture_output=True, text=True)
    assert out.returncode == 1 and "set HF_TOKEN" in out.stderr and "Traceback" not in out.stderr
