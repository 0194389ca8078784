"""Every shell example in README.md and docs/ runs, as written, offline.

The convention (stated for doc writers in README.md's documentation index): every fenced block tagged ``bash``, ``sh``,
``shell`` or ``console`` is executed, unless the line right above its fence is
``<!-- test: skip (why) -->`` — for examples that need a network, an API key, a GPU, or that install
packages or run the test suite itself. A ``console`` block runs only its ``$ `` lines (the rest is output).

The blocks of one document run in order, in one fresh directory that looks like a checkout (the repository's
files are linked in, so ``configs/...`` and ``docs/...`` resolve; ``runs/``, ``eval/`` and everything a
block writes stay in that directory), with this environment's ``bin/`` first on PATH and the Hugging Face
libraries told to stay offline.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELLS = ("bash", "sh", "shell", "console")
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)
MARKER = re.compile(r"<!--\s*test:\s*(.*?)\s*-->\s*$")
# what a block may write into must not be the checkout: these stay real directories in the sandbox
NOT_LINKED = {".git", "runs", "eval", ".pytest_cache", ".hypothesis", "out", "__pycache__"}


def _documents() -> list[Path]:
    # docs/plugins/ holds packages with their own READMEs: tests/core/test_community_plugin.py runs those
    docs = sorted(p for p in (ROOT / "docs").rglob("*.md") if "plugins" not in p.relative_to(ROOT / "docs").parts)
    return [ROOT / "README.md", *docs]


def _blocks(path: Path) -> list[tuple[int, str, str, str | None]]:
    """(line number, language, body, marker text or None) for every shell block of a markdown file."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        lang = m.group(1)
        if lang not in SHELLS:
            continue
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.search(before)
        out.append((text.count("\n", 0, m.start()) + 1, lang, m.group(2), marker.group(1) if marker else None))
    return out


def _commands(lang: str, body: str) -> str:
    if lang != "console":
        return body
    lines, cont = [], False
    for line in body.splitlines():
        if line.startswith("$ ") or cont:
            lines.append(line[2:] if line.startswith("$ ") and not cont else line)
            cont = line.rstrip().endswith("\\")
    return "\n".join(lines) + "\n"


def _runnable(path: Path) -> list[tuple[int, str]]:
    return [(line, _commands(lang, body)) for line, lang, body, marker in _blocks(path) if marker is None]


def _sandbox(tmp: Path) -> Path:
    for entry in ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (tmp / entry.name).symlink_to(entry)
    return tmp


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CRABPLUG_PLUGINS", "PYTHONPATH")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", TRANSFORMERS_OFFLINE="1", NO_COLOR="1")
    return env


WITH_EXAMPLES = [p for p in _documents() if _runnable(p)]


def test_every_skipped_example_says_why():
    for path in _documents():
        for line, _, _, marker in _blocks(path):
            if marker is not None:
                assert re.fullmatch(r"skip \(.+\)", marker), f"{path.relative_to(ROOT)}:{line}: {marker!r}"


def test_the_readme_and_the_guides_have_examples_that_run():
    names = {p.relative_to(ROOT).as_posix() for p in WITH_EXAMPLES}
    assert {"README.md"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("doc", WITH_EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_shell_examples_of_a_document_run_offline(doc, tmp_path):
    cwd = _sandbox(tmp_path)
    env = _env()
    for line, script in _runnable(doc):
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
        )
        where = f"{doc.relative_to(ROOT)}:{line}"
        output = f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        assert proc.returncode == 0, f"{where} failed ({proc.returncode}):\n{script}\n{output}"


LINK = re.compile(r"\]\(([^)\s]*)\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lowercased, punctuation but '-' and '_' dropped, spaces to '-'."""
    heads = re.findall(r"^#+\s+(.*?)\s*$", FENCE.sub("", path.read_text(encoding="utf-8")), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in heads}


def test_every_relative_link_in_the_docs_resolves():
    broken = []
    for path in _documents():
        for m in LINK.finditer(path.read_text(encoding="utf-8")):
            target, _, anchor = m.group(1).partition("#")
            if "://" in target or target.startswith("mailto:"):
                continue
            file = path.parent / target if target else path
            if not file.exists() or (anchor and file.suffix == ".md" and anchor not in _anchors(file)):
                broken.append(f"{path.relative_to(ROOT)}: {m.group(1)}")
    assert not broken, "\n".join(broken)
