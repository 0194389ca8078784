"""The ``ray`` executor on a real Ray cluster started here on 127.0.0.1 (a head and one worker node, one CPU each):
same bytes as ``local`` on the bundled (real) seeds, and nothing lost or duplicated when the driver or a worker node
is killed mid-run and the command re-run. Bad input is one sentence before any record is processed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import attrs
import pytest
from ray_cluster import ENV, RayCluster, free_port

from crabplug import CrabError
from crabplug import config as cfg
from crabplug.pipeline.run import execute
from crabplug.plugins import load

pytest.importorskip("ray")

ROOT = Path(__file__).resolve().parents[3]
SEEDS = 66  # the bundled seed set (plugins/crabplug_seeds): 66 real instruction-response pairs
CONFIG = """\
name: ray-test
seed: 3
seeds: [{plugin: bundled}]
back_translators: [rules]
verifiers: [code]
combiner: {plugin: crab}
chunk_size: 2
outputs: [{plugin: sft, reverse_share: 0.3}, backtranslation, dpo]  # the card would add seconds of plotting
"""


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run_here(config_path: Path, run_dir: Path, executor=None):
    config, data = cfg.load(config_path)
    return execute(config, data, load(), run_dir=run_dir, quiet=True, executor=executor)


def crabplug(*args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crabplug", *args], env=env or ENV, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)  # fmt: skip


def files(run_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(run_dir)): p.read_bytes() for p in sorted(run_dir.rglob("*"))
            if p.is_file() and p.name != ".lock"}  # the lock names its holder's pid


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def assert_same_run(ray_dir: Path, local_dir: Path) -> None:
    """Every checkpoint row once, in seed order, and every file byte for byte as the local run's."""
    for stage in ("1-back_translate", "2-verify"):
        rows = [json.loads(x) for x in (ray_dir / "stages" / f"{stage}.jsonl").read_text().splitlines()]
        assert [r["seq"] for r in rows] == list(range(SEEDS))
    ray_files, local_files = files(ray_dir), files(local_dir)
    assert sorted(ray_files) == sorted(local_files)
    different = [name for name in local_files if ray_files[name] != local_files[name]]
    assert different == []


def kill_when(proc_or_fn, checkpoint: Path, at: int, timeout: float = 120.0) -> int:
    """Call the killer once ``checkpoint`` holds ``at`` lines; returns the count seen then."""
    deadline = time.monotonic() + timeout
    while (seen := lines(checkpoint)) < at:
        assert time.monotonic() < deadline, f"the run never reached {at} records"
        time.sleep(0.05)
    proc_or_fn()
    return seen


KEY_ENV, KEY = "CRAB_RAY_TEST_KEY", "sk-ray-test-not-a-secret"


@pytest.fixture(scope="module")
def cluster():
    with RayCluster(workers=1, env={KEY_ENV: KEY}) as c:  # workers read LLM keys from their own environment
        yield c
    assert c.leftovers() == []


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("local")
    return run_here(write_config(tmp), tmp / "run").run_dir


def test_an_unreachable_address_is_one_sentence_before_any_record(tmp_path):
    port = free_port()  # nothing listens there
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(write_config(tmp_path)), "-o", str(tmp_path / "run"), "-q",
         "--executor", "ray", "--executor-opt", f"address=127.0.0.1:{port}"],
        capture_output=True, text=True, env=ENV, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Error: the Ray cluster at '127.0.0.1:{port}' is unreachable (Connection refused); start one with "
        "`ray start --head` or give its address with --executor-opt address=HOST:PORT"
    )
    assert not (tmp_path / "run" / "stages").exists()


def test_an_unknown_executor_option_is_one_sentence(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(write_config(tmp_path)), "-o", str(tmp_path / "run"),
         "--executor", "ray", "--executor-opt", "adress=auto"],
        capture_output=True, text=True, env=ENV, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().startswith("Error: executor 'ray' has no option 'adress'; options: address, ")


