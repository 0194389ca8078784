"""The pipeline streams records through the stages, logs every failure with its reason, and is deterministic."""

from __future__ import annotations

import json

import pytest
from core_helpers import write_config, write_seeds

from crabplug import ConfigError
from crabplug import config as cfg
from crabplug.pipeline.run import execute
from crabplug.plugins import load


def run(config_path, **kw):
    config, data = cfg.load(config_path, kw.pop("overrides", ()))
    return execute(config, data, load(["crabplug_testplugin"]), run_dir=config_path.parent / "run", quiet=True, **kw)


def lines(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_bad_seed_lines_are_reported_with_file_and_line_and_the_rest_processed(tmp_path):
    seeds = write_seeds(tmp_path / "seeds.jsonl", 50, bad_lines=(3, 17))
    result = run(write_config(tmp_path, seeds))
    failures = lines(result.run_dir / "failures.jsonl")
    assert [f["where"] for f in failures] == ["seeds.jsonl:3", "seeds.jsonl:17"]
    assert all(f["reason"].startswith("bad line") for f in failures)
    assert result.stats["seeds"] == {"read": 50, "ok": 48, "failed": 2}
    assert result.stats["samples"] == 48


def test_a_record_a_plugin_rejects_goes_to_failures_with_the_reason(tmp_path):
    seeds = write_seeds(tmp_path / "seeds.jsonl", 20, fail=(4,))
    result = run(write_config(tmp_path, seeds))
    (failure,) = lines(result.run_dir / "failures.jsonl")
    assert failure["stage"] == "back_translate:test-count"
    assert failure["reason"] == "the response asked to fail"
    assert result.stats["samples"] == 19


def test_every_seed_record_has_exactly_one_checkpoint_line_per_stage(tmp_path):
    seeds = write_seeds(tmp_path / "seeds.jsonl", 70, bad_lines=(9,))
    result = run(write_config(tmp_path, seeds, chunk=8))
    for stage in ("1-back_translate", "2-verify"):
        rows = lines(result.run_dir / "stages" / f"{stage}.jsonl")
        assert [r["seq"] for r in rows] == list(range(70))


def test_filters_drop_short_duplicate_and_capped_records(tmp_path):
    seeds = tmp_path / "seeds.jsonl"
    rows = [{"instruction": f"q{i}", "response": "one two three four five"} for i in range(10)]
    rows += [{"instruction": "short", "response": "one"}] + [rows[0]]
    seeds.write_text("".join(json.dumps(r) + "\n" for r in rows))
    extra = "filters: {min_words: 3, max_per_source: 8, dedup: true}\n"
    result = run(write_config(tmp_path, seeds, extra=extra))
    assert result.stats["filtered"] == {"source cap": 2, "short": 1, "duplicate": 1}
    assert result.stats["samples"] == 8


def test_keep_short_rate_keeps_about_that_share_of_short_records(tmp_path):
    seeds = tmp_path / "seeds.jsonl"
    seeds.write_text("".join(json.dumps({"instruction": f"q{i}", "response": "tiny"}) + "\n" for i in range(1000)))
    result = run(write_config(tmp_path, seeds, extra="filters: {min_words: 200, keep_short_rate: 0.1}\n"))
    assert 70 <= result.stats["seeds"]["ok"] <= 130


def test_limit_stops_after_that_many_records(tmp_path):
    seeds = write_seeds(tmp_path / "seeds.jsonl", 100)
    result = run(write_config(tmp_path, seeds), overrides=("limit=10",))
    assert result.stats["samples"] == 10


def test_the_same_config_gives_the_same_files_byte_for_byte(tmp_path):
    outputs = []
    for name in ("a", "b"):
        d = tmp_path / name
        d.mkdir()
        result = run(write_config(d, write_seeds(d / "seeds.jsonl", 60, bad_lines=(5,))))
        outputs.append([(result.run_dir / f).read_bytes() for f in ("samples.jsonl", "samples.txt", "failures.jsonl")])
    assert outputs[0] == outputs[1]


def test_resuming_a_finished_run_changes_nothing(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 40))
    first = run(config)
    before = (first.run_dir / "samples.jsonl").read_bytes()
    again = run(config)
    assert (again.run_dir / "samples.jsonl").read_bytes() == before
    assert again.stats["seeds"]["read"] == 40


def test_a_run_directory_refuses_a_different_config(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 5))
    run(config)
    with pytest.raises(ConfigError, match="different config .*seed changed.*--restart"):
        run(config, overrides=("seed=5",))


def test_sharding_splits_records_without_overlap(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 60))
    parts = []
    for i in range(3):
        c, data = cfg.load(config)
        r = execute(c, data, load(["crabplug_testplugin"]), run_dir=tmp_path / f"s{i}", quiet=True, shard=(i, 3))
        parts.append({json.loads(x)["example_id"] for x in (r.run_dir / "samples.jsonl").read_text().splitlines()})
    assert sum(map(len, parts)) == 60
    assert not (parts[0] & parts[1] or parts[1] & parts[2] or parts[0] & parts[2])


def test_merging_shards_gives_the_samples_of_an_unsharded_run(tmp_path):
    from crabplug.cli.merge import merge_runs

    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 45, bad_lines=(3,)))
    whole = run(config)
    shards = []
    for i in range(2):
        c, data = cfg.load(config)
        shards.append(execute(c, data, load(["crabplug_testplugin"]), run_dir=tmp_path / f"s{i}", quiet=True,
                              shard=(i, 2)).run_dir)
    counts = merge_runs(shards, tmp_path / "merged", registry=load(["crabplug_testplugin"]))
    merged = {r["id"] for r in lines(tmp_path / "merged" / "samples.jsonl")}
    assert counts["samples"] == 44  # 45 seed lines, line 3 is not JSON: every other seed makes one sample
    assert {r["example_id"] for r in lines(tmp_path / "merged" / "samples.jsonl")} == {
        r["example_id"] for r in lines(whole.run_dir / "samples.jsonl")}
    assert len(merged) == 44
    assert [f["where"] for f in lines(tmp_path / "merged" / "failures.jsonl")] == ["seeds.jsonl:3"]
