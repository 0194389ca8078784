"""A run directory or export folder whose parent cannot be written (read-only, immutable) is one sentence."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


@pytest.fixture
def immutable(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("chattr +i needs root and a file system that supports it")
    try:
        yield folder
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_run_directory_in_an_immutable_folder_is_one_sentence(tmp_path, immutable):
    config = tmp_path / "c.yaml"
    config.write_text(f"name: ro\nlimit: 2\nrun_dir: {immutable / 'run'}\nseeds: [{{plugin: bundled}}]\n"
                      "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n")
    done = subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert f"cannot write {str(immutable / 'run')!r} (Operation not permitted)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
