"""The plugin manager: built-ins and third-party packages alike come in through entry points.

- ``CRABPLUG_PLUGINS=a,b`` loads only the named entry-point plugins (empty: none).
- ``--plugin MODULE`` (or ``load(modules=[...])``) registers a module by import.
- ``CRABPLUG_TRACE_PLUGINS=1`` prints every hook call (pluggy's tracing) to stderr.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from crabplug import hookspecs
from crabplug.errors import PluginError

if TYPE_CHECKING:
    from crabplug.constraints import ConstraintType

GROUP = "crabplug"
#: the core's own plugins: registered name -> module. The names are what plugins.json records (a resume compares
#: them), so they stay put when a module moves.
CORE_PLUGINS = {
    "crabplug.verifiers": "crabplug.pipeline.code_verifier",
    "crabplug.executors": "crabplug.pipeline.local",
}

#: kind of registration -> the hook that collects it (one list: the ``register_*`` hooks in hookspecs.py)
KINDS = hookspecs.KINDS
#: kind -> the methods a registered class must have (its Protocol in crabplug.stages); a tuple inside a tuple
#: means one of them (an executor has ``map`` or ``map_parts``)
REQUIRED_METHODS: dict[str, tuple[Any, ...]] = {
    "seed_sources": ("read",),
    "back_translators": ("translate",),
    "verifiers": ("verify",),
    "combiners": ("combine",),
    "outputs": ("open", "write", "close"),
    "trainers": ("train",),
    "benchmarks": ("prompts",),
    "executors": ("start", ("map", "map_parts"), "stop"),
}


@attrs.define
class Registry:
    """Everything the plugins registered, by kind then name, and which plugin registered it."""

    pm: pluggy.PluginManager
    versions: dict[str, str] = attrs.field(factory=dict)
    items: dict[str, dict[str, Any]] = attrs.field(factory=lambda: {k: {} for k in KINDS})
    owners: dict[tuple[str, str], str] = attrs.field(factory=dict)
    modules: tuple[str, ...] = ()
    """The ``--plugin`` modules it was loaded with: another process passes them to :func:`load` to get the same."""
    only: tuple[str, ...] | None = None
    """The entry-point plugins it was restricted to (None: all installed)."""

    def get(self, kind: str, name: str) -> Any:
        """The registered object; a PluginError naming the known ones when missing."""
        try:
            return self.items[kind][name]
        except KeyError:
            known = ", ".join(sorted(self.items[kind])) or "none"
            label = kind.replace("_", " ")[:-1]
            raise PluginError(f"unknown {label} {name!r}; registered: {known}") from None

    @property
    def constraint_types(self) -> dict[str, ConstraintType]:
        """Every registered constraint type by id."""
        return self.items["constraint_types"]

    def owner(self, kind: str, name: str) -> str:
        """The name of the plugin that registered ``name``."""
        return self.owners[(kind, name)]


@attrs.frozen
class Registrar:
    """The ``register`` callback a ``register_*`` hook receives: ``register(obj)`` adds ``obj`` as one of this
    hook's kind, owned by the plugin whose hook it is. It checks the shape at load time: a stage class needs a
    ``name`` and its Protocol's methods (``REQUIRED_METHODS``), a constraint type is a ``ConstraintType``, an LLM
    provider is ``register(name, factory)``. A malformed object, or a name another plugin took, is a
    PluginError naming the plugin (and the first owner)."""

    kind: str
    """The kind of registration (``seed_sources``, ``constraint_types``...): the hook's name without ``register_``."""
    plugin: str
    """The name of the plugin registering."""
    registry: Registry = attrs.field(repr=False)

    def __call__(self, obj: Any, handler: Any = None) -> None:
        name, obj = self._checked(obj, handler)
        items = self.registry.items[self.kind]
        if name in items:
            first = self.registry.owners[(self.kind, name)]
            what = self.kind[:-1].replace("_", " ")
            raise PluginError(
                f"plugin {self.plugin!r} registered {what} {name!r}, already registered by plugin {first!r}"
            )
        items[name] = obj
        self.registry.owners[(self.kind, name)] = self.plugin

    def _checked(self, obj: Any, handler: Any) -> tuple[str, Any]:
        plugin, kind = self.plugin, self.kind
        if kind == "llm_providers":
            if not isinstance(obj, str) or not callable(handler):
                raise PluginError(f"plugin {plugin!r} registered a malformed LLM provider: use register(name, factory)")
            return obj, handler
        if kind == "constraint_types":
            from crabplug.constraints import ConstraintType  # here: crabplug --help loads plugins, not constraints

            if not isinstance(obj, ConstraintType):
                raise PluginError(f"plugin {plugin!r} registered {obj!r}, which is not a crabplug.ConstraintType")
            return obj.id, obj
        name = getattr(obj, "name", None)
        if not isinstance(name, str) or not name or not isinstance(obj, type):
            raise PluginError(
                f"plugin {plugin!r} registered {obj!r} as one of its {kind}: it must be a class with a 'name'"
            )
        for method in REQUIRED_METHODS.get(kind, ()):
            choices = method if isinstance(method, tuple) else (method,)
            if not any(callable(getattr(obj, m, None)) for m in choices):
                raise PluginError(
                    f"plugin {plugin!r} registered {kind[:-1].replace('_', ' ')} {name!r} without a "
                    f"{' or '.join(choices)}() method (see docs/hooks.md)"
                )
        return name, obj


