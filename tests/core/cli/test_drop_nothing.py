"""`crabplug drop` with a rule that matches nothing in the run says so, exits 1 and changes nothing (a typo in a
glob must not read as a review done)."""

from __future__ import annotations

import json
import subprocess
import sys


def _crabplug(*args):
    return subprocess.run([sys.executable, "-m", "crabplug", *args], capture_output=True, text=True, timeout=300)


def test_a_drop_rule_that_matches_nothing_is_refused_and_changes_nothing(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(f"name: drop\nlimit: 4\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: bundled}}]\n"
                      "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n", encoding="utf-8")
    done = _crabplug("run", str(config), "-q")
    assert done.returncode == 0, done.stderr
    run_dir = tmp_path / "run"
    before = {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file() and p.name != ".lock"}

    for args in (("--type", "nosuch:*"), ("--sample", "not-a-sample-id"), ("--origin", "openai/none")):
        out = _crabplug("drop", str(run_dir), *args)
        assert out.returncode == 1, out.stdout
        assert f"nothing dropped: {args[0]} '{args[1]}' matches nothing" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
    assert {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file() and p.name != ".lock"} == before
    assert not (run_dir / "review.json").exists()

    present = json.loads((run_dir / "samples.jsonl").read_text().splitlines()[0])["constraints"][0]["type"]
    real = _crabplug("drop", str(run_dir), "--type", present.split(":")[0] + ":*")
    assert real.returncode == 0, real.stderr
    assert "dropped 0 verified constraints" not in real.stdout
