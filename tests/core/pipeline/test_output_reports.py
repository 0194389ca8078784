"""Outputs with a ``report`` run after every output closed: the dataset card may be listed anywhere."""

from __future__ import annotations

import pytest

from crabplug import config as cfg
from crabplug.pipeline.run import execute
from crabplug.plugins import load


def _run(tmp_path, name: str, outputs: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: order\nrun_dir: {tmp_path / name}\nseeds: [{{plugin: bundled}}]\nlimit: 6\n"
        f"back_translators: [rules]\ncombiner: {{plugin: crab}}\noutputs: [{outputs}]\n",
        encoding="utf-8",
    )
    config, data = cfg.load(path)
    return execute(config, data, load(), run_dir=tmp_path / name, quiet=True)


@pytest.mark.slow  # two small runs
def test_the_card_listed_first_reports_the_outputs_after_it(tmp_path):
    first = _run(tmp_path, "first", "{plugin: card, plots: false}, sft, backtranslation")
    last = _run(tmp_path, "last", "sft, backtranslation, {plugin: card, plots: false}")
    card = (tmp_path / "first" / "README.md").read_text(encoding="utf-8")
    assert card == (tmp_path / "last" / "README.md").read_text(encoding="utf-8")
    rows = first.outputs["sft"]["rows"]
    assert rows == last.outputs["sft"]["rows"] > 0
    assert f"| sft rows (sft.jsonl) | {rows} |" in card  # an output closed after the card, in its table
    assert f"| backtranslation rows (backtranslation.jsonl) | {first.outputs['backtranslation']['rows']} |" in card
