"""A run that made nothing names its top failure reasons whole: the advice at the end of a seed error (how to
map `prompt`/`completion` columns) is not cut off."""

from __future__ import annotations

import json
import subprocess
import sys


def test_prompt_completion_seeds_end_with_the_whole_advice(tmp_path):
    seeds = tmp_path / "s.jsonl"
    # answers of a few sentences: a one-word answer ("hi.") has no line a person would ask for (issue 30), so it
    # gives no sample and the mapped run below would make nothing
    rows = {
        "hi": "Hi there! It is good to see you again. I hope your week has been calm and that you found time to rest.",
        "bye": "Bye for now! It was lovely to talk with you today. Take care on the way home and write again soon.",
    }
    seeds.write_text("".join(json.dumps({"prompt": f"Say {w}", "completion": c}) + "\n" for w, c in rows.items()))
    config = tmp_path / "c.yaml"
    config.write_text(f"name: pc\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: {seeds}}}]\n"
                      "back_translators: [rules]\ncombiner: {plugin: crab, min_natural: 0}\noutputs: [sft]\n")
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
