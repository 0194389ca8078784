"""`crabplug run` with rules + crab + sft + backtranslation on the bundled seeds, as real subprocesses:
byte-for-byte determinism, 100% re-verification, and kill -9 + resume giving the same files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from crabplug_seeds.bundled import bundled_file

from crabplug.constraints import check
from crabplug.plugins import load

FILES = ("sft.jsonl", "backtranslation.jsonl", "samples.jsonl")


def _config(tmp_path, run_dir, chunk=16, extra=""):
    path = tmp_path / f"config-{run_dir.name}.yaml"
    path.write_text(
        f"name: crab-test\nseed: 7\nrun_dir: {run_dir}\nchunk_size: {chunk}\n"
        "seeds: [{plugin: bundled}]\n"
        "back_translators: [rules]\n"
        "combiner: {plugin: crab}\n"
        "outputs: [sft, backtranslation]\n" + extra,
        encoding="utf-8",
    )
    return path


def _crabplug(*args):
    return [sys.executable, "-m", "crabplug", *args]


def _run(config):
    done = subprocess.run(_crabplug("run", str(config), "-q"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crab")
    a, b = tmp / "a", tmp / "b"
    _run(_config(tmp, a))
    _run(_config(tmp, b))
    return a, b


@pytest.mark.slow
def test_the_same_config_twice_gives_identical_files_byte_for_byte(two_runs):
    a, b = two_runs
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    rows = (a / "sft.jsonl").read_text(encoding="utf-8").splitlines()
    # the bundled set has 66 pairs and every one of them yields rule constraints, so one sft row each, but for the
    # German one: no constraint is phrased in German (docs/multilingual.md), so none is written for it; and two
    # short answers whose one line would not be a level-5 one ("no commas" alone: the combiner's single_natural)
    stats = json.loads((a / "stats.json").read_text())
    assert stats["crab.single_line_dropped"] == 2
    # and five answers with no line to anchor a sample (crab.no_natural_anchor 5 in this run's stats.json: 3 from
    # e6e7711 on, one more since issue 30's tenth round: a length against the request's "short" or "long" is left
    # out; one more since the twelfth: "around 120 words" bends the request's "no more than 120 words")
    assert stats["crab.no_natural_anchor"] == 5
    assert len(rows) == len(bundled_file().read_text(encoding="utf-8").splitlines()) - 1 - 2 - 5 == 58
    assert stats["rules.no_phrasing.de"] > 0  # counted, not derived


@pytest.mark.slow
def test_sft_rows_are_trl_messages_with_machine_readable_constraints(two_runs):
    a, _ = two_runs
    # IFEval's family goes into instruction_id_list (other installed families, e.g. iftrain, stay in constraints)
    ifeval_ids = {t for t, ct in load(only=["ifeval"]).constraint_types.items() if ct.family == "ifeval"}
    for line in (a / "sft.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert [m["role"] for m in row["messages"]][-2:] == ["user", "assistant"]
        assert row["constraints"]
        for c in row["constraints"]:
            assert set(c) == {"type", "kwargs", "text", "origin", "verified", "verified_by"}
            assert c["verified"] is True and c["text"]
            assert c["text"][1:] in row["messages"][-2]["content"]  # woven: the first letter may be lowered
        ifeval = [c for c in row["constraints"] if c["type"] in ifeval_ids]
        assert row["instruction_id_list"] == [c["type"] for c in ifeval]
        assert row["kwargs"] == [c["kwargs"] for c in ifeval]


@pytest.mark.slow
def test_every_emitted_constraint_reverifies(two_runs, tmp_path):
    a, _ = two_runs
    out = tmp_path / "verdicts.jsonl"
    done = subprocess.run(
        _crabplug("verify", str(a / "sft.jsonl"), "-o", str(out)), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    verdicts = [json.loads(x) for x in out.read_text().splitlines()]
    # no German sample, two short answers with no line to stand alone and five with no anchor (see above)
    assert len(verdicts) == 58 and all(v["follow_all_instructions"] for v in verdicts)
    assert sum(len(v["instruction_id_list"]) for v in verdicts) > 66
    types = load().constraint_types
    crab = 0
    for line in (a / "sft.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        response = row["messages"][-1]["content"]
        for c in row["constraints"]:
            assert check(types[c["type"]], response, c["kwargs"]), c
            crab += c["type"].startswith("crab:")
    assert crab >= 50  # 58 in this run since the twelfth round (a weak line beside an echo goes to the reverse task)


@pytest.mark.slow
def test_backtranslation_rows_answer_with_three_to_six_constraints_in_varied_formats(two_runs):
    a, _ = two_runs
    rows = [json.loads(x) for x in (a / "backtranslation.jsonl").read_text(encoding="utf-8").splitlines()]
    # 40 of the 60 samples (this run's backtranslation.jsonl after issue 30's ninth round): the natural selection
    # keeps about two lines a sample (one weak line at most since the ninth round), so the reverse task also lists
    # the record's other reader-true lines (provenance.also_true); before that 38 (eighth round), 41 (e7fde38) and
    # 47 (e6e7711) from the samples' own lines, and 9 with max_weak_lines: 1 and no also_true; 39 of 58 after the
    # twelfth round (one sample fewer: "no more than 120 words" gets no "around 120")
    assert len(rows) >= 39
    assert len({r["format"] for r in rows}) >= 4
    for r in rows:
        assert 3 <= len(r["constraints"]) <= 6
        assert len({c["type"] for c in r["constraints"]}) == len(r["constraints"])
        answer = r["messages"][-1]["content"]
        assert all(c["text"] in answer or json.dumps(c["text"])[1:-1] in answer for c in r["constraints"])


def _lines(path):
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
def test_kill_minus_9_mid_run_then_resume_gives_identical_files(two_runs, tmp_path):
    reference, _ = two_runs
    run_dir = tmp_path / "killed"
    config = _config(tmp_path, run_dir, chunk=2)
    checkpoint = run_dir / "stages" / "2-verify.jsonl"
    killed = 0
    for reached in (10, 30, 50):
        proc = subprocess.Popen(
            _crabplug("run", str(config), "-q"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while _lines(checkpoint) < reached and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed += proc.returncode == -signal.SIGKILL
    assert killed >= 2, "the run finished before it could be killed"
    # chunk_size may change between a run and its resume; the reference used 16
    _run(config)
    for name in FILES:
        assert (run_dir / name).read_bytes() == (reference / name).read_bytes(), name


@pytest.mark.slow
def test_rules_in_two_worker_processes_gives_the_same_files(two_runs, tmp_path):
    reference, _ = two_runs
    run_dir = tmp_path / "workers"
    config = _config(tmp_path, run_dir)
    text = config.read_text().replace("back_translators: [rules]", "back_translators: [{plugin: rules, workers: 2}]")
    config.write_text(text)
    _run(config)
    for name in FILES:
        assert (run_dir / name).read_bytes() == (reference / name).read_bytes(), name
