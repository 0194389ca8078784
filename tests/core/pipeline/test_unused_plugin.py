"""A plugin installed between a run and its resume that cannot change the run's records (it registers no
constraint type, LLM provider or stage the config names) does not invalidate the run directory."""

from __future__ import annotations

import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds

UNUSED = '''
from typing import ClassVar

import attrs
from crabplug import hookimpl


@attrs.frozen
class Elsewhere:
    name: ClassVar[str] = "elsewhere"

    def read(self, ctx):
        return iter(())


@hookimpl
def register_commands(cli):
    pass


@hookimpl
def register_seed_sources(register):
    register(Elsewhere)
'''


def test_a_plugin_the_config_does_not_use_lets_the_run_resume(tmp_path):
    (tmp_path / "unused_plugin.py").write_text(UNUSED)
    config = write_config(tmp_path, write_seeds(tmp_path / "s.jsonl", 4))
    first = subprocess.run(crabplug_cmd("run", str(config), "-q", "--limit", "2"), env=env(), capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    with_it = {**env(), "PYTHONPATH": f"{env()['PYTHONPATH']}:{tmp_path}"}
    resumed = subprocess.run(crabplug_cmd("--plugin", "unused_plugin", "run", str(config), "-q"), env=with_it,
                             capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert "samples 4" in resumed.stdout
    lines = (tmp_path / "run" / "stages" / "1-back_translate.jsonl").read_text().splitlines()
    assert len(lines) == 4
