"""Helpers for the core's pipeline tests: seed files and configs using tests/crabplug_testplugin.py."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

TESTS = Path(__file__).parent


def write_seeds(path: Path, n: int, *, bad_lines: tuple[int, ...] = (), fail: tuple[int, ...] = ()) -> Path:
    """``n`` JSONL lines; line numbers in ``bad_lines`` are not JSON, indices in ``fail`` make the plugin fail."""
    with path.open("w") as f:
        for i in range(n):
            if i + 1 in bad_lines:
                f.write("this is not json\n")
                continue
            words = " ".join(f"w{j}" for j in range(i % 40 + 1))
            row = {"instruction": f"Question {i}?", "response": words + (" FAIL" if i in fail else "")}
            f.write(json.dumps(row) + "\n")
    return path


def write_config(tmp: Path, seeds: Path, *, delay: float = 0.0, chunk: int = 16, extra: str = "") -> Path:
    path = tmp / "config.yaml"
    path.write_text(
        f"name: test\nrun_dir: {tmp / 'run'}\nchunk_size: {chunk}\n"
        f"seeds: [{{plugin: test-lines, path: {seeds}}}]\n"
        f"back_translators: [{{plugin: test-count, delay: {delay}}}]\n"
        "combiner: {plugin: test-join}\noutputs: [test-out]\n" + extra
    )
    return path


def crabplug_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from crabplug.cli import main; main()", "--plugin", "crabplug_testplugin", *args]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(TESTS)}
