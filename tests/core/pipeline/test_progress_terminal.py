"""A run on a terminal draws bars with the seed count as total (no --limit), a real rate and an ETA."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time

from core_helpers import crabplug_cmd, env, write_config, write_seeds


def _run_in_a_terminal(args: list[str], seconds: float = 120.0) -> str:
    """Run a command with stderr and stdout on a pseudo-terminal (rich draws its bars) and return what it drew."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                            env={**env(), "COLUMNS": "160", "TERM": "xterm"}, close_fds=True)
    os.close(slave)
    out, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(master)
    assert proc.returncode == 0, out.decode(errors="replace")[-2000:]
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode(errors="replace"))  # colours and cursor moves off


def test_a_run_on_a_terminal_shows_the_seed_total_a_nonzero_rate_and_an_eta(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "s.jsonl", 12), delay=0.05, chunk=4)
    drawn = _run_in_a_terminal(crabplug_cmd("run", str(config)))  # no --limit: the total is the seed count
    assert re.search(r"back_translate\s.*\b12/12\b", drawn)
    rates = [float(x) for x in re.findall(r"(\d+\.\d) rec/s", drawn)]
    assert rates and max(rates) > 0
    assert re.search(r"ETA \d+:\d\d:\d\d", drawn)
