"""Where the per-record stages run: executor plugins (``register_executors``) and the work they carry.

The per-record stages (back-translate, verify) are pure functions of a row, the run's seed and cached LLM
answers. An executor takes chunks of seed rows in seed order and yields, for each chunk and each stage in
turn, ``(stage index, rows after that stage)``, chunks in the order they came; the pipeline appends them to
that stage's checkpoint. So checkpoints, resume and output bytes are the same whichever executor ran them.

``local`` (crabplug/pipeline/local.py, the default) runs the stages in this process. An executor that runs them
elsewhere (the ``ray`` plugin) ships one :class:`Work` to its workers; a worker rebuilds the same plugins and
stages from it and runs chunks with :meth:`Work.run_chunk`, whose :class:`ChunkResult` also carries the counters and LLM
usage the chunk added, folded into the run by :meth:`Job.absorb`. See docs/scaling.md.
"""

from __future__ import annotations

import hashlib
import platform
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from crabplug import plugins
from crabplug.errors import ConfigError, PluginError
from crabplug.stages import Context

_BUILT: dict[str, Any] = {}  # per worker process: the stages of each Work it has seen (plugins load once)


@attrs.frozen
class ChunkResult:
    """What a worker sends back for one chunk."""

    stages: tuple[list[Any], ...]
    """The chunk's rows after each per-record stage, in order (the pipeline's checkpoints take them as they are)."""
    counts: dict[str, float] = attrs.field(factory=dict)
    """Counters the stages added with ``ctx.count`` while running this chunk."""
    usage: dict[str, Any] = attrs.field(factory=dict)
    """LLM usage of this chunk, in ``Usage.snapshot()`` form."""


@attrs.frozen
class Work:
    """Everything a worker process needs to rebuild this run's per-record stages: plain data, cheap to ship."""

    config_text: str
    """The resolved config, as written to the run directory's config.yaml."""
    run_dir: str
    """The run directory on the driver (used by workers that share its file system: the LLM cache lives there)."""
    plugin_modules: tuple[str, ...] = ()
    """``--plugin`` modules the driver loaded."""
    entry_points: tuple[tuple[str, str], ...] = ()
    """Entry-point plugins the driver loaded, with their versions: a worker must have the same ones."""
    limit: int | None = None
    """``--limit`` of the run."""
    host: str = ""
    """The driver's host name: a worker on it shares the run directory's LLM cache (SQLite's WAL needs one host)."""

    @classmethod
    def of(cls, ctx: Context) -> Work:
        """The work of the run ``ctx`` belongs to (its config.yaml must be written)."""
        registry = ctx.registry
        entry = dict(registry.versions)
        core = set(plugins.CORE_PLUGINS)
        modules = tuple(n for n, _ in registry.pm.list_name_plugin() if n not in entry and n not in core)
        return cls(
            config_text=(ctx.run_dir / "config.yaml").read_text(encoding="utf-8"),
            run_dir=str(ctx.run_dir),
            plugin_modules=modules,
            entry_points=tuple(sorted(entry.items())),
            limit=ctx.limit,
            host=platform.node(),
        )

    @property
    def key(self) -> str:
        """A content hash: a worker builds the stages once per distinct Work."""
        return hashlib.sha256(repr(attrs.astuple(self)).encode()).hexdigest()[:16]

    def check(self) -> dict[str, Any]:
        """Build the stages here (loading every plugin) and say where: raises a one-sentence CrabError when this
        process cannot (a plugin missing, at another version, or failing to import)."""
        built = self._built()
        return {"host": platform.node(), "plugins": dict(built.ctx.registry.versions)}

    def run_chunk(self, rows: list[Any], spent: float = 0.0) -> ChunkResult:
        """Run the per-record stages on ``rows`` in this process. ``spent``: dollars the run had spent when the
        chunk was sent, so that ``llm.max_cost`` holds here too."""
        built = self._built()
        ctx = built.ctx
        before = ctx.usage.snapshot()
        ctx.usage.spent_before = spent - before["total"]["cost"]
        ctx.stats.clear()
        import asyncio  # here: the core plugin module imports this one at every plugin load

        stages = asyncio.run(built.records.run(rows))
        counts = {k: v for k, v in ctx.stats.items() if isinstance(v, int | float) and not isinstance(v, bool)}
        return ChunkResult(stages=tuple(stages), counts=counts, usage=_delta(ctx.usage.snapshot(), before))

    def read_part(self, part: Any) -> tuple[list[Any], list[Any]]:
        """Read a seed part here: the keys the driver's filters need, and the records (kept where they were read)."""
        from crabplug.pipeline.seed_parts import read_part

        built = self._built()
        return read_part(built.sources, built.ctx, part)

    def run_picks(self, records: list[Any], picks: Any, spent: float = 0.0) -> ChunkResult:
        """The stages on the records of a part the driver's filters passed, numbered as it said; the rows come back
        as checkpoint lines (``RowLine``), written here rather than on the driver."""
        from crabplug.pipeline.seed_parts import RowLine, pick

        result = self.run_chunk(pick(records, picks), spent)
        return attrs.evolve(result, stages=tuple([RowLine.of(r) for r in rows] for rows in result.stages))

    def _built(self) -> Any:
        if self.key not in _BUILT:
            _BUILT[self.key] = _build(self)
        return _BUILT[self.key]


