"""Back-translator ``rules``: every registered constraint type that can ``derive`` is asked for kwargs the
response already satisfies; only those its ``check`` confirms are kept (origin ``rule``, verified by code)."""

from __future__ import annotations

import fnmatch
from typing import Any, ClassVar

import attrs

from crabplug import Constraint, Context, Example, StageForecast, check, language_of, type_options
from crabplug_crab import reader


def _globs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@attrs.frozen
class RulesBackTranslator:
    """Rule back-translation over every constraint type with a ``derive`` (any family, the crab one included)."""

    name: ClassVar[str] = "rules"
    types: tuple[str, ...] = attrs.field(default=("*",), converter=_globs)
    """Glob patterns of type ids to derive (``crab:*``, ``keywords:*``...); default every type with a derive."""
    exclude: tuple[str, ...] = attrs.field(default=(), converter=_globs)
    """Glob patterns of type ids never derived (e.g. ``language:*``)."""
    max_per_family: int | None = None
    """At most this many constraints per family per example (picked at random from those found); None: no cap."""
    workers: int | None = None
    """Derive in this many worker processes; None (the default): the run's ``workers``, every core unless told
    otherwise, from the second chunk of records on (a small run never pays to start them); 0: in the run's
    process. The same results whatever the number."""
    reader_check: bool = True
    """Emit only what a reader sees true as the checker does (``crabplug_crab.reader.objection``): no bound far
    from the answer's value, nothing true only through code, another script or a splitter, no trivial
    satisfaction; each one left out is counted (``rules.reader_dropped.CLASS``)."""

    def selected(self, ctx: Context) -> list:
        """The constraint types this back-translator derives, in id order."""
        out = []
        for tid, ctype in sorted(ctx.registry.constraint_types.items()):
            if ctype.derive is None or ctype.check is None or not ctype.training:  # eval-only types stay out
                continue
            if not any(fnmatch.fnmatchcase(tid, g) for g in self.types):
                continue
            if any(fnmatch.fnmatchcase(tid, g) for g in self.exclude):
                continue
            out.append(ctype)
        return out

    def forecast(self, example: Example, ctx: Context, pending: tuple[str, ...]) -> StageForecast:
        """Code only: no LLM calls, and every constraint it derives has a code check."""
        return StageForecast()

    _seen: list[int] = attrs.field(factory=lambda: [0], init=False, eq=False, repr=False)

    def _processes(self, ctx: Context) -> int:
        """Worker processes for the next record: 0 (this process) until the first chunk has been derived here."""
        if self.workers is not None:
            return self.workers
        self._seen[0] += 1
        chunk = getattr(ctx.config, "chunk_size", 64)
        return ctx.cores if ctx.cores > 1 and self._seen[0] > max(chunk, _IN_PROCESS_FIRST) else 0

    async def translate(self, example: Example, ctx: Context) -> list[Constraint]:
        workers = self._processes(ctx)
        if workers <= 0:
            return self.derive_all(example, ctx)
        import asyncio

        loop = asyncio.get_running_loop()
        plugins = (ctx.registry.modules, ctx.registry.only)  # the workers load what this process loaded
        settings = getattr(ctx.config, "constraints", None)
        options = (self.types, self.exclude, self.max_per_family, settings, plugins, self.reader_check)
        rows, counts = await loop.run_in_executor(
            _pool(workers), _derive_in_worker, options, ctx.seed, example.to_dict()
        )
        for key, n in counts.items():
            ctx.count(key, n)
        return [Constraint.from_dict(r) for r in rows]

    def derive_all(self, example: Example, ctx: Context) -> list[Constraint]:
        """The constraints found for one example, in this process."""
        found: list[Constraint] = []
        settings = getattr(ctx.config, "constraints", None)
        language = language_of(example.metadata)
        for ctype in self.selected(ctx):
            if ctype.language != language and (language == "en" or language not in ctype.phrasings):
                if language != "en":  # a type that cannot be said in the seed's language is not derived
                    ctx.count(f"rules.no_phrasing.{language}")
                continue
            try:
                rng = ctx.rng("rules", example.id, ctype.id)
                if ctype.options:  # options (the keyword extractor...) come from the config's constraints:
                    kwargs = ctype.derive(example, rng, **type_options(ctype, settings))
                else:
                    kwargs = ctype.derive(example, rng)
                if kwargs is None:
                    continue
                ok = check(ctype, example.response, kwargs)
            except Exception:  # noqa: BLE001 - a type's bug on one response costs that constraint only
                ctx.count("rules.derive_errors")
                continue
            if not ok:  # a derive that its own check rejects is dropped, never emitted
                ctx.count("rules.rejected_by_check")
                continue
            objection = reader.objection(ctype, kwargs, example.response) if self.reader_check else None
            if objection is not None:
                ctx.count(f"rules.reader_dropped.{objection}")
                continue
            found.append(Constraint(type=ctype.id, kwargs=kwargs, origin="rule", verified=True, verified_by="code"))
        if self.max_per_family is not None:
            rng = ctx.rng("rules-cap", example.id)
            by_family: dict[str, list[Constraint]] = {}
            for c in found:
                by_family.setdefault(ctx.registry.constraint_types[c.type].family, []).append(c)
            keep = set()
            for group in by_family.values():
                keep.update(id(c) for c in rng.sample(group, min(len(group), self.max_per_family)))
            found = [c for c in found if id(c) in keep]
        return found


#: records derived in the run's own process before workers start: a small run (a test, a quickstart) costs no
#: process start-up (each worker loads the plugins: about 1.5 CPU-seconds)
_IN_PROCESS_FIRST = 256
_POOLS: dict[int, Any] = {}
_WORKER_CTX: dict[str, Any] = {}


def _pool(workers: int) -> Any:
    """One process pool per size, started on first use (spawned: no state inherited from the run)."""
    if workers not in _POOLS:
        import atexit
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        atexit.register(_POOLS[workers].shutdown, cancel_futures=True)
    return _POOLS[workers]


def _derive_in_worker(options: tuple, seed: int, example: dict) -> tuple[list[dict], dict[str, int]]:
    """Runs in a worker: the same plugins as the run, the run's seed, the same per-record rngs."""
    import tempfile
    from pathlib import Path
    from types import SimpleNamespace

    from crabplug import load_plugins as load

    types, exclude, cap, settings, (modules, only), reader_check = options
    if (modules, only) not in _WORKER_CTX:  # the run's --plugin modules too, so their types are derived here
        _WORKER_CTX[(modules, only)] = load(modules, only=only)
    config = SimpleNamespace(constraints=settings)
    registry = _WORKER_CTX[(modules, only)]
    ctx = Context(run_dir=Path(tempfile.gettempdir()), seed=seed, registry=registry, config=config)
    rules = RulesBackTranslator(types=types, exclude=exclude, max_per_family=cap, reader_check=reader_check, workers=0)
    found = rules.derive_all(Example.from_dict(example), ctx)
    return [c.to_dict() for c in found], dict(ctx.stats)