def _new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    if os.environ.get("CRABPLUG_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda msg: sys.stderr.write(msg))
        pm.enable_tracing()
    return pm


def _load_entry_points(pm: pluggy.PluginManager, only: set[str] | None) -> dict[str, str]:
    """Register every ``crabplug`` entry point (or only the named ones); returns name -> version."""
    from importlib.metadata import distributions

    seen: dict[str, str] = {}
    for dist in distributions():
        for ep in dist.entry_points:
            if ep.group != GROUP or ep.name in seen or (only is not None and ep.name not in only):
                continue
            seen[ep.name] = dist.version
            try:
                module = ep.load()
            except Exception as err:  # a broken third-party package must name itself
                raise PluginError(f"plugin {ep.name!r} ({dist.metadata['Name']}) failed to import: {err}") from err
            pm.register(module, name=ep.name)
    return seen


def _only(only: Iterable[str] | None) -> list[str] | None:
    """The entry-point plugins to load: ``only`` as given, else ``CRABPLUG_PLUGINS`` when set, else None (all)."""
    if only is None and "CRABPLUG_PLUGINS" in os.environ:
        return [n.strip() for n in os.environ["CRABPLUG_PLUGINS"].split(",") if n.strip()]
    return None if only is None else list(only)


def manager(modules: Iterable[str] = (), *, only: Iterable[str] | None = None) -> tuple[pluggy.PluginManager, dict]:
    """The plugin manager with the core, entry-point and extra plugins registered and checked, and the entry
    points' versions; no registration collected yet (``crabplug --help`` needs only ``register_commands``)."""
    pm = _new_manager()
    for name, module in CORE_PLUGINS.items():
        pm.register(importlib.import_module(module), name=name)
    only = _only(only)
    versions = _load_entry_points(pm, set(only) if only is not None else None)
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            raise PluginError(f"cannot import plugin module {name!r}: {err}") from err
        if pm.is_registered(module):
            continue
        pm.register(module, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as err:
        name = pm.get_name(err.plugin)
        raise PluginError(f"plugin {name!r} implements a hook crabplug does not have: {err}") from err
    return pm, versions


def load(modules: Iterable[str] = (), *, only: Iterable[str] | None = None) -> Registry:
    """Load core, entry-point and extra plugins, then collect every registration.

    ``only`` (default: ``CRABPLUG_PLUGINS`` when set) restricts entry-point plugins to those names.
    """
    modules = tuple(modules)
    only = _only(only)
    pm, versions = manager(modules, only=only)
    restricted = tuple(sorted(only)) if only is not None else None
    registry = Registry(pm=pm, versions=versions, modules=modules, only=restricted)
    for kind, hook in KINDS.items():
        caller = getattr(pm.hook, hook)
        for impl in caller.get_hookimpls():  # registration order
            register = Registrar(kind=kind, plugin=impl.plugin_name, registry=registry)
            pm.subset_hook_caller(hook, remove_plugins=[p for p in pm.get_plugins() if p is not impl.plugin])(
                register=register
            )
    return registry


def plugin_info(registry: Registry) -> list[dict[str, Any]]:
    """Name, version, implemented hooks and registrations of every loaded plugin (for ``crabplug plugins``)."""
    pm = registry.pm
    versions = registry.versions
    rows = []
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin)
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        registers = {
            kind: sorted(n for (k, n), owner in registry.owners.items() if k == kind and owner == name)
            for kind in KINDS
        }
        rows.append(
            {
                "name": name,
                "version": versions.get(name, _core_version()),
                "hooks": hooks,
                "registers": {k: v for k, v in registers.items() if v},
            }
        )
    return sorted(rows, key=lambda r: r["name"])


def _core_version() -> str:
    from crabplug._version import __version__

    return __version__