@attrs.frozen
class _Built:
    ctx: Context
    records: Any
    sources: list[Any]


def _build(work: Work) -> _Built:
    # imported here: the core plugin module (pipeline.local) imports this one, and must stay cheap to load
    from crabplug import config as config_mod
    from crabplug.llm.usage import Usage
    from crabplug.pipeline.assemble import build_stage, open_context
    from crabplug.pipeline.record_stages import RecordStages

    wanted = dict(work.entry_points)
    registry = plugins.load(work.plugin_modules, only=list(wanted))
    for name, version in wanted.items():
        here = registry.versions.get(name)
        if here is None:
            raise PluginError(f"plugin {name!r} ({version}) is not installed here: install the driver's plugins")
        if here != version:
            raise PluginError(f"plugin {name!r} is {here} here but {version} on the driver: install the same version")
    run_dir = Path(work.run_dir)
    if work.host != platform.node() or not run_dir.is_dir():  # another node: an LLM cache of this node's own
        run_dir = Path(tempfile.gettempdir()) / f"crabplug-work-{work.key}"
        run_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.gettempdir()) / f"crabplug-work-{work.key}.yaml"  # never a file in the run directory
    path.write_text(work.config_text, encoding="utf-8")
    config, _ = config_mod.load(path)
    stages = {
        kind: [build_stage(registry, kind, spec) for spec in config.stage_lists[kind]]
        for kind in ("seed_sources", "back_translators", "verifiers")
    }
    # cores=1: the executor's workers are the parallelism; a stage inside one starts no processes of its own
    ctx = open_context(config, registry, run_dir, limit=work.limit, usage=Usage(), cores=1)
    records = RecordStages(stages["back_translators"], stages["verifiers"], ctx)
    return _Built(ctx=ctx, records=records, sources=stages["seed_sources"])


def _delta(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    if isinstance(after, dict):
        out = {k: _delta(v, before.get(k, {} if isinstance(v, dict) else 0)) for k, v in after.items()}
        return {k: v for k, v in out.items() if v}
    return after - before


@attrs.define
class Job:
    """What an executor is started with, on the driver: the run's context, its stages here, the shippable work."""

    ctx: Context
    records: Any
    """The per-record stages built in this process (``RecordStages``): what ``local`` runs."""
    _work: Work | None = None

    @property
    def work(self) -> Work:
        """The run as plain data for worker processes (made on first use: ``local`` never needs it)."""
        if self._work is None:
            self._work = Work.of(self.ctx)
        return self._work

    def absorb(self, result: ChunkResult) -> None:
        """Fold a chunk's counters and LLM usage, made in another process, into the run."""
        for key, n in result.counts.items():
            self.ctx.count(key, n)
        if result.usage and self.ctx.usage is not None:
            self.ctx.usage.add(result.usage)

    def spent(self) -> float:
        """Dollars the run directory has spent so far, earlier runs included (for ``llm.max_cost``)."""
        before = float((getattr(self.ctx, "usage_before", None) or {}).get("total", {}).get("cost", 0.0) or 0.0)
        now = self.ctx.usage.snapshot()["total"]["cost"] if self.ctx.usage is not None else 0.0
        return before + float(now)


def build_executor(registry: Any, name: str = "local", options: dict[str, Any] | None = None) -> Any:
    """The executor ``name`` with ``options`` (from ``--executor-opt KEY=VALUE``), validated."""
    cls = registry.get("executors", name)
    options = dict(options or {})
    if attrs.has(cls):
        known = {f.alias or f.name for f in attrs.fields(cls) if f.init}
        if unknown := sorted(set(options) - known):
            raise ConfigError(
                f"executor {name!r} has no option {unknown[0]!r}; options: {', '.join(sorted(known)) or 'none'}"
            )
    try:
        return cls(**options)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"executor {name!r}: {err}") from None


def parse_options(pairs: Iterable[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings (values read as YAML: numbers, booleans, strings) as a mapping."""
    import yaml

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"executor option {pair!r} is not KEY=VALUE, e.g. address=ray://head:10001")
        try:
            options[key.strip()] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError:
            options[key.strip()] = value
    return options
