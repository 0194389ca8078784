"""What the ``crabplug view`` tests share: a small code-only run of real seeds, and the real server as a process.

The server is started as ``crabplug --plugin crabplug_view view ...`` so the tests pass whether or not the
installed distribution already has the ``view`` entry point (``--plugin`` of a loaded module is a no-op).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "tests" / "fixtures" / "real" / "arena-o3mini-200.jsonl"
CONFIG = """\
name: view
limit: {limit}
seeds: [{{plugin: jsonl, path: {seeds}}}]
back_translators: [rules, transform]
combiner: {{plugin: crab}}
outputs: [{{plugin: sft, reverse_share: 0.3}}, dpo, {{plugin: card, plots: false}}]
"""


def env() -> dict[str, str]:
    """This checkout's crabplug and plugins first on the path of a child process."""
    path = [str(ROOT), str(ROOT / "plugins"), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p), "OMP_NUM_THREADS": "1"}


def crabplug(*args: str) -> list[str]:
    """The command line of ``crabplug ARGS`` with the view plugin loaded."""
    return [sys.executable, "-m", "crabplug", "--plugin", "crabplug_view", *args]


def make_run(tmp: Path, limit: int = 12) -> Path:
    """A code-only run (rule and transform constraints, CRAB combiner, SFT/DPO/card) of real seeds: ~2 s."""
    (tmp / "c.yaml").write_text(CONFIG.format(limit=limit, seeds=SEEDS))
    done = subprocess.run(crabplug("run", str(tmp / "c.yaml"), "--run-dir", str(tmp / "run"), "-q"), env=env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tmp / "run"


class ViewServer:
    """``crabplug view ARGS`` running; ``url`` once it printed it; stopped (SIGTERM, then killed) on exit."""

    def __init__(self, *args: str):
        self.args = args
        self.url = ""
        self.output: list[str] = []

    def __enter__(self) -> ViewServer:
        self.proc = subprocess.Popen(crabplug("view", *self.args), env=env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        found = threading.Event()

        def read() -> None:
            for line in self.proc.stdout:
                self.output.append(line)
                m = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
                if m:
                    self.url = m.group(1)
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        found.wait(60)
        assert self.url, "the server printed no URL:\n" + "".join(self.output)
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Browser:
    """A cookie-keeping HTTP client (datasette's forms need the CSRF cookie and token)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.status, r.read().decode()

    def post_form(self, page: str, fields: dict[str, str], action: str = "/-/crabplug/drop") -> tuple[int, str]:
        """Load ``page``, take its CSRF token, post ``fields`` to ``action`` as the page's forms do."""
        _, html = self.get(page)
        token = re.search(r'name="csrftoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrftoken": token, "back": page, **fields}).encode()
        with self.opener.open(self.base + action, data=data, timeout=30) as r:
            return r.status, r.read().decode()
