"""An output writes a plain file name in its run directory: never outside it, in a folder, over one of the run's
own files or over another output's file. Each is refused in one sentence before anything is written."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _config(tmp_path, outputs):
    path = tmp_path / "config.yaml"
    path.write_text(
        f"name: paths\nseed: 1\nrun_dir: {tmp_path / 'run'}\nlimit: 3\n"
        "seeds: [{plugin: bundled}]\nback_translators: [rules]\ncombiner: {plugin: crab}\n"
        f"outputs: {outputs}\n",
        encoding="utf-8",
    )
    return path


def _run(config):
    return subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("outputs, words", [
    ("[{plugin: sft, path: ../x.jsonl}]", "give a file name in the run directory"),
    ("[{plugin: sft, path: /tmp/crabplug-abs.jsonl}]", "give a file name in the run directory"),
    ("[{plugin: dpo, path: sub/dir/dpo.jsonl}]", "give a file name in the run directory"),
    ("[{plugin: sft, path: config.yaml}]", "the run directory's own"),
    ("[{plugin: backtranslation, path: samples.jsonl}]", "the run directory's own"),
    ("[sft, {plugin: backtranslation, path: sft.jsonl}]", "writes that file too"),
])
def test_an_output_path_outside_or_over_the_runs_own_files_is_refused(tmp_path, outputs, words):
    done = _run(_config(tmp_path, outputs))
    assert done.returncode == 1
    assert words in done.stderr and "config.yaml:" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "x.jsonl").exists()
    assert not (tmp_path / "run" / "stages").exists()  # refused before any record was processed


def test_an_output_with_its_own_file_name_runs(tmp_path):
    done = _run(_config(tmp_path, "[{plugin: sft, path: my-sft.jsonl}]"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "run" / "my-sft.jsonl").read_text(encoding="utf-8").count("\n") >= 1
