"""`--set STAGE.OPTION=VALUE` works on a stage the config names bare (as the README shows), and `new-plugin` with a
name too long for a file system is one sentence, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crabplug import config as cfg

QUICKSTART = Path(__file__).resolve().parents[3] / "configs" / "quickstart.yaml"


def test_set_reaches_an_option_of_a_stage_named_bare(tmp_path):
    (tmp_path / "c.yaml").write_text("seeds: [bundled]\nback_translators:\n  - rules\ncombiner: crab\n")
    config, data = cfg.load(tmp_path / "c.yaml", ("back_translators.rules.max_per_family=3",))
    assert config.back_translators[0].plugin == "rules"
    assert config.back_translators[0].options == {"max_per_family": 3}
    assert config.back_translators[0].option_lines["max_per_family"] == "--set back_translators.0.max_per_family"


def test_the_readmes_set_form_runs_a_dry_run_on_the_quickstart_config():
    done = subprocess.run([sys.executable, "-m", "crabplug", "run", str(QUICKSTART), "--dry-run", "--set",
                           "back_translators.rules.max_per_family=3"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "300"})
    assert done.returncode == 0, done.stderr
    assert '"max_per_family": 3' in done.stdout


def test_a_plugin_name_too_long_for_a_file_name_is_one_sentence(tmp_path):
    done = subprocess.run([sys.executable, "-m", "crabplug", "new-plugin", "a" * 300], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1
    assert "has 300 characters: use at most 64" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
