"""With stderr going to a file or a pipe (`make run > log 2>&1`), a run writes a plain progress line per stage now
and then instead of staying silent until the end; `-q` keeps it silent."""

from __future__ import annotations

import re
import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds


def test_a_run_whose_stderr_is_a_pipe_writes_progress_lines(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 40), delay=0.01, chunk=4)
    done = subprocess.run(crabplug_cmd("run", str(config)), env={**env(), "CRABPLUG_PROGRESS_SECONDS": "0.05"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [x for x in done.stderr.splitlines() if x.startswith("back_translate: ")]
    assert len(lines) >= 2, done.stderr
    assert re.fullmatch(r"back_translate: \d+/40 records, [\d.]+ rec/s, ETA [\d:?]+, failed 0, \$0\.0000", lines[-1])


def test_quiet_writes_no_progress_lines(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 12), chunk=4)
    done = subprocess.run(crabplug_cmd("run", str(config), "-q"), env={**env(), "CRABPLUG_PROGRESS_SECONDS": "0"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
