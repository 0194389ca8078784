"""The ``ray`` executor: workers read the seeds in parts and run the per-record stages; rows come back in seed order.

A worker rebuilds the run's plugins and stages once (``crabplug.Work``). For each seed part (about ``chunk_size``
records; ``crabplug.SeedFeed``) one task reads the part where it runs and returns each record's small key; the
driver makes the filters' decisions in seed order (dedup and per-source caps need the whole stream) and a second
task, given the first one's records by reference, runs back-translate and verify on those that passed. The
driver waits for the oldest part, appends its rows to the checkpoints, and sends the next, at most ``in_flight``
parts ahead: the checkpoints are exactly those ``local`` writes, so a killed driver resumes like a local run, and
a task whose worker or node died is run again by Ray elsewhere (each is a pure function of its inputs). A source
that cannot be read in pieces is read on the driver and its records travel with the part.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import attrs

from crabplug import CrabError, Job, Work

_HINT = "start one with `ray start --head` or give its address with --executor-opt address=HOST:PORT"


def _read_part(work: Work, part: Any) -> tuple[list[Any], list[Any]]:
    """A Ray task with two results: the part's keys (for the driver) and its records (stay in the object store)."""
    return work.read_part(part)


def _run_picks(work: Work, records: list[Any], picks: Any, spent: float) -> Any:
    """A Ray task: the records the driver's filters passed through the per-record stages."""
    return work.run_picks(records, picks, spent)


@attrs.define
class _Part:
    keys: Any
    records: Any
    decision: Any = None
    stages: Any = None


def _check(work: Work) -> dict[str, Any]:
    """A Ray task pinned to one node: can this node's workers build the run's stages?"""
    return work.check()


@attrs.define
class RayExecutor:
    """Per-record stages on a Ray cluster; options come from ``--executor-opt KEY=VALUE``."""

    name: ClassVar[str] = "ray"
    address: str | None = None
    """The cluster: ``HOST:PORT`` of the head, ``ray://HOST:10001`` (Ray Client), ``auto`` (the one started on this
    machine) or ``local`` (start a private one here). None: ``$RAY_ADDRESS``, else ``auto``."""
    in_flight: int | None = None
    """Seed parts sent ahead of the one the driver waits for (None: twice the cluster's CPUs)."""
    max_retries: int = 3
    """Times Ray runs a task again after its worker process or node died."""
    connect_timeout: float = 5.0
    """Seconds to reach the head before the run stops with one sentence."""
    check_timeout: float = 300.0
    """Seconds every node has to load the run's plugins before the run stops (a first start installs them)."""
    _job: Job | None = attrs.field(default=None, init=False)
    _work: Any = attrs.field(default=None, init=False)
    _owns: bool = attrs.field(default=False, init=False)
    _read: Any = attrs.field(default=None, init=False)
    _picks: Any = attrs.field(default=None, init=False)

    # -- start / stop ----------------------------------------------------------------------------------

    def start(self, job: Job) -> None:
        """Connect, ship the work once, and have every node load the plugins before any record goes out."""
        address = self.address or os.environ.get("RAY_ADDRESS") or "auto"
        if address == "local":
            _session_token()  # before Ray is imported: it reads the token settings once
        try:
            import ray
        except ImportError:
            raise CrabError("the ray executor needs Ray: pip install 'crabplug[ray]'") from None
        if not ray.is_initialized():
            _reachable(address, self.connect_timeout)
            try:
                ray.init(
                    address=None if address == "local" else address,
                    runtime_env=_runtime_env(job.work),
                    log_to_driver=False,
                    logging_level=logging.WARNING,
                )
            except (ConnectionError, RuntimeError, ValueError) as err:
                reason = _first_line(err)
                raise CrabError(f"cannot connect to the Ray cluster at {address!r} ({reason}); {_HINT}") from None
            self._owns = True
        self._job = job
        self._work = ray.put(job.work)
        self._read = ray.remote(num_cpus=1, num_returns=2)(_read_part).options(
            max_retries=self.max_retries, retry_exceptions=False, scheduling_strategy="SPREAD"
        )  # SPREAD: the seeds are read on every node, not first on the driver's
        self._picks = ray.remote(num_cpus=1)(_run_picks).options(max_retries=self.max_retries, retry_exceptions=False)
        self._check_nodes(ray, address)

    def _check_nodes(self, ray: Any, address: str) -> None:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]
        if not nodes:
            raise CrabError(f"the Ray cluster at {address!r} has no live node with a CPU to run the stages")
        check = ray.remote(num_cpus=1)(_check)
        pinned = [NodeAffinitySchedulingStrategy(n["NodeID"], soft=False) for n in nodes]
        refs = [check.options(scheduling_strategy=p).remote(self._work) for p in pinned]
        for node, ref in zip(nodes, refs, strict=True):
            where = f"node {node['NodeManagerAddress']} ({node['NodeID'][:8]})"
            try:
                ray.get(ref, timeout=self.check_timeout)
            except ray.exceptions.GetTimeoutError:
                raise CrabError(f"no Ray worker on {where} started within {self.check_timeout:g} s") from None
            except ray.exceptions.RayTaskError as err:
                raise CrabError(
                    f"a Ray worker on {where} cannot load this run's plugins: {_cause(err)}; "
                    "install the same plugins on every node"
                ) from None
            except ray.exceptions.RayError as err:
                raise CrabError(f"a Ray worker on {where} could not start: {_first_line(err)}") from None

    def stop(self) -> None:
        """Disconnect if this executor connected (a driver inside a Ray job keeps its connection)."""
        if self._owns:
            import ray

            ray.shutdown()
            self._owns = False

    # -- the work --------------------------------------------------------------------------------------

    async def map_parts(self, feed: Any) -> AsyncIterator[tuple[int, list[Any]]]:
        """Workers read the parts ahead; the driver decides each in seed order, as soon as its keys are in, and has
        its picked records run where they were read; yields each part's rows per stage, oldest first."""
        import ray

        job = self._job
        window: deque[_Part] = deque()
        ahead = self.in_flight or max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
        n = 0

        def send() -> bool:
            nonlocal n
            part = None if feed.finished else next(feed.parts, None)
            if part is None:
                return False
            n += 1
            if part.piece is None:  # a source that cannot be split: read on the driver (``feed.parts``)
                keys, records = feed.read(part)
                window.append(_Part(keys=keys, records=ray.put(records)))
            else:
                keys, records = self._read.remote(self._work, part)
                window.append(_Part(keys=_Named(keys, f"seed part {n} (source {part.source + 1})"), records=records))
            return True

        async def decide(entry: _Part) -> None:
            keys = entry.keys
            if isinstance(keys, _Named):
                keys = [] if feed.finished else await _result(ray, keys.ref, keys.span, self.max_retries)
            entry.decision = feed.decide(keys)
            if entry.decision.picks:
                entry.stages = self._picks.remote(self._work, entry.records, entry.decision.picks, job.spent())

        try:
            while len(window) < ahead and send():
                pass
            while window:
                for entry in window:  # decisions in seed order, each as soon as its keys are in
                    if entry.decision is None:
                        if not _ready(ray, entry.keys):
                            break
                        await decide(entry)
                head = window[0]
                if head.decision is None:
                    await decide(head)
                result = None
                if head.stages is not None:
                    first = head.decision.picks[0][1]
                    span = f"records {first}-{head.decision.picks[-1][1]}"
                    result = await _result(ray, head.stages, span, self.max_retries)
                    job.absorb(result)
                window.popleft()
                for k in range(len(job.records.NAMES)):
                    yield k, head.decision.rows(result.stages[k] if result is not None else ())
                while len(window) < ahead and send():
                    pass
        finally:  # an error or a stop: nothing of this run keeps running on the cluster
            for entry in window:
                for ref in (entry.keys, entry.stages):
                    ref = ref.ref if isinstance(ref, _Named) else ref
                    if isinstance(ref, ray.ObjectRef):
                        ray.cancel(ref, force=True)


