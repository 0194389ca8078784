"""``crabplug eval --benchmark ifbench``: bad instructions are reported one sentence per kind and the rest is
scored; ``--compare`` shows IFEval and IFBench side by side, with the IFBench paper's rows on --reference.
This module is also a plugin (``--plugin test_ifbench_eval``) registering a benchmark with bad instructions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from crabplug_ifbench.benchmark import IFBench
from eval_helpers import eval_subprocess, run_eval, summary

from crabplug import hookimpl

# IFBench's responses and kwargs live with the ifbench family's own tests
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "packages" / "crabplug-ifbench" / "tests"))
import ifbench_corpus as corpus  # noqa: E402

REAL = corpus.prompts()[:4]
BAD = [
    {"key": 901, "prompt": "Say hi.", "instruction_id_list": ["count:nope"], "kwargs": [{}]},
    {  # a count that is not a number, a keyword without its sentence number, a cycle of 0 words
        "key": 902,
        "prompt": "Say hello.",
        "instruction_id_list": ["count:pronouns", "sentence:keyword", "count:words_japanese", "format:newline"],
        "kwargs": [{"N": "many"}, {"word": "hello"}, {"N": 0}, {}],
    },
    {"key": 903, "prompt": "Say bye.", "instruction_id_list": ["words:repeats", "typo:x"], "kwargs": ["3", {}]},
]


@attrs.frozen
class BadIFBench(IFBench):
    """Four real IFBench prompts and three whose instructions are partly unusable."""

    name: ClassVar[str] = "ifbench-bad"

    def prompts(self):
        yield from REAL + BAD


@hookimpl
def register_benchmarks(register):
    register(BadIFBench)


def _write(path, answers: dict[str, str]):
    path.write_text("".join(json.dumps({"prompt": p, "response": r}) + "\n" for p, r in answers.items()))
    return path


def test_unknown_ids_and_malformed_kwargs_are_reported_once_per_kind_and_the_rest_is_scored(tmp_path):
    sample = {p.strip(): r for p, r in corpus.sample_responses().items()}
    answers = {row["prompt"]: sample[row["prompt"].strip()] for row in REAL}
    answers.update({"Say hi.": "hi", "Say hello.": "hello\nthere", "Say bye.": "bye"})
    responses = _write(tmp_path / "r.jsonl", answers)
    out = tmp_path / "o"
    result = run_eval(
        "--benchmark", "ifbench-bad", "--responses", str(responses), "-o", str(out), plugins=("test_ifbench_eval",)
    )
    assert result.exit_code == 0, result.output
    data = summary(out)
    problems = data["problems"]
    assert len(problems) == 3  # unknown ids, malformed kwargs, prompts left with nothing to check
    unknown = next(p for p in problems if "count:nope" in p)
    assert unknown.startswith("2 instruction(s) not scored (count:nope, typo:x): their instruction ids")
    malformed = next(p for p in problems if "kwargs" in p)
    assert malformed.startswith("4 instruction(s) not scored (count:pronouns, count:words_japanese, sentence:keyword")
    assert problems[-1] == "2 prompt(s) had no instruction left to check and are not counted in the scores."
    assert all(p.count(". ") == 0 or "`" in p for p in problems)  # one sentence each
    for sentence in problems:
        assert sentence.split(":")[0] in result.output.replace("\n", " ")
    verdicts = [json.loads(line) for line in (out / "verdicts.jsonl").read_text().splitlines()]
    assert verdicts[5]["instruction_id_list"] == ["format:newline"]  # the usable instruction is still scored
    assert data["prompts"] == 5 and data["instructions"] == sum(len(r["instruction_id_list"]) for r in REAL) + 1


def test_compare_shows_ifeval_and_ifbench_side_by_side_with_the_ifbench_papers_rows(tmp_path):
    import ifeval_corpus

    ifeval_rows = [json.loads(line) for line in ifeval_corpus.INPUT_DATA.read_text().splitlines()[:3]]
    sample = {p.strip(): r for p, r in corpus.sample_responses().items()}
    answers = {row["prompt"]: sample[row["prompt"].strip()] for row in REAL[:3]}
    answers.update({row["prompt"]: "A short answer, all in one line." for row in ifeval_rows})
    responses = _write(tmp_path / "model-a.jsonl", answers)  # one model's answers to both benchmarks
    for bench in ("ifeval", "ifbench"):
        result = run_eval("-b", bench, "--limit", "3", "--responses", str(responses), "-o", str(tmp_path / bench))
        assert result.exit_code == 0, result.output
    result = run_eval(
        "--compare", str(tmp_path / "ifeval"), str(tmp_path / "ifbench"), "--reference", "-o", str(tmp_path / "cmp")
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("ifeval" in line and "ifbench" in line for line in lines)  # one header, both benchmarks
    row = next(line for line in lines if "model-a" in line)
    ifeval_pl = 100 * summary(tmp_path / "ifeval")["metrics"]["prompt_level_strict_acc"]
    ifbench_pl = 100 * summary(tmp_path / "ifbench")["metrics"]["prompt_level_strict_acc"]
    assert f"{ifeval_pl:.1f}" in row and f"{ifbench_pl:.1f}" in row  # one row holds both
    paper = next(line for line in lines if "Tulu-3-8B SFT (IFBench" in line)
    assert "20.7" in paper  # IFBench paper, Table 3
    assert (tmp_path / "cmp" / "compare-ifeval.png").stat().st_size > 0
    assert (tmp_path / "cmp" / "compare-ifbench.png").stat().st_size > 0


@pytest.mark.slow
def test_the_embedded_model_is_evaluated_on_ifbench_offline(tmp_path):
    out_dir = tmp_path / "out"
    args = ("-m", "local/smollm2-135m", "-b", "ifbench", "--limit", "3", "--max-tokens", "8", "-o", str(out_dir))
    done = eval_subprocess(*args, "--concurrency", "3")
    assert done.returncode == 0, done.stderr
    data = summary(out_dir)
    assert (data["benchmark"], data["usage"]["calls"]) == ("ifbench", 3)
    responses = [json.loads(x) for x in (out_dir / "responses.jsonl").read_text().splitlines()]
    assert [r["prompt"] for r in responses] == [r["prompt"] for r in corpus.prompts()[:3]]
    verdicts = [json.loads(x) for x in (out_dir / "verdicts.jsonl").read_text().splitlines()]
    assert sum(len(v["instruction_id_list"]) for v in verdicts) == data["instructions"] > 0


def test_a_response_file_naming_its_own_bad_instructions_scores_the_rest(tmp_path):
    sample = {p.strip(): r for p, r in corpus.sample_responses().items()}
    lines = [{"prompt": row["prompt"], "response": sample[row["prompt"].strip()]} for row in REAL[:3]]
    lines[0].update(instruction_id_list=["count:nope", "format:newline"], kwargs=[{}, {}])
    lines[1].update(instruction_id_list=["count:pronouns"], kwargs=[{"N": "many"}])
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run_eval("-b", "ifbench", "--limit", "3", "--responses", str(path), "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    data = summary(tmp_path / "o")
    assert data["problems"] == [
        "1 instruction(s) not scored (count:nope): their instruction ids name no registered constraint type: "
        "check the spelling (`crabplug constraints`).",
        "1 instruction(s) not scored (count:pronouns): their kwargs are missing, of the wrong type or out of range "
        "for the check: fix them in the input.",
        "1 prompt(s) had no instruction left to check and are not counted in the scores.",
    ]
    verdicts = [json.loads(x) for x in (tmp_path / "o" / "verdicts.jsonl").read_text().splitlines()]
    assert verdicts[0]["instruction_id_list"] == ["format:newline"]
    assert verdicts[2]["instruction_id_list"] == REAL[2]["instruction_id_list"]  # the benchmark's own
    assert data["prompts"] == 2
