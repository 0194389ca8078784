"""Publishing carries every file a run's outputs wrote (sft-mix.jsonl, the card with its YAML header, its plots):
``crabplug export`` (hf, parquet), ``--push-to-hub`` and ``crabplug merge``; none overwrites a folder without --force.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import crabplug_seeds
import pytest
from core_helpers import crabplug_cmd, env

from crabplug import config as cfg
from crabplug.cli.export import export, push, reported_files, stage_for_hub
from crabplug.cli.merge import merge_runs
from crabplug.pipeline.run import execute
from crabplug.plugins import load

pytestmark = pytest.mark.slow  # three real runs of the crab recipe with the card's plots: about 30 s on 2 cores

CONFIG = """\
name: publish
seed: 0
seeds: [{plugin: jsonl, path: SEEDS}]
back_translators: [rules]
verifiers: [code]
combiner: {plugin: crab}
outputs:
  - {plugin: sft, reverse_share: 0.3}
  - backtranslation
  - dpo
  - card
"""
# what the card and the sft output report: checked below against stats.json, not assumed
EXPECTED = {"samples.jsonl", "sft.jsonl", "sft-mix.jsonl", "backtranslation.jsonl", "dpo.jsonl", "README.md",
            "card/constraints_per_sample.png", "card/constraint_types.png", "card/families.png",
            "card/response_words.png", "card/quality_types.png"}


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("publish")
    bundled = Path(crabplug_seeds.__file__).parent / "data" / "bundled.jsonl"
    (tmp / "seeds.jsonl").write_text("".join(bundled.read_text(encoding="utf-8").splitlines(keepends=True)[:8]))
    (tmp / "c.yaml").write_text(CONFIG.replace("SEEDS", str(tmp / "seeds.jsonl")))
    registry = load([])
    done = {}
    for name, shard in (("whole", None), ("s0", (0, 2)), ("s1", (1, 2))):
        config, data = cfg.load(tmp / "c.yaml")
        done[name] = execute(config, data, registry, run_dir=tmp / name, quiet=True, shard=shard).run_dir
    return done


def test_the_reported_files_are_every_file_the_outputs_wrote(runs):
    assert set(reported_files(runs["whole"])) == EXPECTED


def test_export_hf_carries_the_card_its_plots_and_the_mix(runs, tmp_path):
    from datasets import load_from_disk

    counts = export(runs["whole"], tmp_path / "hf", "hf")
    ds = load_from_disk(str(tmp_path / "hf"))
    assert set(ds) == {"samples", "sft", "sft_mix", "backtranslation", "dpo"}
    assert ds["sft_mix"].num_rows == len(_lines(runs["whole"] / "sft-mix.jsonl")) == counts["sft_mix"]
    card = (tmp_path / "hf" / "README.md").read_text()
    original = (runs["whole"] / "README.md").read_text()
    for name in ("sft", "backtranslation", "dpo"):  # the card's configs point at the Arrow files, all else as is
        original = original.replace(f"path: {name}.jsonl\n", f"path: {name}/data-*.arrow\n")
    assert card == original and card.startswith("---\n")
    for png in (n for n in EXPECTED if n.endswith(".png")):
        assert (tmp_path / "hf" / png).read_bytes() == (runs["whole"] / png).read_bytes()


def test_export_parquet_points_the_cards_configs_at_the_parquet_files(runs, tmp_path):
    from datasets import load_dataset

    export(runs["whole"], tmp_path / "pq", "parquet")
    assert {p.name for p in (tmp_path / "pq").glob("*.parquet")} == {
        "samples.parquet", "sft.parquet", "sft-mix.parquet", "backtranslation.parquet", "dpo.parquet"}
    assert "path: sft.parquet" in (tmp_path / "pq" / "README.md").read_text()
    # read through the card's YAML header; a cache of its own: offline, datasets would serve another test's
    # folder of the same name from its cache
    sft = load_dataset(str(tmp_path / "pq"), "sft", split="train", cache_dir=str(tmp_path / "cache"))
    assert sft["id"] == [r["id"] for r in _lines(runs["whole"] / "sft.jsonl")]
    assert len(list((tmp_path / "pq" / "card").glob("*.png"))) == 5


def test_export_refuses_an_existing_folder_without_force(runs, tmp_path):
    out = tmp_path / "hf"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    refused = subprocess.run(crabplug_cmd("export", str(runs["whole"]), str(out)), env=env(),
                             capture_output=True, text=True)
    assert refused.returncode == 1
    expected = f"Error: {str(out)!r} already exists: choose another folder or add --force to replace it"
    assert refused.stderr.strip() == expected
    assert (out / "mine.txt").read_text() == "keep me"
    forced = subprocess.run(crabplug_cmd("export", str(runs["whole"]), str(out), "--force"), env=env(),
                            capture_output=True, text=True)
    assert forced.returncode == 0, forced.stderr
    assert not (out / "mine.txt").exists() and (out / "README.md").is_file()


def test_what_a_push_uploads_loads_as_the_hub_would_serve_it(runs, tmp_path):
    from datasets import load_dataset

    names = stage_for_hub(runs["whole"], tmp_path / "repo")
    assert set(names) == EXPECTED
    # load_dataset on the folder reads the card's `configs` exactly as on the Hub
    sft = load_dataset(str(tmp_path / "repo"), "sft", split="train", cache_dir=str(tmp_path / "cache"))
    assert sft.num_rows == len(_lines(runs["whole"] / "sft.jsonl"))


class _Uploads:
    """Records what push hands huggingface_hub's HfApi (no network here); the folder is read while it exists."""

    def __init__(self):
        self.calls, self.files = [], {}

    def create_repo(self, repo_id, **kw):
        self.calls.append(("create_repo", repo_id, kw))

    def upload_folder(self, *, folder_path, repo_id, repo_type, **kw):
        self.calls.append(("upload_folder", repo_id, repo_type))
        root = Path(folder_path)
        self.files = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_push_uploads_the_card_its_plots_and_every_data_file_in_one_commit(runs, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_not_a_real_token_0000")
    api = _Uploads()
    push(runs["whole"], "me/crab-data", api=api)
    assert api.calls[0] == ("create_repo", "me/crab-data", {"repo_type": "dataset", "exist_ok": True})
    assert api.calls[1] == ("upload_folder", "me/crab-data", "dataset")
    assert set(api.files) == EXPECTED
    assert api.files["README.md"].startswith(b"---\n")


def test_merge_rebuilds_every_output_and_the_card_from_the_shards(runs, tmp_path):
    counts = merge_runs([runs["s0"], runs["s1"]], tmp_path / "m", registry=load([]))
    merged = tmp_path / "m"
    assert set(reported_files(merged)) == EXPECTED
    # the same seeds become samples (the combiner's demonstrations differ by shard, so sample ids may too)
    whole_ids = sorted(r["example_id"] for r in _lines(runs["whole"] / "sft.jsonl"))
    assert sorted(r["example_id"] for r in _lines(merged / "sft.jsonl")) == whole_ids
    shard_ids = [r["id"] for s in ("s0", "s1") for r in _lines(runs[s] / "sft.jsonl")]
    assert [r["id"] for r in _lines(merged / "sft.jsonl")] == shard_ids  # shard order, rows as each shard wrote
    assert counts["sft"] == len(whole_ids) and counts["sft-mix"] == len(_lines(merged / "sft-mix.jsonl"))
    # the card counts the whole run, not one shard
    assert f"| samples | {len(whole_ids)} |" in (merged / "README.md").read_text()
    assert json.loads((merged / "stats.json").read_text())["samples"] == len(whole_ids)


def test_merge_refuses_an_existing_folder_without_force(runs, tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "x").write_text("x")
    out = subprocess.run(crabplug_cmd("merge", str(runs["s0"]), str(runs["s1"]), "-o", str(tmp_path / "m")),
                         env=env(), capture_output=True, text=True)
    assert out.returncode == 1 and "already exists: choose another folder or add --force" in out.stderr
