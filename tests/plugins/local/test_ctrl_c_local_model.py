"""Ctrl-C while the embedded model is answering ends the run cleanly: exit 130 and "re-run the same command to
resume", never a SIGABRT from a native thread torn down at exit; the re-run then finishes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

QUICKSTART = Path(__file__).resolve().parents[3] / "configs" / "quickstart.yaml"


def _answers(cache: Path) -> int:
    if not cache.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    except sqlite3.Error:  # created but not yet holding the table
        return 0


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_while_the_embedded_model_answers_exits_130_and_the_rerun_resumes(tmp_path):
    run_dir = tmp_path / "run"
    # four seeds leave more model work after the first answer to interrupt
    cmd = [sys.executable, "-m", "crabplug", "run", str(QUICKSTART), "--limit", "4", "-o", str(run_dir), "-q"]
    # the child gets Ctrl-C's default disposition: a test process that inherited SIGINT ignored (it did in a fresh
    # clone's full suite) would pass that on, and Python then installs no KeyboardInterrupt handler at all
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    deadline = time.monotonic() + 240
    while _answers(run_dir / "llm-cache.sqlite") < 1 and proc.poll() is None:  # the model is at work now
        assert time.monotonic() < deadline, "the embedded model gave no answer in 4 minutes"
        time.sleep(0.2)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Interrupted; re-run the same command to resume." in err
    assert "terminate called" not in err
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
