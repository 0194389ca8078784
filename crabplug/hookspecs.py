"""Every hook: the whole contract between crabplug's core and its plugins, grouped by when a run uses it.

Each ``register_*`` hook receives a :class:`crabplug.Registrar` (``register``): calling it with an object of the
wrong shape, or a name already taken, fails at load time naming both plugins. The kinds of registration are the
``register_*`` hooks' names (``register_seed_sources`` registers ``seed_sources``): :data:`KINDS` is made from
them. docs/hooks.md is generated from these docstrings (``python -m crabplug.cli.docgen hooks``); the first
paragraph of each is its summary, the rest its reference.
"""

from __future__ import annotations

from typing import Any

import pluggy

import crabplug  # the public front imports nothing at load, so the annotations below cost nothing

hookspec = pluggy.HookspecMarker("crabplug")
hookimpl = pluggy.HookimplMarker("crabplug")

# -- making data: seeds in, constraints found and checked, samples out -----------------------------------------


@hookspec
def register_seed_sources(register: crabplug.Registrar) -> None:
    """Register seed sources: ``register(cls)``, a class with ``name`` and ``read(self, ctx)``.

    ``read(self, ctx) -> Iterator[Example | Failure]`` yields a ``Failure`` (with ``where="file:line"``) for a
    record that cannot be read, and goes on. Optional (``crabplug.PartedSource``), so that an executor's workers
    read the seeds themselves ([scaling.md](scaling.md#who-reads-the-seeds)): ``pieces(self, ctx, size)`` — small
    picklable descriptions of consecutive parts of about ``size`` records, in read order (None: this source
    cannot be split) — and ``read_piece(self, ctx, piece)``, which yields exactly that piece's records, on any
    machine; all pieces read in order must yield what ``read`` yields.
    """


@hookspec
def register_constraint_types(register: crabplug.Registrar) -> None:
    """Register constraint types: ``register(ConstraintType(...))``.

    A ``crabplug.ConstraintType``: ``id`` (namespaced, ``family:name``), ``family``, ``describe(kwargs, rng) ->
    str``, optional ``check(response, **kwargs) -> bool`` (None: only an LLM can judge), optional ``derive(example,
    rng) -> kwargs | None``, ``kwargs`` names, ``conflicts`` (ids never to be combined with it), ``summary``, and
    ``example`` kwargs for ``crabplug constraints``. Optional too: ``ranges`` (the natural range of each numeric
    kwarg), ``options`` (``TypeOption``s a run sets in its config's ``constraints:`` section; ``derive`` receives
    them as keywords), ``transform`` (a ``Transform``: a meaning-keeping edit that makes the type true of a copy
    of a response, used by the ``transform`` back-translator), ``parse(sentence) -> kwargs | None`` (the kwargs a
    free-text constraint an LLM wrote states when it says exactly what this type checks — "at least 300 words" —
    so code verifies it) and ``training=False`` for evaluation-only types. Free-text constraints have registered
    types too (crab's ``llm:<category>``, ``check=None``): a back-translator that returns a type no plugin
    registered fails that record's back-translation with a reason. See
    [writing-a-constraint-family.md](writing-a-constraint-family.md).
    """


@hookspec
def register_back_translators(register: crabplug.Registrar) -> None:
    """Register back-translators: ``register(cls)``, a class with ``name`` and ``translate(self, example, ctx)``.

    ``translate(self, example, ctx) -> list[Constraint]``: the constraints the response already satisfies. Raise
    ``RecordError(reason, raw=...)`` when this record cannot be handled: it is logged in ``failures.jsonl``, and
    the record keeps the other back-translators' constraints. A back-translator that calls an LLM is also
    ``crabplug.Forecasting``: ``forecast(self, example, ctx, pending) -> StageForecast``, the ``CallEstimate``s
    it would make for ``example`` (the messages, ``max_tokens``, a typical answer length) and, as ``pending``, the
    texts of the candidates only an LLM can verify. ``crabplug run --dry-run`` counts, prices and times them
    ([llm.md](llm.md#forecast-before-spending---dry-run)).
    """


@hookspec
def register_verifiers(register: crabplug.Registrar) -> None:
    """Register verifiers: ``register(cls)``, a class with ``name`` and ``verify(self, example, constraint, ctx)``.

    ``verify(...) -> Verdict``. Verifiers run in the config's order; the first verdict with ``ok`` True or False
    decides; ``ok=None`` passes the constraint on. The core registers ``code`` (the type's ``check``). A verifier
    that calls an LLM is ``crabplug.Forecasting`` too: its calls for the ``pending`` candidate texts.
    """


@hookspec
def register_combiners(register: crabplug.Registrar) -> None:
    """Register combiners: ``register(cls)``, a class with ``name`` and ``combine(self, records, ctx)``.

    ``combine(self, records: Iterator[Annotated], ctx) -> Iterator[Sample | Failure]``. Records arrive in seed
    order; the combiner is re-run from the start on every resume, so it must be deterministic (use ``ctx.rng``).
    """


