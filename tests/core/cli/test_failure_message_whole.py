"""A run that made nothing names its top failure reasons whole: the advice at the end of a seed error (how to
map `prompt`/`completion` columns) is not cut off."""

from __future__ import annotations

import json
import subprocess
import sys


def test_prompt_completion_seeds_end_with_the_whole_advice(tmp_path):
    seeds = tmp_path / "s.jsonl"
    seeds.write_text("".join(json.dumps({"prompt": f"Say {w}", "completion": f"{w}."}) + "\n" for w in ("hi", "bye")))
    config = tmp_path / "c.yaml"
    config.write_text(f"name: pc\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: {seeds}}}]\n"
                      "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n")
    done = subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    assert "e.g. fields: {instruction: prompt, output: completion}, or set format: to alpaca, sharegpt, messages " \
           "or oasst (2x)" in done.stderr, done.stderr

    mapped = config.read_text().replace(f"path: {seeds}}}", f"path: {seeds}, fields: {{instruction: prompt, "
                                        "output: completion}}")
    config.write_text(mapped)
    again = subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q", "--restart"],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr  # the advice, followed, works
