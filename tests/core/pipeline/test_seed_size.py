"""A seed row over `filters.max_record_chars` goes to failures.jsonl with its file:line and the rest go on: one
huge row never holds up the stages (or the memory) for the others."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(tmp_path, seeds, *args):
    config = tmp_path / "config.yaml"
    config.write_text(f"name: big\nseed: 1\nrun_dir: {tmp_path / 'run'}\nchunk_size: 4\n"
                      f"seeds: [{{plugin: jsonl, path: {seeds}}}]\nback_translators: [rules]\n"
                      "combiner: {plugin: crab, min_natural: 0}\noutputs: [sft]\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q", *args], capture_output=True,
                          text=True, timeout=300)


def _seeds(tmp_path, huge_words):
    rows = [{"instruction": f"Tell me about topic {i}.",
             "response": f"Topic {i} is interesting. It has many sides. People study it in school and at work."}
            for i in range(6)]
    rows.insert(3, {"instruction": "Repeat.", "response": "word " * huge_words})
    path = tmp_path / "seeds.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_row_over_the_size_limit_is_a_failure_with_its_line_and_the_rest_go_on(tmp_path):
    done = _run(tmp_path, _seeds(tmp_path, 2_000), "--set", "filters.max_record_chars=5000")
    assert done.returncode == 0, done.stderr
    failures = [json.loads(x) for x in (tmp_path / "run" / "failures.jsonl").read_text().splitlines()]
    assert [(f["stage"], f["where"]) for f in failures] == [("seeds", "seeds.jsonl:4")]
    assert "10,006 characters, more than filters.max_record_chars (5,000)" in failures[0]["reason"]
    samples = (tmp_path / "run" / "samples.jsonl").read_text().splitlines()
    assert len(samples) == 6


def test_the_default_limit_takes_a_row_of_several_megabytes_out_quickly(tmp_path):
    done = _run(tmp_path, _seeds(tmp_path, 1_000_000))  # 5 MB in one response
    assert done.returncode == 0, done.stderr
    failures = [json.loads(x) for x in (tmp_path / "run" / "failures.jsonl").read_text().splitlines()]
    assert [f["where"] for f in failures] == ["seeds.jsonl:4"]
    assert "more than filters.max_record_chars (1,000,000)" in failures[0]["reason"]
