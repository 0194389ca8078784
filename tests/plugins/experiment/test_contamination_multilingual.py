"""The contamination check covers M-IFEval's Spanish, French and Japanese prompts (crabplug-mifeval's
benchmarks) like IFEval's and IFBench's, and finds a Japanese prompt, written without spaces, nearly as well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crabplug.testing import load_only

ROOT = Path(__file__).parents[3]


@pytest.fixture(scope="module")
def prompts():
    from crabplug_experiment.contamination import benchmark_prompts

    return dict(benchmark_prompts(load_only("crabplug_mifeval")))


@pytest.fixture(scope="module")
def index(prompts):
    from crabplug_experiment.contamination import Index

    return Index(prompts.items())


def _first(prompts, bench):
    return next((name, p) for name, p in prompts.items() if name.startswith(bench + ":") and len(p) > 80)


def test_every_m_ifeval_prompt_is_indexed(prompts):
    counts = {b: sum(n.startswith(b + ":") for n in prompts) for b in ("mifeval-es", "mifeval-fr", "mifeval-ja")}
    assert counts == {"mifeval-es": 115, "mifeval-fr": 235, "mifeval-ja": 172}


def test_spanish_and_french_prompts_are_found_exactly_and_nearly(prompts, index):
    for bench in ("mifeval-es", "mifeval-fr"):
        name, prompt = _first(prompts, bench)
        words = prompt.split()
        near = " ".join(words[:4] + ["realmente"] + words[5:])  # one word changed
        assert name in index.matches(prompt)
        assert name in index.matches("Hola.\n" + near + "\nGracias")


def test_a_japanese_prompt_with_a_character_changed_is_found(prompts, index):
    name, prompt = _first(prompts, "mifeval-ja")
    near = prompt[:10] + "猫" + prompt[11:]  # no spaces: the windows are of characters
    assert name in index.matches("お願いします。\n" + near)
    assert index.matches(prompt[:10]) == []  # a fragment is no match


def test_unrelated_answers_match_no_m_ifeval_prompt(index):
    japanese = "東京の春は桜が美しく、多くの人が公園で花見を楽しみます。夜には屋台が並び、家族連れで賑わいます。"
    assert index.matches(japanese) == []
    for line in (ROOT / "tests/fixtures/real/arena-o3mini-200.jsonl").read_text().splitlines()[:50]:
        seed = json.loads(line)
        assert index.matches(seed["instruction"] + "\n" + seed["response"]) == []


@pytest.mark.slow
def test_training_rows_in_m_ifevals_own_wordings_are_not_its_prompts(tmp_path, index):
    """The multilingual quickstart with crabplug-mifeval loaded writes constraints in M-IFEval's own wordings
    (its types' describe): a wording alone is a template, never a match."""
    import subprocess
    import sys

    from crabplug_experiment.contamination import check_files

    out = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "--plugin", "crabplug_mifeval", "run",
         "configs/quickstart-multilingual.yaml", "-o", str(out), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(c["type"].startswith("ja:") for r in rows for c in r["constraints"])  # M-IFEval's types are in
    files = sorted(p for p in out.glob("*.jsonl") if p.name != "failures.jsonl")
    report = check_files(files, index)
    assert report["rows"] > 100 and report["contaminated"] == []