@pytest.mark.slow
def test_a_worker_that_cannot_import_a_plugin_is_one_sentence_before_any_record(tmp_path, cluster):
    # The plugin module travels to the workers with the job (Ray's py_modules), but the package it needs is
    # installed only where the driver runs (its PYTHONPATH): the situation of a plugin missing from the cluster.
    plugin_dir, dep_dir = tmp_path / "plugin", tmp_path / "driver-only"
    plugin_dir.mkdir()
    dep_dir.mkdir()
    (plugin_dir / "crabplug_needs_dep.py").write_text("import crabplug_driver_only_dep  # noqa: F401\n")
    (dep_dir / "crabplug_driver_only_dep.py").write_text("")
    env = {**ENV, "PYTHONPATH": f"{plugin_dir}{os.pathsep}{dep_dir}"}
    proc = crabplug("--plugin", "crabplug_needs_dep", "run", str(write_config(tmp_path)), "-o", str(tmp_path / "run"),
                    "-q", "--executor", "ray", "--executor-opt", f"address={cluster.address}", env=env)  # fmt: skip
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    (line,) = err.strip().splitlines()
    assert re.fullmatch(
        r"Error: a Ray worker on node [\d.]+ \([0-9a-f]{8}\) cannot load this run's plugins: cannot import plugin "
        r"module 'crabplug_needs_dep': No module named 'crabplug_driver_only_dep'; install the same plugins on every "
        r"node",
        line,
    )
    assert lines(tmp_path / "run" / "stages" / "1-back_translate.jsonl") == 0


@pytest.mark.slow
def test_the_same_bytes_as_local(tmp_path, cluster, local_run):
    from crabplug_ray.executor import RayExecutor

    result = run_here(write_config(tmp_path), tmp_path / "run", RayExecutor(address=cluster.address))
    assert_same_run(result.run_dir, local_run)


@pytest.mark.slow
def test_llm_stages_on_ray_through_two_servers_give_the_same_bytes_and_usage(tmp_path, cluster, monkeypatch):
    # The llm back-translator and judge on Ray workers, their requests spread by the Router over two servers on
    # 127.0.0.1; the chunks' counters and LLM usage come back into stats.json exactly as a local run counts them.
    from crabplug_ray.executor import RayExecutor
    from scripted_model import model

    from crabplug.testing.llm_server import LLMServer

    monkeypatch.setenv(KEY_ENV, KEY)
    with LLMServer(reply=model) as a, LLMServer(reply=model) as b:
        config = tmp_path / "llm.yaml"
        config.write_text(
            "name: ray-llm\nseeds: [{plugin: bundled}]\nlimit: 6\nchunk_size: 2\n"
            f"llm: {{model: openai/test-model, api_base: ['{a.url}', '{b.url}'], api_key_env: {KEY_ENV}}}\n"
            "back_translators: [rules, llm]\nverifiers: [code, llm]\ncombiner: {plugin: crab}\noutputs: [sft]\n",
            encoding="utf-8",
        )
        local = run_here(config, tmp_path / "local")
        served_locally = len(a.requests) + len(b.requests)
        ray = run_here(config, tmp_path / "ray", RayExecutor(address=cluster.address))
    assert len(a.requests) + len(b.requests) == 2 * served_locally and min(len(a.requests), len(b.requests)) > 0
    assert local.stats["llm"]["total"]["calls"] == served_locally  # every answer counted, none cached
    assert ray.stats == local.stats
    ray_files, local_files = files(ray.run_dir), files(local.run_dir)
    cache = "llm-cache.sqlite"  # the SQLite file and its WAL: same answers, not the same pages
    assert [n for n in local_files if not n.startswith(cache) and ray_files[n] != local_files[n]] == []


