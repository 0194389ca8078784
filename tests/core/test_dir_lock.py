"""One writer per run directory: a second `crabplug run` (or drop) on a live run's directory is refused, naming
the holder's pid, and a kill -9 of the holder frees the directory for a resume that equals a clean run."""

from __future__ import annotations

import signal
import subprocess
import time

from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug import ConfigError, hold_directory

FILES = ("samples.jsonl", "samples.txt", "failures.jsonl")


def _lines(path):
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _started(config, run_dir, lines=8):
    """A real `crabplug run` that has checkpointed ``lines`` records and is still working."""
    proc = subprocess.Popen(crabplug_cmd("run", str(config), "-q"), env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _lines(run_dir / "stages" / "1-back_translate.jsonl") < lines and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.01)
    return proc


def test_a_second_run_on_a_live_run_directory_is_refused_and_a_kill_frees_it(tmp_path):
    seeds = write_seeds(tmp_path / "seeds.jsonl", 300, fail=(20,))
    config = write_config(tmp_path, seeds, delay=0.03, chunk=4)
    run_dir = tmp_path / "run"
    first = _started(config, run_dir)
    try:
        second = subprocess.run(crabplug_cmd("run", str(config), "-q"), env=env(), capture_output=True, text=True,
                                timeout=60)
        assert first.poll() is None, "the first run ended before the second was tried"
        assert second.returncode == 1
        assert f"crabplug run (pid {first.pid}) is writing" in second.stderr
        assert "Traceback" not in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        restarted = subprocess.run(crabplug_cmd("run", str(config), "-q", "--restart"), env=env(),
                                   capture_output=True, text=True, timeout=60)
        assert restarted.returncode == 1 and f"(pid {first.pid})" in restarted.stderr
        assert first.poll() is None, "--restart deleted a live run's files"
        dropped = subprocess.run(crabplug_cmd("drop", str(run_dir), "--sample", "x"), env=env(),
                                 capture_output=True, text=True, timeout=60)
        assert dropped.returncode == 1 and f"(pid {first.pid})" in dropped.stderr, dropped.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert first.returncode == -signal.SIGKILL

    resumed = subprocess.run(crabplug_cmd("run", str(config), "-q"), env=env(),
                             capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    reference = subprocess.run(crabplug_cmd("run", str(config), "-q", "-o", str(tmp_path / "ref")), env=env(),
                               capture_output=True, text=True, timeout=120)
    assert reference.returncode == 0, reference.stderr
    for name in FILES:
        assert (run_dir / name).read_bytes() == (tmp_path / "ref" / name).read_bytes(), name


def test_the_lock_names_its_holder_and_is_free_again_after_the_block(tmp_path):
    with hold_directory(tmp_path / "d", "run"):
        try:
            with hold_directory(tmp_path / "d", "export"):
                raise AssertionError("a second holder was let in")
        except ConfigError as err:
            assert "crabplug run (pid " in str(err)
    with hold_directory(tmp_path / "d", "export"):
        pass


def test_a_run_directory_that_is_a_file_is_one_sentence(tmp_path):
    seeds = write_seeds(tmp_path / "seeds.jsonl", 3)
    config = write_config(tmp_path, seeds)
    (tmp_path / "run").write_text("not a directory")
    done = subprocess.run(crabplug_cmd("run", str(config), "-q"), env=env(), capture_output=True, text=True)
    assert done.returncode == 1
    assert "is a file, not a directory" in done.stderr and "Traceback" not in done.stderr
