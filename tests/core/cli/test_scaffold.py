"""``crabplug new-plugin NAME`` writes a plugin package whose own tests pass before anyone edits it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crabplug import ConfigError
from crabplug.cli.new_plugin import generate


def test_the_package_has_an_entry_point_naming_its_module(tmp_path):
    target = generate("my-family", tmp_path)
    project = tomllib.loads((target / "pyproject.toml").read_text())["project"]
    assert target.name == project["name"] == "crabplug-my-family"
    assert project["entry-points"]["crabplug"] == {"my-family": "crabplug_my_family"}
    assert (target / "crabplug_my_family" / "__init__.py").is_file()


def test_the_generated_plugin_registers_its_type_and_back_translator(tmp_path, monkeypatch):
    target = generate("linecheck", tmp_path)
    monkeypatch.syspath_prepend(str(target))
    from crabplug import load_plugins

    try:
        registry = load_plugins(["crabplug_linecheck"], only=[])
    finally:
        sys.modules.pop("crabplug_linecheck", None)
    assert registry.owner("constraint_types", "linecheck:max_line_length") == "crabplug_linecheck"
    assert registry.get("back_translators", "linecheck-rules").name == "linecheck-rules"


def test_the_generated_packages_own_tests_pass_out_of_the_box(tmp_path):
    target = generate("my_family", tmp_path)
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", str(target / "tests")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "skipped" not in proc.stdout


@pytest.mark.parametrize("bad", ["My-Plugin", "9lives", "two--dashes", "with space", "trailing-", "class"])
def test_a_name_that_cannot_name_a_package_is_refused_in_one_sentence(tmp_path, bad):
    with pytest.raises(ConfigError, match=f"plugin name {bad!r}"):
        generate(bad, tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_name_of_an_installed_plugin_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="'ifeval' is already installed"):
        generate("ifeval", tmp_path)


def test_an_existing_directory_is_never_overwritten(tmp_path):
    (tmp_path / "crabplug-tables").mkdir()
    (tmp_path / "crabplug-tables" / "keep.txt").write_text("mine")
    with pytest.raises(ConfigError, match="already exists"):
        generate("tables", tmp_path)
    assert (tmp_path / "crabplug-tables" / "keep.txt").read_text() == "mine"


def test_the_command_creates_the_package_in_the_output_directory(tmp_path):
    cmd = [sys.executable, "-m", "crabplug", "new-plugin", "tables", "-o", str(tmp_path / "out")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "crabplug-tables" / "pyproject.toml").is_file()
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and again.stderr.startswith("Error: ") and "Traceback" not in again.stderr


def test_the_guides_first_example_creates_a_package_whose_tests_pass(tmp_path):
    guide = Path(__file__).resolve().parents[3] / "docs" / "writing-a-constraint-family.md"
    block = re.search(r"```bash\n(crabplug new-plugin.*?)```", guide.read_text(encoding="utf-8"), re.S).group(1)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout
