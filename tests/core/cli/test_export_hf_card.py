"""`crabplug export --format hf` gives a folder whose card renders (its quality plot included) and whose card
configs load with `datasets.load_dataset(OUT, NAME)`, as the Parquet export's do."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_an_hf_export_carries_the_quality_plot_and_loads_by_config_name(tmp_path):
    from datasets import load_dataset

    config = tmp_path / "c.yaml"
    config.write_text(f"name: hf\nlimit: 5\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: bundled}}]\n"
                      "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft, card]\n")
    done = subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "hf"
    exported = subprocess.run([sys.executable, "-m", "crabplug", "export", str(tmp_path / "run"), str(out)],
                              capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stderr
    card = (out / "README.md").read_text()
    assert "(card/quality_types.png)" in card
    assert (out / "card" / "quality_types.png").read_bytes() == (tmp_path / "run" / "card" / "quality_types.png"
                                                                  ).read_bytes()
    assert "path: sft/data-*.arrow" in card
    sft = load_dataset(str(out), "sft", split="train", cache_dir=str(tmp_path / "cache"))
    assert sft["id"] == [json.loads(x)["id"] for x in (tmp_path / "run" / "sft.jsonl").read_text().splitlines()]


def test_an_export_leaves_no_copy_of_the_data_in_the_datasets_cache(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(f"name: hf\nlimit: 3\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: bundled}}]\n"
                      "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n")
    done = subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    cache = tmp_path / "hf-cache"
    for fmt in ("hf", "parquet"):
        exported = subprocess.run([sys.executable, "-m", "crabplug", "export", str(tmp_path / "run"),
                                   str(tmp_path / fmt), "--format", fmt], capture_output=True, text=True,
                                  timeout=300, env={**os.environ, "HF_DATASETS_CACHE": str(cache)})
        assert exported.returncode == 0, exported.stderr
        assert not list((tmp_path / fmt).rglob(".arrow-cache"))
    assert [p for p in cache.rglob("*") if p.is_file() and p.suffix == ".arrow"] == []
