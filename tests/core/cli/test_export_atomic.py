"""export and merge write OUT whole or not at all: a new copy is renamed into place only when complete, `--force`
replaces the old one only then, and an OUT that is, holds or sits inside an input is refused (nothing deleted)."""

from __future__ import annotations

import signal
import subprocess
import time

from core_helpers import crabplug_cmd, env, write_config, write_seeds


def _call(*args):
    return subprocess.run(crabplug_cmd(*args), env=env(), capture_output=True, text=True, timeout=120)


def _run(tmp_path, n=10, *extra):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", n))
    done = _call("run", str(config), "-q", *extra)
    assert done.returncode == 0, done.stderr
    return tmp_path / "run"


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused(done, words):
    assert done.returncode == 1, done.stdout
    assert words in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_export_into_the_parent_of_the_run_with_force_is_refused_and_deletes_nothing(tmp_path):
    run_dir = _run(tmp_path)
    (tmp_path / "sibling").mkdir()
    (tmp_path / "sibling" / "keep.txt").write_text("mine")
    before = _snapshot(tmp_path)
    _refused(_call("export", str(run_dir), str(tmp_path), "--force"), "is or contains the input")
    _refused(_call("export", str(run_dir), str(run_dir), "--force"), "is or contains the input")
    _refused(_call("export", str(run_dir), str(run_dir / "hf"), "--force"), "is inside the input")
    assert _snapshot(tmp_path) == before


def test_merge_into_the_parent_of_its_shards_with_force_is_refused_and_deletes_nothing(tmp_path):
    config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 12))
    for i in range(2):
        done = _call("run", str(config), "-q", "--shard", f"{i}/2")
        assert done.returncode == 0, done.stderr
    shards = [tmp_path / "run" / f"shard-{i}-of-2" for i in range(2)]
    before = _snapshot(tmp_path)
    _refused(_call("merge", *map(str, shards), "-o", str(tmp_path / "run"), "--force"), "is or contains the input")
    _refused(_call("merge", *map(str, shards), "-o", str(shards[0]), "--force"), "is or contains the input")
    assert _snapshot(tmp_path) == before
    merged = _call("merge", *map(str, shards), "-o", str(tmp_path / "merged"))
    assert merged.returncode == 0, merged.stderr
    assert [p.name for p in tmp_path.iterdir() if ".new-" in p.name or ".old-" in p.name] == []


def test_a_forced_export_killed_midway_leaves_the_previous_export_whole(tmp_path):
    run_dir = _run(tmp_path, 3000)
    out = tmp_path / "pq"
    first = _call("export", str(run_dir), str(out), "--format", "parquet")
    assert first.returncode == 0, first.stderr
    good = _snapshot(out)
    killed = 0
    for _ in range(3):  # a kill that lands after the rename proves nothing: try again
        proc = subprocess.Popen(crabplug_cmd("export", str(run_dir), str(out), "--format", "parquet", "--force"),
                                env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".pq.new-*")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed += proc.returncode == -signal.SIGKILL
        assert _snapshot(out) == good  # whatever the moment: the old copy, or an identical new one
    assert killed, "every export finished before it could be killed"
    again = _call("export", str(run_dir), str(out), "--format", "parquet", "--force")
    assert again.returncode == 0, again.stderr
    assert _snapshot(out) == good
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".pq")) == [".pq.lock"]


def test_an_export_to_a_folder_another_export_is_writing_is_refused_naming_the_writer(tmp_path):
    import os

    from crabplug import hold_directory

    run_dir = _run(tmp_path)
    with hold_directory(tmp_path / "pq", "export", lock_file=tmp_path / ".pq.lock"):  # as a live export holds it
        second = _call("export", str(run_dir), str(tmp_path / "pq"), "--format", "parquet")
    _refused(second, f"crabplug export (pid {os.getpid()}) is writing")
    assert not (tmp_path / "pq").exists()