def write_mixed_seeds(tmp_path: Path) -> Path:
    """Two JSONL files and a JSON array of the bundled (real) seeds, with what the filters and readers must meet
    across parts: duplicates in another file, a line that is not JSON, blank lines, short responses."""
    from crabplug_seeds.bundled import bundled_file

    real = bundled_file().read_text(encoding="utf-8").splitlines()
    (tmp_path / "a.jsonl").write_text("\n".join([*real[:30], "{not json", "", *real[5:9]]) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join([*real[30:], *real[:4], ""]) + "\n", encoding="utf-8")
    (tmp_path / "c.json").write_text("[" + ",\n".join(real[10:20]) + "]", encoding="utf-8")
    config = tmp_path / "mixed.yaml"
    config.write_text(
        f"name: ray-mixed\nseed: 5\nchunk_size: 3\nlimit: 40\n"
        f"seeds: [{{plugin: json, path: '{tmp_path}/c.json'}}, {{plugin: jsonl, path: '{tmp_path}/a.jsonl', "
        f"source: a}}, {{plugin: jsonl, path: '{tmp_path}/b.jsonl', source: b}}]\n"
        "filters: {min_words: 250, keep_short_rate: 0.5, max_per_source: 15, dedup: true}\n"
        "back_translators: [rules]\nverifiers: [code]\ncombiner: {plugin: crab}\noutputs: [sft]\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.slow
def test_workers_read_the_seeds_and_the_filters_decide_as_local(tmp_path, cluster, monkeypatch):
    # JSONL sources are read in parts by the workers: the driver reading one record of them fails the run. The
    # JSON array cannot be sharded, so the driver reads it (the fallback) and its records travel with the parts.
    from crabplug_ray.executor import RayExecutor
    from crabplug_seeds.files import JsonlSource

    config = write_mixed_seeds(tmp_path)
    local = run_here(config, tmp_path / "local")

    def not_here(*args, **kwargs):
        raise AssertionError("the driver read a JSONL seed record")

    monkeypatch.setattr(JsonlSource, "read", not_here)
    monkeypatch.setattr(JsonlSource, "read_piece", not_here)
    ray = run_here(config, tmp_path / "ray", RayExecutor(address=cluster.address))
    rows = [json.loads(x) for x in (ray.run_dir / "stages" / "2-verify.jsonl").read_text().splitlines()]
    reasons = {r.get("reason") or r["status"] for r in rows}
    assert reasons == {"ok", "failed", "duplicate", "short", "source cap"}  # every filter decided some row
    assert [r["seq"] for r in rows] == list(range(len(rows)))
    assert sum(r["status"] == "ok" for r in rows) == 40  # the limit: it stops the stream in b.jsonl
    assert rows[-1]["record"]["example"]["source"] == "b"
    assert ray.stats == local.stats
    ray_files, local_files = files(ray.run_dir), files(local.run_dir)
    assert sorted(ray_files) == sorted(local_files)
    assert [n for n in local_files if ray_files[n] != local_files[n]] == []

    # What a kill mid-run leaves (checkpoints cut mid-part, the second behind the first): the driver reads the done
    # seeds again to restore the filters' state and the workers start mid-part; nothing lost or twice.
    monkeypatch.undo()
    for name, keep in (("1-back_translate", 23), ("2-verify", 16)):
        path = ray.run_dir / "stages" / f"{name}.jsonl"
        path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:keep]), encoding="utf-8")
    again = run_here(config, tmp_path / "ray", RayExecutor(address=cluster.address))
    assert again.stats == local.stats
    assert [n for n in local_files if files(again.run_dir)[n] != local_files[n]] == []


