"""Output `card`: the run directory's README.md is a dataset card whose numbers are the run's, with histograms."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml


def test_the_card_reports_the_runs_counts_and_draws_readable_histograms(tmp_path):
    run_dir = tmp_path / "run"
    config = tmp_path / "c.yaml"
    seeds = tmp_path / "seeds.jsonl"
    seeds.write_text(
        json.dumps({"instruction": "Say hi.", "response": "Hi there, friend. " * 12})
        + "\n"
        + "{broken json\n"
        + json.dumps({"instruction": "Name a fruit.", "response": "An apple is a fine fruit. " * 9})
        + "\n",
        encoding="utf-8",
    )
    config.write_text(
        f"name: card-test\nseed: 1\nrun_dir: {run_dir}\n"
        f"seeds: [{{plugin: bundled}}, {{plugin: jsonl, path: {seeds}}}]\nlimit: 10\n"
        "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft, backtranslation, dpo, card]\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    stats = json.loads((run_dir / "stats.json").read_text())
    card = (run_dir / "README.md").read_text(encoding="utf-8")

    header = yaml.safe_load(card.split("---")[1])
    assert {c["config_name"] for c in header["configs"]} == {"sft", "backtranslation", "dpo"}
    assert f"| seed records read | {stats['seeds']['read']} |" in card
    assert f"| samples | {stats['samples']} |" in card
    for name in ("sft", "backtranslation", "dpo"):
        assert f"| {name} rows ({name}.jsonl) | {stats['outputs'][name]['rows']} |" in card
    lines = sum(1 for _ in (run_dir / "sft.jsonl").open())
    assert stats["outputs"]["sft"]["rows"] == lines == stats["samples"]
    assert "| rule |" in card and "100.0%" in card  # rule constraints all survive verification

    import matplotlib.image

    pngs = stats["outputs"]["card"]["plots"]
    assert len(pngs) == 5 and pngs[-1] == "card/quality_types.png"  # reported, so that exports carry it
    assert "![quality: type mix against the target](card/quality_types.png)" in card
    for png in pngs[:-1]:
        assert f"![{png}]({png})" in card
        height, width, _ = matplotlib.image.imread(run_dir / png).shape
        assert height > 200 and width > 400
