"""docs/providers.md's OpenAI-compatible recipe works as written, against a local OpenAI-compatible server.

The recipe is taken from the document, not restated here: its shell block, its YAML block and its
``crabplug eval`` line run with only the server's address (``http://localhost:8000/v1`` in the document)
replaced by the test server's.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from test_docs_examples import ROOT, _env, _sandbox

from crabplug.testing.llm_server import LLMServer

DOC = ROOT / "docs" / "providers.md"
DOC_URL = "http://localhost:8000/v1"

pytestmark = pytest.mark.slow


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split("## Recipe: any OpenAI-compatible server", 1)[1].split("\n## ", 1)[0]


def _block(lang: str) -> str:
    return re.search(rf"^```{lang}\n(.*?)^```", _section(), re.S | re.M).group(1)


def _doc_key() -> str:
    """The key the recipe exports: the test server accepts only that one."""
    return re.search(r"export MY_SERVER_KEY=(\S+)", _block("bash")).group(1)


def model(body: dict) -> str:
    """Answers every prompt crabplug sends the way a capable model would."""
    prompt = body["messages"][-1]["content"]
    if "YES or NO" in prompt:
        return "YES"
    if "JSON" in prompt:
        return json.dumps({"constraints": [{"category": "writing_style", "constraint": "Use a calm tone."}]})
    return "Use a calm and friendly tone throughout."


@pytest.fixture
def server():
    with LLMServer(reply=model, api_key=_doc_key()) as srv:
        yield srv


def _bash(script: str, cwd: Path, url: str) -> subprocess.CompletedProcess:
    env = _env()
    env.pop("MY_SERVER_KEY", None)
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script.replace(DOC_URL, url)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{script}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _files(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()]


def test_the_documented_recipe_runs_against_an_openai_compatible_server(server, tmp_path):
    cwd = _sandbox(tmp_path)
    script = _block("bash")
    assert DOC_URL in script and "openai/my-model" in script
    _bash(script, cwd, server.url)
    assert server.requests and {r["model"] for r in server.requests} == {"my-model"}
    run_dir = cwd / "runs" / "my-server"
    saved = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    assert saved["llm"]["api_key_env"] == "MY_SERVER_KEY"
    assert not [p for p in _files(run_dir) if _doc_key().encode() in p.read_bytes()]


def test_the_documented_config_section_runs_against_the_server(server, tmp_path):
    cwd = _sandbox(tmp_path)
    config = yaml.safe_load((ROOT / "configs" / "quickstart.yaml").read_text(encoding="utf-8"))
    config["llm"] = {**config.get("llm", {}), **yaml.safe_load(_block("yaml").replace(DOC_URL, server.url))["llm"]}
    (cwd / "my-server.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _bash(f"export MY_SERVER_KEY={_doc_key()}\ncrabplug run my-server.yaml --limit 2 -o runs/from-config -q\n",
          cwd, server.url)
    assert server.requests and {r["model"] for r in server.requests} == {"my-model"}


def test_the_documented_eval_command_runs_against_the_server(server, tmp_path):
    cwd = _sandbox(tmp_path)
    (command,) = re.findall(r"`(crabplug eval --model openai/my-model[^`]*)`", _section())
    _bash(f"export MY_SERVER_KEY={_doc_key()}\n{command} --limit 2 -o eval/my-server -q\n", cwd, server.url)
    assert len(server.requests) == 2
    assert len((cwd / "eval" / "my-server" / "responses.jsonl").read_text(encoding="utf-8").splitlines()) == 2
