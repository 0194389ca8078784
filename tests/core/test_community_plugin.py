"""A third party adds a constraint family by installing a package: docs/plugins/crabplug-markdown.

The package is pip-installed, offline, into a throwaway virtual environment layered on this one (so
crabplug itself is not reinstalled), exactly as a user would install it; then that environment's
``python -m crabplug`` lists its types, runs a pipeline that derives and combines them, and verifies them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "docs" / "plugins" / "crabplug-markdown"
TYPES = {"markdown:table", "markdown:code_block", "markdown:numbered_steps", "markdown:heading_levels"}

pytestmark = pytest.mark.slow

SEEDS = [
    ("Compare three teas.", "# Teas\n\n| tea | origin |\n|---|---|\n| sencha | Japan |\n| assam | India |\n"
     "| oolong | Taiwan |\n\n## Brewing\n\n1. Boil water.\n2. Cool it a little.\n3. Steep for three minutes."),
    ("Show a Python function that adds two numbers.",
     "Here it is:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nCall it with two numbers."),
    ("How do I make a paper plane?", "1. Fold the sheet in half.\n2. Fold the corners in.\n3. Fold the wings down."
     "\n4. Throw it gently."),
    ("Outline a report.", "# Report\n\n## Findings\n\n### Costs\n\nCosts rose.\n\n## Next steps\n\nWe act."),
]


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv that sees this environment's packages (crabplug among them) plus the installed plugin."""
    tmp = tmp_path_factory.mktemp("community")
    env_dir = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", env_dir, cwd=tmp)
    python = env_dir / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip())
    # layer this environment under the new one; addsitedir also runs its .pth files (the editable crabplug)
    (site / "_crabplug_parent.pth").write_text(f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
    # pip builds a local directory in place: copy it so parallel runs never share build/ or *.egg-info
    source = shutil.copytree(PACKAGE, tmp / "crabplug-markdown",
                             ignore=shutil.ignore_patterns("build", "*.egg-info", ".hypothesis", "__pycache__"))
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", source, cwd=tmp)
    # pip puts scripts only of packages it installs: give this venv the `crabplug` command a user would have
    script = env_dir / "bin" / "crabplug"
    script.write_text(f"#!{python}\nfrom crabplug.cli import main\n\nmain()\n")
    script.chmod(0o755)
    return python


def _crabplug(python: Path, *args: str | Path, cwd: Path, extra_path: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("CRABPLUG_PLUGINS", "PYTHONPATH")}
    if extra_path:
        env["PYTHONPATH"] = str(extra_path)
    return _run(python, "-m", "crabplug", *args, cwd=cwd, env=env)


def test_crabplug_itself_does_not_ship_the_plugin():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "crabplug_markdown" not in project["project"]["entry-points"]["crabplug"].values()
    assert not (ROOT / "plugins" / "crabplug_markdown").exists()


def test_installing_the_package_adds_its_types_to_crabplug_constraints(venv, tmp_path):
    rows = json.loads(_crabplug(venv, "constraints", "--family", "markdown", "--json", cwd=tmp_path).stdout)
    assert {r["id"] for r in rows} == TYPES
    assert all(r["plugin"] == "markdown" and r["checkable"] and r["derivable"] and r["example"] for r in rows)


def test_the_installed_plugin_is_listed_with_its_version(venv, tmp_path):
    rows = json.loads(_crabplug(venv, "plugins", "--json", cwd=tmp_path).stdout)
    (row,) = [r for r in rows if r["name"] == "markdown"]
    assert row["version"] == "0.1.0" and sorted(row["registers"]["constraint_types"]) == sorted(TYPES)




def _pipeline_config(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds.jsonl"
    seeds.write_text("".join(json.dumps({"instruction": i, "output": r}) + "\n" for i, r in SEEDS))
    config = tmp_path / "markdown.yaml"
    config.write_text(
        f"name: markdown-demo\nrun_dir: {tmp_path / 'run'}\n"
        f"seeds: [{{plugin: jsonl, path: {seeds}}}]\n"
        # the built-in stages, restricted to the new family: derive+check, then combine every one available
        # (the paper's selection: these short answers would get one line each from the natural one, issue 30)
        "back_translators: [{plugin: rules, types: ['markdown:*']}]\n"
        "combiner: {plugin: crab, p_many: 1.0, p_demos: 0.0, min_natural: 0, words_per_constraint: 0}\n"
        "outputs: [sft]\n"
    )
    return config


def test_a_run_derives_combines_and_verifies_the_new_family(venv, tmp_path):
    config = _pipeline_config(tmp_path)
    _crabplug(venv, "run", config, "--limit", "3", "-q", cwd=tmp_path)
    rows = [json.loads(line) for line in (tmp_path / "run" / "sft.jsonl").read_text().splitlines()]
    assert len(rows) == 3
    used = {c["type"] for row in rows for c in row["constraints"]}
    assert TYPES - {"markdown:heading_levels"} <= used  # the fourth seed is past --limit
    to_verify = tmp_path / "answers.jsonl"
    to_verify.write_text("".join(
        json.dumps({"response": row["messages"][-1]["content"], "constraints": row["constraints"]}) + "\n"
        for row in rows))
    out = _crabplug(venv, "verify", to_verify, "-o", tmp_path / "verdicts.jsonl", "--summary", cwd=tmp_path)
    verdicts = [json.loads(line) for line in (tmp_path / "verdicts.jsonl").read_text().splitlines()]
    assert all(v["follow_all_instructions"] for v in verdicts), out.stdout
    assert sum(t.startswith("markdown:") for v in verdicts for t in v["instruction_id_list"]) >= 4


def test_the_readme_example_verifies_a_response(venv, tmp_path):
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Try it\n+```bash\n(.*?)```", readme, re.S).group(1)
    env = {**os.environ, "PATH": f"{venv.parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("CRABPLUG_PLUGINS", None)
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (verdict,) = [json.loads(line) for line in (tmp_path / "verdicts.jsonl").read_text().splitlines()]
    assert verdict["instruction_id_list"] == ["markdown:numbered_steps"] and verdict["follow_all_instructions"]


def test_the_packages_own_tests_pass(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", str(PACKAGE / "tests")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