@hookspec
def register_outputs(register: crabplug.Registrar) -> None:
    """Register output writers: ``register(cls)``, a class with ``name``, ``open``, ``write`` and ``close``.

    ``open(self, ctx)``, ``write(self, samples, ctx) -> list[Failure]`` and ``close(self, ctx) -> dict`` (stats for
    the dataset card, with the files it wrote, relative to the run directory, under ``file`` — or ``files`` when
    several). Write to a temporary file and rename it in ``close`` (``crabplug.AtomicJsonl`` does both), so a
    kill never leaves half a file. Optional (``crabplug.Reporting``): ``report(self, ctx)``, called after every
    output has closed, when ``ctx.stats`` holds the whole run's counts and ``ctx.stats["outputs"]`` every
    output's ``close`` stats — the dataset card (``card``) writes README.md there.
    """


# -- models: the LLM door, and the models a plugin serves ------------------------------------------------------


@hookspec
def register_llm_providers(register: crabplug.Registrar) -> None:
    """Register litellm custom providers: ``register(name, handler_factory)``.

    The provider prefix (``local`` makes ``local/...`` model strings work) and a function returning a
    ``litellm.CustomLLM``. The LLM door installs every registered provider into litellm.
    """


@hookspec(firstresult=True)
def default_llm_model() -> str | None:
    """The litellm model string used when a config sets no ``llm.model`` (the first plugin that answers wins).

    The built-in ``local`` plugin answers ``local/smollm2-135m``, the embedded offline model.
    """


@hookspec(firstresult=True)
def resolve_model_path(name: str) -> str | None:
    """A local transformers checkpoint directory for a model string a plugin serves (``local/...``), or None.

    ``name`` is a model string such as ``local/smollm2-135m`` (first result wins). The ``local`` plugin converts
    its GGUF once and returns the converted directory, so trainers and ``crabplug experiment`` can fine-tune and
    evaluate the embedded model like any Hugging Face checkpoint.
    """


@hookspec(firstresult=True)
def too_small_to_judge(model: str) -> bool | None:
    """True when ``model`` (a litellm model string a plugin serves) is too small for its YES to verify a constraint.

    First result wins; None: no opinion. The LLM judge then keeps what such a model passed as a *candidate*:
    unverified, out of the training data, counted in the dataset card, unless the judge's
    ``trust_small_judge: true`` opts in. ``crabplug.can_judge(registry, model)`` asks it. The ``local`` plugin
    answers True for ``local/smollm2-135m``.
    """


# -- training and evaluation -------------------------------------------------------------------------------------


@hookspec
def register_trainers(register: crabplug.Registrar) -> None:
    """Register trainers: ``register(cls)``, a class with ``name`` and ``train(self, ctx) -> Path``.

    ``train`` trains from the run directory's dataset and returns where the model was saved.
    """


@hookspec
def register_benchmarks(register: crabplug.Registrar) -> None:
    """Register benchmarks: ``register(cls)``, a class with ``name`` and ``prompts(self)``.

    ``prompts(self) -> Iterator[dict]`` (``key``, ``prompt``, ``instruction_id_list``, ``kwargs``), scored by the
    registered constraint types.
    """


# -- where the work runs -----------------------------------------------------------------------------------------


@hookspec
def register_executors(register: crabplug.Registrar) -> None:
    """Register executors: ``register(cls)``, where the per-record stages (back-translate, verify) run.

    A class with ``name``, ``start(self, job)``, ``map(self, chunks)`` and ``stop(self)`` (``crabplug.Executor``).
    ``start`` receives a ``crabplug.Job``: ``job.work`` is a ``crabplug.Work``, plain data from which a worker
    process rebuilds the same plugins and stages (``work.check()``, ``work.run_chunk(rows, spent)`` returning a
    ``ChunkResult``), and ``job.absorb(result)`` folds a chunk's counters and LLM usage into the run. ``map`` is an
    async generator yielding ``(stage index, rows)`` for each chunk and each stage, chunks in the order they came,
    so the pipeline writes the same checkpoints whichever executor ran them. Optional (``crabplug.PartsExecutor``):
    ``map_parts(self, feed)``, for workers that read the seeds themselves. ``start`` raises a one-sentence
    ``CrabError`` when it cannot run (an unreachable cluster, a worker missing a plugin) — before any record is
    processed. The core registers ``local`` (this process, the default); the ``ray`` plugin runs them on a Ray
    cluster (``crabplug run --executor ray``, [scaling.md](scaling.md)).
    """


# -- the command line ------------------------------------------------------------------------------------------


@hookspec
def register_commands(cli: Any) -> None:
    """Add click commands to the ``crabplug`` group ``cli``.

    ``cli`` is the ``click.Group``: call ``cli.add_command(...)`` or decorate with ``@cli.command()``. Import what
    a command needs inside it, so ``crabplug --help`` stays fast.
    """


#: kind of registration -> the hook that collects it, made from the ``register_*`` hooks above
KINDS = {
    name.removeprefix("register_"): name
    for name, value in dict(globals()).items()
    if name.startswith("register_") and name != "register_commands" and callable(value)
}
