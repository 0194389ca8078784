"""Ray's token authentication and crabplug: a private Ray (`address=local`) leaves no ~/.ray/auth_token behind,
and a cluster started as docs/scaling.md shows takes its workers whatever token a user's ~/.ray holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ray_cluster import ENV, RayCluster

pytest.importorskip("ray")

CONFIG = """\
name: ray-auth
seeds: [{plugin: bundled}]
limit: 6
back_translators: [rules]
combiner: {plugin: crab}
outputs: [sft]
"""


def _run(tmp_path, address, env):
    (tmp_path / "c.yaml").write_text(CONFIG)
    return subprocess.run([sys.executable, "-m", "crabplug", "run", str(tmp_path / "c.yaml"), "-o",
                           str(tmp_path / "run"), "-q", "--executor", "ray", "--executor-opt", f"address={address}"],
                          capture_output=True, text=True, env=env, timeout=300, cwd=Path(__file__).parents[3])


@pytest.mark.slow
def test_a_private_ray_writes_no_token_into_the_users_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in ENV.items() if k != "RAY_AUTH_MODE"}  # as a user's shell: no mode set
    done = _run(tmp_path, "local", {**env, "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert not (home / ".ray" / "auth_token").exists()


@pytest.mark.slow
def test_a_token_in_the_users_home_does_not_break_a_test_cluster(tmp_path):
    home = tmp_path / "home"
    (home / ".ray").mkdir(parents=True)
    (home / ".ray" / "auth_token").write_text("a" * 64)  # what an earlier private Ray of Ray 2.60 left
    env = {**ENV, "HOME": str(home)}
    with RayCluster(workers=1, env={"HOME": str(home)}) as cluster:
        done = _run(tmp_path, cluster.address, env)
    assert done.returncode == 0, done.stderr
