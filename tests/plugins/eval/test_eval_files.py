"""``crabplug eval`` without a model: rescoring response files, the output files, intervals, comparison."""

from __future__ import annotations

import json
import os

import pytest
from crabplug_eval.results import ResponseLog, bootstrap, paired_difference
from eval_helpers import EXPECTED, SCRIPTED, eval_subprocess, ifeval_rows, run_eval, summary, write_responses


def test_the_541_ifeval_prompts_ship_with_their_apache_notice():
    from importlib.resources import files

    data = files("crabplug_eval") / "data"
    assert len(ifeval_rows()) == 541
    assert "Apache License 2.0" in (data / "NOTICE.md").read_text()


def test_rescoring_a_response_file_gives_the_hand_computed_four_numbers_and_average(tmp_path):
    responses = write_responses(tmp_path / "answers.jsonl", SCRIPTED)
    result = run_eval("--responses", str(responses), "--limit", "3", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    data = summary(tmp_path / "out")
    assert data["metrics"] == pytest.approx(EXPECTED)
    assert (data["prompts"], data["instructions"]) == (3, 5)
    assert data["per_type"]["punctuation:no_comma"] == {"n": 2, "strict": 0.5, "loose": 1.0}
    assert "average" in result.output and "60.0" in result.output  # the average, printed as a percentage


def test_responses_and_verdicts_are_written_in_ifeval_formats_in_benchmark_order(tmp_path):
    answers = dict(reversed(list(SCRIPTED.items())))  # the file's order must not matter
    run_eval(
        "--responses", str(write_responses(tmp_path / "a.jsonl", answers)), "--limit", "3", "-o", str(tmp_path / "o")
    )
    responses = [json.loads(x) for x in (tmp_path / "o" / "responses.jsonl").read_text().splitlines()]
    verdicts = [json.loads(x) for x in (tmp_path / "o" / "verdicts.jsonl").read_text().splitlines()]
    assert [set(r) for r in responses] == [{"prompt", "response"}] * 3
    assert [r["prompt"] for r in responses] == [r["prompt"] for r in ifeval_rows(3)]
    assert [v["key"] for v in verdicts] == [1000, 1001, 1005]
    assert verdicts[1]["follow_instruction_list"] == [False] and verdicts[1]["follow_instruction_list_loose"] == [True]
    assert verdicts[0]["follow_instruction_list"] == [True, True, False]


def test_a_response_file_missing_prompts_is_one_actionable_sentence(tmp_path):
    responses = write_responses(tmp_path / "a.jsonl", {1000: "x"})
    out = eval_subprocess("--responses", str(responses), "--limit", "3", "-o", str(tmp_path / "o"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip() == (
        f"Error: {responses} has no response for 2 of the 3 prompts (first: key 1001); pass --limit or a complete file"
    )


def test_a_directory_holding_another_models_answers_is_refused(tmp_path):
    first = write_responses(tmp_path / "a.jsonl", SCRIPTED)
    second = write_responses(tmp_path / "b.jsonl", SCRIPTED)
    assert run_eval("--responses", str(first), "--limit", "3", "-o", str(tmp_path / "o")).exit_code == 0
    result = run_eval("--responses", str(second), "--limit", "3", "-o", str(tmp_path / "o"))
    assert result.exit_code != 0 and "choose another -o directory" in str(result.exception)


def test_a_second_eval_writing_the_same_directory_is_refused_while_the_first_runs(tmp_path):
    # two evals appending to one responses.jsonl would interleave answers; the first holds the directory's lock
    # (a kernel lock: a killed eval leaves nothing to clean up, as the second run below shows)
    from crabplug_eval.runner import exclusive

    responses = write_responses(tmp_path / "a.jsonl", SCRIPTED)
    out_dir = tmp_path / "o"
    out_dir.mkdir()
    with exclusive(out_dir):
        busy = eval_subprocess("--responses", str(responses), "--limit", "3", "-o", str(out_dir))
    assert busy.returncode == 1 and "Traceback" not in busy.stderr
    assert busy.stderr.strip() == (  # the holder named by its pid: here, this test's process
        f"Error: crabplug eval (pid {os.getpid()}) is writing {str(out_dir)!r}: wait for it to finish, "
        "or choose another -o directory"
    )
    assert not (out_dir / "summary.json").exists()
    free = eval_subprocess("--responses", str(responses), "--limit", "3", "-o", str(out_dir))
    assert free.returncode == 0, free.stderr
    assert summary(out_dir)["prompts"] == 3


def test_bootstrap_intervals_are_seeded_and_bracket_the_score(tmp_path):
    answers = {r["key"]: "hello world. lowercase and no commas" for r in ifeval_rows(60)}
    run_eval(
        "--responses", str(write_responses(tmp_path / "a.jsonl", answers)), "--limit", "60", "-o", str(tmp_path / "o")
    )
    data = summary(tmp_path / "o")
    for metric, value in data["metrics"].items():
        lo, hi = data["ci95"][metric]
        assert lo <= value <= hi and hi - lo > 0
    verdicts = [json.loads(x) for x in (tmp_path / "o" / "verdicts.jsonl").read_text().splitlines()]
    assert bootstrap(verdicts, seed=0) == data["ci95"]
    assert bootstrap(verdicts, seed=1) != data["ci95"]


def test_the_response_log_keeps_complete_lines_and_cuts_a_torn_one(tmp_path):
    path = tmp_path / "responses.jsonl"
    path.write_text('{"prompt": "a", "response": "1"}\n{"prompt": "b", "response": "2"}\n{"prompt": "c", "resp')
    log = ResponseLog(path)
    log.append("c", "3")
    log.close()
    assert log.done == {"a": "1", "b": "2", "c": "3"}
    assert [json.loads(x)["prompt"] for x in path.read_text().splitlines()] == ["a", "b", "c"]


def _scored_dir(tmp_path, name: str, answer: str):
    answers = {r["key"]: answer for r in ifeval_rows(40)}
    out = tmp_path / name
    result = run_eval(
        "--responses", str(write_responses(tmp_path / f"{name}.jsonl", answers)), "--limit", "40", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    return out


def test_compare_prints_a_side_by_side_table_and_writes_a_png_with_reference_rows(tmp_path):
    a = _scored_dir(tmp_path, "terse", "ok")
    b = _scored_dir(tmp_path, "lowercase", "hello world. this is all lowercase without commas")
    out = eval_subprocess("--compare", str(a), str(b), "--reference", "-o", str(tmp_path / "cmp"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    table = out.stdout
    assert "terse" in table and "lowercase" in table and "punctuation:no_comma" in table
    assert "Mistral-7B-Crab SFT (paper)" in table and "54.5" in table and "81.3" in table
    png = (tmp_path / "cmp" / "compare.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_compare_writes_each_runs_paired_difference_from_the_first(tmp_path):
    a = _scored_dir(tmp_path, "terse", "ok")
    b = _scored_dir(tmp_path, "lowercase", "hello world. this is all lowercase without commas")
    again = str(a / ".." / "terse")  # the baseline under another label
    out = eval_subprocess("--compare", str(a), str(b), again, "-o", str(tmp_path / "cmp"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "difference from terse" in out.stdout
    found = json.loads((tmp_path / "cmp" / "compare.json").read_text())["ifeval"]
    assert found["baseline"] == "terse" and found["samples"] == 10_000
    ours = found["differences"]["lowercase"]
    assert ours["prompts"] == 40
    terse, lowercase = summary(a)["metrics"], summary(b)["metrics"]
    for metric, (diff, lo, hi) in ours["metrics"].items():
        assert diff == pytest.approx(lowercase[metric] - terse[metric])
        assert lo <= diff <= hi
    assert ours["metrics"]["average"][2] > ours["metrics"]["average"][1]
    same = found["differences"][again]["metrics"]["average"]
    assert same == [0.0, 0.0, 0.0]  # a run against itself: no difference on any resample


def _verdict(prompt: str, *passed: bool) -> dict:
    return {
        "prompt": prompt,
        "follow_instruction_list": list(passed),
        "follow_instruction_list_loose": list(passed),
        "follow_all_instructions": all(passed),
        "follow_all_instructions_loose": all(passed),
    }


def test_the_paired_difference_counts_only_prompts_both_runs_answered():
    base = [_verdict("p1", False), _verdict("p2", True, False), _verdict("p3", True)]
    other = [_verdict("p2", True, True), _verdict("p1", False)]  # p3 unanswered, another order
    found = paired_difference(base, other, samples=200)
    assert found["prompts"] == 2
    # on p1 and p2: prompts 0/2 -> 1/2 (+50 points), instructions 1/3 -> 2/3 (+33.3)
    diff, lo, hi = found["metrics"]["prompt_level_strict_acc"]
    assert diff == pytest.approx(0.5) and 0 <= lo <= diff <= hi <= 1
    assert found["metrics"]["inst_level_strict_acc"][0] == pytest.approx(1 / 3)
    assert found["metrics"]["average"][0] == pytest.approx((0.5 + 1 / 3) / 2)
    assert paired_difference(base, [])["prompts"] == 0


def test_compare_names_a_directory_without_a_summary(tmp_path):
    out = eval_subprocess("--compare", str(tmp_path), "-o", str(tmp_path / "cmp"))
    assert out.returncode == 1
    assert out.stderr.strip() == f"Error: {tmp_path} has no summary.json: run `crabplug eval -o {tmp_path} ...` first"


def test_an_eval_directory_is_rescored_in_place_keeping_its_model_name(tmp_path):
    answers = write_responses(tmp_path / "a.jsonl", SCRIPTED)
    run_eval("--responses", str(answers), "--limit", "3", "-o", str(tmp_path / "o"))
    before = (tmp_path / "o" / "responses.jsonl").read_text()
    (tmp_path / "o" / "summary.json").unlink()
    result = run_eval("--responses", str(tmp_path / "o" / "responses.jsonl"), "--limit", "3", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert summary(tmp_path / "o")["model"] == str(answers)
    assert summary(tmp_path / "o")["metrics"] == pytest.approx(EXPECTED)
    assert (tmp_path / "o" / "responses.jsonl").read_text() == before


def test_registering_the_eval_plugin_and_its_command_imports_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, click, crabplug; reg = crabplug.load_plugins(only=['eval']);"
        "reg.pm.hook.register_commands(cli=click.Group()); assert 'ifeval' in reg.items['benchmarks'];"
        "heavy = ('numpy', 'matplotlib', 'torch', 'transformers', 'litellm', 'rich');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
