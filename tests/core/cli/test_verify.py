"""``crabplug verify``: IFEval's verdicts per line, in order, errors per line, summary, parallel chunks."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import ifeval_corpus as corpus
import ifeval_reference as reference
import pytest
from click.testing import CliRunner

import crabplug
from crabplug.cli import cli
from crabplug.cli.verify import verify_lines
from crabplug.scoring import score_row, summarize


@pytest.fixture(scope="module")
def registry():
    return crabplug.load_plugins(only=["ifeval"])


def _ifeval_rows(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = corpus.input_rows()
    out = []
    for prompt, response in corpus.prompt_responses(rng, n):
        row = dict(rng.choice(rows))
        out.append({**row, "prompt": prompt, "response": response})
    return out


def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))


def test_score_row_matches_the_reference_on_ifeval_rows(registry):
    for row in _ifeval_rows(80):
        if not all(corpus.reference_safe(t, k) for t, k in zip(row["instruction_id_list"], row["kwargs"], strict=True)):
            continue
        strict, loose = reference.verdicts(row["prompt"], row["response"], row["instruction_id_list"], row["kwargs"])
        out = score_row(registry, row)
        assert (out["follow_instruction_list"], out["follow_instruction_list_loose"]) == (strict, loose)
        assert out["follow_all_instructions"] == all(strict)
        assert out["follow_all_instructions_loose"] == all(loose)


def test_crabplug_constraint_records_are_scored(registry):
    row = {
        "response": '"no commas here"',
        "constraints": [
            {"type": "punctuation:no_comma", "kwargs": {}, "text": "No commas.", "origin": "rule"},
            {"type": "length_constraints:number_words", "kwargs": {"num_words": 5, "relation": "at least"}},
        ],
    }
    out = score_row(registry, row)
    assert out["follow_instruction_list"] == [True, False]
    assert out["instruction_id_list"] == ["punctuation:no_comma", "length_constraints:number_words"]


def test_none_valued_kwargs_of_hugging_face_ifeval_rows_are_ignored(registry):
    row = {
        "response": "Hello world",
        "instruction_id_list": ["punctuation:no_comma"],
        "kwargs": [{"num_highlights": None, "relation": None, "language": None}],
    }
    assert score_row(registry, row)["follow_instruction_list"] == [True]


def test_a_keyword_that_is_not_a_valid_regex_is_a_record_error(registry):
    row = {"response": "a (b", "instruction_id_list": ["keywords:existence"], "kwargs": [{"keywords": ["(b"]}]}
    with pytest.raises(crabplug.RecordError, match="bad kwargs for keywords:existence"):
        score_row(registry, row)


def test_loose_passes_when_a_variant_passes(registry):
    row = {
        "response": 'Sure, here it is:\n"quoted answer"',
        "instruction_id_list": ["startend:quotation"],
        "kwargs": [{}],
    }
    out = score_row(registry, row)
    assert out["follow_instruction_list"] == [False]
    assert out["follow_instruction_list_loose"] == [True]


def test_bad_lines_are_reported_by_line_number_and_the_rest_go_on(tmp_path):
    good = {"response": "hi", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}
    _write(
        tmp_path / "in.jsonl",
        [
            good,
            "{not json",
            {"prompt": "p"},
            {**good, "instruction_id_list": ["x:y"]},
            {**good, "kwargs": [{"bogus": 1}]},
            good,
        ],
    )
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5, 6]
    assert [("error" in o) for o in out] == [False, True, True, True, True, False]
    assert "unknown constraint type 'x:y'" in out[3]["error"]
    assert "in.jsonl:2: not JSON" in result.output


def test_summary_prints_ifevals_four_accuracies_and_a_per_type_table(tmp_path):
    rows = _ifeval_rows(20)
    _write(tmp_path / "in.jsonl", rows)
    result = CliRunner().invoke(
        cli, ["verify", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--summary"]
    )
    assert result.exit_code == 0, result.output
    for name in ("prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc"):
        assert name in result.stdout
    types = {t for r in rows for t in r["instruction_id_list"]}
    assert len(types) > 3  # the table is per type: every type of the input has its row
    for type_id in types:
        assert type_id in result.stdout


def test_summarize_computes_prompt_and_instruction_level_accuracy():
    rows = [
        {
            "instruction_id_list": ["a:x", "b:y"],
            "follow_instruction_list": [True, False],
            "follow_instruction_list_loose": [True, True],
            "follow_all_instructions": False,
            "follow_all_instructions_loose": True,
        },
        {
            "instruction_id_list": ["a:x"],
            "follow_instruction_list": [True],
            "follow_instruction_list_loose": [True],
            "follow_all_instructions": True,
            "follow_all_instructions_loose": True,
        },
        {"line": 3, "error": "not JSON"},
    ]
    summary = summarize(rows)
    assert summary.accuracies() == {
        "prompt_level_strict_acc": 0.5,
        "inst_level_strict_acc": 2 / 3,
        "prompt_level_loose_acc": 1.0,
        "inst_level_loose_acc": 1.0,
    }
    assert (summary.rows, summary.errors, summary.per_type["a:x"]) == (2, 1, [2, 2, 2])


def test_parallel_chunks_keep_input_order(registry):
    lines = [json.dumps(r) for r in _ifeval_rows(450, seed=5)] + ["oops"]
    serial = list(verify_lines(lines, modules=[], registry=registry, jobs=1))
    parallel = list(verify_lines(lines, modules=[], registry=registry, jobs=2))
    assert parallel == serial
    assert [o["line"] for o in parallel] == list(range(1, len(lines) + 1))


def test_verify_runs_as_a_command_on_stdin_and_stdout():
    row = {
        "response": "this is a plain english sentence written in lowercase.",
        "instruction_id_list": ["change_case:english_lowercase"],
        "kwargs": [{}],
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "crabplug"), "verify", "-", "-o", "-"],
        input=json.dumps(row),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["follow_all_instructions"] is True


def test_ifeval_response_files_take_instructions_from_input_data(tmp_path):
    rows = corpus.input_rows()[:5]
    _write(tmp_path / "responses.jsonl", [{"prompt": r["prompt"], "response": r["prompt"]} for r in rows])
    result = CliRunner().invoke(
        cli,
        ["verify", str(tmp_path / "responses.jsonl"), "-o", str(tmp_path / "o.jsonl"),
         "--instructions", str(corpus.INPUT_DATA)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [o["instruction_id_list"] for o in out] == [r["instruction_id_list"] for r in rows]
