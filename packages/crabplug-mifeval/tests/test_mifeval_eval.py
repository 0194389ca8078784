"""``crabplug eval -b mifeval-es|fr|ja --responses FILE``: M-IFEval's four numbers for a published response
file, exactly as its own evaluation published them, and ``--compare`` across the three languages."""

from __future__ import annotations

import json

import mifeval_corpus as corpus
import pytest
from crabplug_mifeval.benchmark import GPT4O_COUNTS

from crabplug.testing import run_cli

MODEL = "gpt-4o-2024-08-06"


def _responses(tmp_path, lang):
    """gpt-4o's published response file of ``lang`` (M-IFEval's data/<lang>_input_response_data_<model>.jsonl)."""
    path = tmp_path / f"{lang}-{MODEL}.jsonl"
    rows = [r for r in corpus.published(lang) if r["model"] == MODEL]
    path.write_text(
        "".join(
            json.dumps({"prompt": corpus.inputs(lang)[r["key"]]["prompt"], "response": r["response"]}) + "\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    return path


def _published_numbers(lang):
    """The four numbers from M-IFEval's published per-prompt verdicts, computed as its print_report does."""
    rows = [r for r in corpus.published(lang) if r["model"] == MODEL]
    n = sum(len(r["strict"]) for r in rows)
    return {
        "prompt_level_strict_acc": sum(all(r["strict"]) for r in rows) / len(rows),
        "inst_level_strict_acc": sum(sum(r["strict"]) for r in rows) / n,
        "prompt_level_loose_acc": sum(all(r["loose"]) for r in rows) / len(rows),
        "inst_level_loose_acc": sum(sum(r["loose"]) for r in rows) / n,
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mifeval-eval")
    out = {}
    for lang in corpus.LANGS:
        out[lang] = tmp / f"mifeval-{lang}"
        done = run_cli(
            "eval", "-b", f"mifeval-{lang}", "--responses", str(_responses(tmp, lang)), "-o", str(out[lang]), "-q",
            plugins=("crabplug_mifeval",),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_the_four_numbers_are_m_ifevals_published_ones(runs, lang):
    summary = json.loads((runs[lang] / "summary.json").read_text(encoding="utf-8"))
    metrics = {k: summary["metrics"][k] for k in _published_numbers(lang)}
    assert metrics == _published_numbers(lang)  # exactly: same fractions, not rounded
    prompts, strict, loose, insts, istrict, iloose = GPT4O_COUNTS[lang]  # the benchmark's reference row
    assert (summary["prompts"], summary["instructions"]) == (prompts, insts)
    assert metrics["prompt_level_strict_acc"] == strict / prompts and metrics["inst_level_loose_acc"] == iloose / insts


def test_compare_puts_the_three_languages_side_by_side_with_the_leaderboard(runs, tmp_path):
    dirs = [str(runs[lang]) for lang in corpus.LANGS]
    out = str(tmp_path / "cmp")
    done = run_cli("eval", "--compare", *dirs, "--reference", "-o", out, plugins=("crabplug_mifeval",))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(all(f"mifeval-{lang}" in line for lang in corpus.LANGS) for line in lines)  # one header, 3 languages
    gpt = next(line for line in lines if "GPT4o (M-IFEval README)" in line)
    assert all(score in gpt for score in ("89.8", "87.8", "70.4"))  # README: Spanish, French, Japanese
    for lang in corpus.LANGS:
        assert (tmp_path / "cmp" / f"compare-mifeval-{lang}.png").stat().st_size > 0
