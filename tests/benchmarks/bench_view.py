"""``crabplug view`` on a large run (10k samples; 100k for docs/view.md): time to build the SQLite file (from
scratch, again with nothing new, after 1,000 appended samples) and to load the first pages from the real server
(run on demand).

The run directory is synthesized from a real code-only run of the real seeds (tests/fixtures/real): its samples
and DPO pairs repeated with distinct ids, so every line is real data and the file sizes are those of a real run.

    .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_view.py
    VIEW_BENCH_N=100000 .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_view.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "view"))
from view_helpers import ViewServer, crabplug, env, make_run  # noqa: E402

N = int(os.environ.get("VIEW_BENCH_N", "10000"))


def _repeat(src: Path, dst: Path, n: int, start: int = 0) -> None:
    """``n`` lines of ``src`` repeated in turn from line ``start``; round r of the file gets ids ``ORIGINAL-r``
    (and example ids, so samples still find their checkpoint lines)."""
    rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()]
    with dst.open("a", encoding="utf-8") as f:
        for i in range(start, start + n):
            row = dict(rows[i % len(rows)])
            for key in ("id", "example_id"):
                if key in row:
                    row[key] = f"{row[key]}-{i // len(rows)}"
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _build(run: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(crabplug("view", str(run), "--build-only"), env=env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    print("   ", done.stdout.strip())
    return time.perf_counter() - start


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        assert r.status == 200
        r.read()
    return time.perf_counter() - start


@pytest.mark.benchmark
def test_view_on_a_large_run(tmp_path):
    (tmp_path / "real").mkdir()
    real = make_run(tmp_path / "real", limit=200)
    run = tmp_path / "big"
    run.mkdir()
    for name in ("config.yaml", "stats.json", "plugins.json", "README.md"):
        if (real / name).is_file():
            shutil.copy(real / name, run / name)
    _repeat(real / "samples.jsonl", run / "samples.jsonl", N)
    _repeat(real / "dpo.jsonl", run / "dpo.jsonl", N)
    samples = len((real / "samples.jsonl").read_text().splitlines())
    checkpoint = real / "stages" / "2-verify.jsonl"  # every candidate constraint, one line per seed example
    (run / "stages").mkdir()
    _repeat(checkpoint, run / "stages" / checkpoint.name, -(-N // samples) * len(checkpoint.read_text().splitlines()))
    mb = sum((run / n).stat().st_size for n in ("samples.jsonl", "dpo.jsonl", "stages/2-verify.jsonl")) / 1e6
    print(f"\n{N} samples ({mb:.0f} MB of samples.jsonl, dpo.jsonl and the last checkpoint), "
          f"{len((real / 'samples.jsonl').read_text().splitlines())} distinct real ones repeated")
    scratch = _build(run)
    again = _build(run)
    _repeat(real / "samples.jsonl", run / "samples.jsonl", 1000, start=N)
    appended = _build(run)
    size = (run / "view.sqlite").stat().st_size / 1e6
    print(f"build from scratch {scratch:.1f} s, again with nothing new {again:.1f} s, "
          f"after 1,000 appended samples {appended:.1f} s; view.sqlite {size:.0f} MB")
    sample = json.loads((run / "samples.jsonl").open().readline())
    word = max((w for w in sample["response"].split() if w.isalpha()), key=len)
    with ViewServer(str(run)) as server:
        pages = {
            "samples (first page, facets)": "/view/samples",
            "samples again": "/view/samples",
            "constraints (first page, facets)": "/view/constraints",
            "candidates (first page, facets)": "/view/candidates",
            "a facet: one constraint type": f"/view/samples?types__arraycontains={sample['constraints'][0]['type']}",
            f"full-text search {word!r}": f"/view/samples?_search={word}",
            "a sample page": f"/-/crabplug/sample/{sample['id']}",
            "page 2 of samples (JSON)": "/view/samples.json?_next=50",
        }
        for label, path in pages.items():
            print(f"    {label}: {_get(server.url + path):.2f} s")