@attrs.frozen
class _Named:
    ref: Any
    span: str


def _ready(ray: Any, keys: Any) -> bool:
    if not isinstance(keys, _Named):
        return True
    done, _ = ray.wait([keys.ref], timeout=0)
    return bool(done)


async def _result(ray: Any, ref: Any, span: str, retries: int) -> Any:
    try:
        return await ref
    except ray.exceptions.RayTaskError as err:
        cause = getattr(err, "cause", None)
        if isinstance(cause, CrabError):  # the budget, an auth failure: the run's own one sentence
            raise cause from None
        raise CrabError(f"a Ray worker failed on {span}: {_cause(err)}") from None
    except ray.exceptions.RayError as err:
        raise CrabError(
            f"Ray lost {span} {retries + 1} times ({type(err).__name__}); re-run the same command to resume"
        ) from None


def _runtime_env(work: Work) -> dict[str, Any] | None:
    """``--plugin`` modules travel with the job (Ray's py_modules), so a worker needs only the installed ones."""
    modules = [sys.modules[m] for m in work.plugin_modules if m in sys.modules and "." not in m]
    return {"py_modules": modules} if modules else None


def _session_token() -> None:
    """A private cluster authenticates with a token kept in this process's environment (its Ray processes inherit
    it): left to itself, Ray 2.60 writes one to ~/.ray/auth_token, and from then on every ``ray start`` of the user
    reads it and clusters started as docs/scaling.md shows refuse their workers. An explicit RAY_AUTH_MODE or
    RAY_AUTH_TOKEN is the user's choice and is kept."""
    if "RAY_AUTH_MODE" in os.environ or "RAY_AUTH_TOKEN" in os.environ:
        return
    import secrets

    os.environ["RAY_AUTH_MODE"] = "token"
    os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(32)


def _reachable(address: str, timeout: float) -> None:
    """A quick TCP check of an explicit address: Ray itself waits minutes before giving up on a wrong one."""
    if address in ("auto", "local"):
        return
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port or (10001 if parts.scheme == "ray" else 6379)
    except ValueError:
        raise CrabError(f"{address!r} is not a Ray address like HOST:PORT or ray://HOST:10001") from None
    if not host:
        raise CrabError(f"{address!r} is not a Ray address like HOST:PORT or ray://HOST:10001")
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise CrabError(f"the Ray cluster at {address!r} is unreachable ({reason}); {_HINT}") from None


def _cause(err: Exception) -> str:
    cause = getattr(err, "cause", None)
    return _first_line(cause) if cause is not None else _first_line(err)


def _first_line(err: BaseException) -> str:
    lines = [x for x in str(err).strip().splitlines() if x.strip()]
    return (lines[-1] if lines and "Traceback" in lines[0] else lines[0] if lines else type(err).__name__)[:300]
