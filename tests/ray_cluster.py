"""A real Ray cluster on 127.0.0.1 for tests and benchmarks: a head and extra worker nodes, each a process group.

    with RayCluster(workers=1) as cluster:
        cluster.address            # "127.0.0.1:PORT", for --executor-opt address=...
        cluster.kill_node(1)       # SIGKILL a worker node (raylet, agents and its worker processes)

Every port is a free one and the session lives in its own temporary directory, so a Ray the user runs is never
touched; stopping kills exactly the processes this object started (their groups and descendants), never
``ray stop`` (which would stop every Ray on the machine).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RAY = str(Path(sys.executable).parent / "ray")
# auth explicitly off: a token in the user's ~/.ray/auth_token (Ray 2.60 writes one for a private ray.init) would
# otherwise switch some processes of the test cluster to token auth and not others
ENV = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
OBJECT_STORE = str(80 * 1024 * 1024)  # Ray's minimum is 75 MiB: chunks of rows need far less


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, []))
    return out


def _pids_using(marker: str) -> list[int]:
    """Processes whose command line names ``marker`` (this cluster's session directory)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if marker in Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry))
            except OSError:
                continue
    return found


class RayCluster:
    """``ray start --head`` plus ``workers`` × ``ray start --address``, one CPU each, on 127.0.0.1."""

    def __init__(self, workers: int = 1, cpus: int = 1, env: dict[str, str] | None = None) -> None:
        self.workers, self.cpus = workers, cpus
        self.env = {**ENV, **(env or {})}  # the nodes' environment (a real cluster's keys come from its secrets)
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.temp = tempfile.mkdtemp(prefix="crt", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
        self.nodes: list[subprocess.Popen] = []

    def _start(self, *args: str) -> subprocess.Popen:
        log = open(Path(self.temp) / f"node-{len(self.nodes)}.log", "w")  # noqa: SIM115 - closed with the node
        cmd = [RAY, "start", "--block", "--node-ip-address", "127.0.0.1", "--num-cpus", str(self.cpus),
               "--object-store-memory", OBJECT_STORE, "--disable-usage-stats",
               "--dashboard-agent-listen-port", str(free_port()), *args]  # fmt: skip
        proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.nodes.append(proc)
        return proc

    def __enter__(self) -> RayCluster:
        try:
            self._start("--head", "--port", str(self.port), "--temp-dir", self.temp, "--include-dashboard=false",
                        "--ray-client-server-port", str(free_port()))  # fmt: skip
            self._wait(lambda: _connects(self.port), "the head")
            for _ in range(self.workers):
                self._start("--address", self.address)
            self._wait(lambda: self.alive_nodes() == 1 + self.workers, f"{1 + self.workers} nodes")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _wait(self, ready, what: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if any(p.poll() is not None for p in self.nodes):
                raise RuntimeError(f"a Ray node exited while waiting for {what}: see {self.temp}/node-*.log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Ray cluster: no {what} after {timeout:g} s")
            time.sleep(0.5)

    def alive_nodes(self) -> int:
        """Nodes the head knows to be alive (asked in a subprocess: this process stays free of Ray)."""
        code = f"import ray; ray.init(address='{self.address}', log_to_driver=False, logging_level='ERROR'); " \
               "print(sum(n['Alive'] for n in ray.nodes()))"  # fmt: skip
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120)
        return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout.strip() else -1

    def kill_node(self, index: int) -> None:
        """SIGKILL node ``index`` (0: the head): its group and every descendant, worker processes included."""
        proc = self.nodes[index]
        for pid in _descendants(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=30)

    def stop(self) -> None:
        """Kill every process this cluster started and remove its directory. SIGKILL at once: ``ray start --block``
        takes tens of seconds over SIGTERM, and a test cluster keeps nothing worth a graceful stop."""
        for index, proc in reversed(list(enumerate(self.nodes))):
            if proc.poll() is None:
                self.kill_node(index)
        for pid in _pids_using(self.temp):  # workers Ray moved to groups of their own, orphaned by now
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.temp, ignore_errors=True)

    def leftovers(self) -> list[int]:
        """Processes of this cluster still running (none after ``stop``)."""
        return _pids_using(self.temp)


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