@pytest.mark.slow
def test_a_seed_file_a_worker_cannot_open_is_one_sentence_naming_it(tmp_path, cluster, monkeypatch):
    # The driver sees the file, the workers do not (no shared file system): the parts say where it is on the
    # driver, and the worker's read fails before any record is processed.
    from crabplug_ray.executor import RayExecutor
    from crabplug_seeds.files import JsonlSource

    config = write_mixed_seeds(tmp_path)
    elsewhere = tmp_path / "not-on-the-workers.jsonl"
    pieces = JsonlSource.pieces
    monkeypatch.setattr(JsonlSource, "pieces", lambda self, ctx, size: [
        attrs.evolve(s, real=str(elsewhere)) for s in pieces(self, ctx, size)])  # fmt: skip
    with pytest.raises(CrabError) as err:
        run_here(config, tmp_path / "run", RayExecutor(address=cluster.address))
    assert str(err.value) == (  # parts 1-4: c.json's 10 records, read on the driver
        f"a Ray worker failed on seed part 5 (source 2): [Errno 2] No such file or directory: '{elsewhere}'"
    )
    done = (tmp_path / "run" / "stages" / "1-back_translate.jsonl").read_text().splitlines()
    assert [json.loads(x)["record"]["example"]["source"] for x in done] == ["c"] * len(done)  # no record of a.jsonl


@pytest.mark.slow
def test_a_shard_of_the_seeds_read_by_workers_is_the_local_shard(tmp_path, cluster):
    from crabplug_ray.executor import RayExecutor

    config, data = cfg.load(write_mixed_seeds(tmp_path))
    local = execute(config, data, load(), run_dir=tmp_path / "local", quiet=True, shard=(1, 2))
    ray = execute(config, data, load(), run_dir=tmp_path / "ray", quiet=True, shard=(1, 2),
                  executor=RayExecutor(address=cluster.address))  # fmt: skip
    rows = [json.loads(x) for x in (ray.run_dir / "stages" / "2-verify.jsonl").read_text().splitlines()]
    assert [r["seq"] for r in rows] == list(range(len(rows)))
    assert sum(r["status"] == "ok" for r in rows) > 10  # about half of the 40 the whole run passes
    ray_files, local_files = files(ray.run_dir), files(local.run_dir)
    assert sorted(ray_files) == sorted(local_files)
    assert [n for n in local_files if ray_files[n] != local_files[n]] == []


@pytest.mark.slow
def test_a_killed_driver_resumes_with_nothing_lost_or_twice(tmp_path, cluster, local_run):
    from crabplug_ray.executor import RayExecutor

    config, run_dir = write_config(tmp_path), tmp_path / "run"
    driver = crabplug("run", str(config), "-o", str(run_dir), "-q", "--executor", "ray",
                      "--executor-opt", f"address={cluster.address}", "--executor-opt", "in_flight=2",
                      start_new_session=True)  # fmt: skip
    seen = kill_when(lambda: os.killpg(driver.pid, signal.SIGKILL), run_dir / "stages" / "1-back_translate.jsonl", 10)
    driver.wait(timeout=30)
    assert driver.returncode == -signal.SIGKILL
    assert seen < SEEDS  # killed mid-run
    run_here(config, run_dir, RayExecutor(address=cluster.address))  # the same command again
    assert_same_run(run_dir, local_run)


@pytest.mark.slow
def test_a_killed_worker_node_loses_nothing(tmp_path, cluster, local_run):
    # last in this module: the cluster keeps only its head afterwards
    from crabplug_ray.executor import RayExecutor

    run_dir = tmp_path / "run"
    seen: list[int] = []
    checkpoint = run_dir / "stages" / "1-back_translate.jsonl"
    killer = threading.Thread(target=lambda: seen.append(kill_when(lambda: cluster.kill_node(1), checkpoint, 10)))
    killer.start()
    run_here(write_config(tmp_path), run_dir, RayExecutor(address=cluster.address, in_flight=2))
    killer.join(timeout=60)
    assert seen and seen[0] < SEEDS  # the node died mid-run; Ray ran its chunks again on the head
    assert cluster.nodes[1].poll() is not None
    assert_same_run(run_dir, local_run)
