"""Run configs: YAML -> validated attrs. Unknown keys and wrong types are errors naming the key and line.

A stage is ``{plugin: NAME, ...options}``; the options are the plugin class's attrs fields, so a
plugin's documentation and its validation come from one place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import yaml

from crabplug.config.located import Located, load_located
from crabplug.config.typecheck import describe_type, matches
from crabplug.errors import ConfigError


@attrs.frozen
class StageSpec:
    """One stage in a config: the plugin that runs it and its options."""

    plugin: str
    """The registered name of the plugin class (``rules``, ``crab``, ``jsonl``...)."""
    options: dict[str, Any] = attrs.field(factory=dict)
    """Keyword arguments for the plugin class (its attrs fields)."""
    where: str = ""
    """``file:line`` of the stage in the config, for error messages."""
    option_lines: dict[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    """``file:line`` of each option."""

    def build(self, cls: type, label: str) -> Any:
        """Validate the options against ``cls``'s fields and make the plugin object."""
        check_fields(cls, self.options, label=label, where=lambda k: self.option_lines.get(k) or self.where)
        try:
            return cls(**self.options)
        except (TypeError, ValueError) as err:
            raise ConfigError(f"{self.where}: {label}: {err}") from None


@attrs.frozen
class Filters:
    """The paper's seed filters, applied in the core to every source's records."""

    min_words: int = 0
    """Responses shorter than this many words are dropped (paper: 200)..."""
    keep_short_rate: float = 0.0
    """...except this share of them, kept at random for diversity (paper: 0.1)."""
    max_per_source: int | None = None
    """Keep at most this many records per source (paper: 20,000); None: no cap."""
    dedup: bool = True
    """Drop exact duplicates (same instruction, response and context)."""
    max_record_chars: int = 1_000_000
    """A seed record longer than this (instruction, response and context, in characters) goes to failures.jsonl
    with its file:line instead of stalling the stages; the rest go on."""


@attrs.frozen
class RunConfig:
    """A whole run: seeds -> back-translators -> verifiers -> combiner -> outputs (-> trainers)."""

    name: str = "run"
    """A label for the run (shown in the dataset card)."""
    seed: int = 0
    """One seed for all randomness: the same config gives the same dataset byte for byte."""
    run_dir: str = "runs/run"
    """Where the run writes everything (relative to the current directory)."""
    limit: int | None = None
    """Only this many seed records pass the filters (like ``--limit``)."""
    chunk_size: int = 64
    """Records processed concurrently between checkpoints."""
    workers: int | None = None
    """Processes on this machine for the per-record work that can spread (the ``rules`` back-translator's
    derivations): None (the default) uses every core this process may run on, 1 keeps it in this process.
    The output is the same bytes whatever the number."""
    seeds: tuple[StageSpec, ...] = ()
    """Seed sources, read in order."""
    filters: Filters = Filters()
    """Seed filters (see :class:`Filters`)."""
    llm: dict[str, Any] = attrs.field(factory=dict)
    """Default LLM settings for every stage that calls one (see docs/llm.md)."""
    back_translators: tuple[StageSpec, ...] = ()
    """Example -> candidate constraints; their candidates are pooled."""
    verifiers: tuple[StageSpec, ...] = (StageSpec("code"),)
    """Run in order per candidate constraint; the first decisive verdict wins."""
    combiner: StageSpec | None = None
    """Verified constraints -> complex-instruction samples."""
    outputs: tuple[StageSpec, ...] = ()
    """Writers of the run directory's dataset files; an output's ``path`` (and ``*_path``) is a plain file name
    in the run directory, not one of its own (``config.yaml``, ``samples.jsonl``...) nor another output's."""
    train: tuple[StageSpec, ...] = ()
    """Trainers run after the data (optional)."""
    constraints: dict[str, Any] = attrs.field(factory=dict)
    """Options of constraint types by type id or glob, e.g. ``{"crab:keywords": {"extractor": "yake"}}``;
    the resolved values of every type with options are written to config.yaml (they change the data)."""

    @property
    def stage_lists(self) -> dict[str, tuple[StageSpec, ...]]:
        """Every stage by the registry kind that provides its plugin."""
        return {
            "seed_sources": self.seeds,
            "back_translators": self.back_translators,
            "verifiers": self.verifiers,
            "combiners": (self.combiner,) if self.combiner else (),
            "outputs": self.outputs,
            "trainers": self.train,
        }


_STAGE_LISTS = {"seeds", "back_translators", "verifiers", "outputs", "train"}


def _where(loc: Located, path: tuple) -> str:
    if path in loc.overridden:
        return f"--set {'.'.join(map(str, path))}"
    line = loc.line(path)
    return f"{loc.file}:{line}" if line else loc.file


def _stage(loc: Located, path: tuple, value: Any) -> StageSpec:
    key = ".".join(map(str, path))
    if isinstance(value, str):
        return StageSpec(plugin=value, where=_where(loc, path))
    if not isinstance(value, dict) or not isinstance(value.get("plugin"), str):
        raise ConfigError(f"{_where(loc, path)}: {key} must be a mapping with a 'plugin' name, e.g. {{plugin: rules}}")
    options = {k: v for k, v in value.items() if k != "plugin"}
    lines = {k: _where(loc, (*path, k)) for k in options}
    return StageSpec(plugin=value["plugin"], options=options, where=_where(loc, path), option_lines=lines)


def check_fields(cls: type, options: dict[str, Any], *, label: str, where: str | Any) -> None:
    """Fail on an option ``cls`` does not have or a value of the wrong type, naming both.

    ``where`` is ``file:line`` or a function of the option name that returns it.
    """
    fields = {f.name: f for f in attrs.fields(attrs.resolve_types(cls)) if f.init}
    for key, value in options.items():
        if callable(where):
            where_key = where(key)
        else:
            where_key = where
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            raise ConfigError(f"{where_key}: unknown option {key!r} for {label} (options: {known})")
        expected = fields[key].type
        if expected is not None and not matches(value, expected):
            raise ConfigError(
                f"{where_key}: option {key!r} of {label} must be {describe_type(expected)}, got {value!r}"
            )


def parse(data: Any, loc: Located) -> RunConfig:
    """Validate a loaded YAML document into a RunConfig."""
    if not isinstance(data, dict):
        raise ConfigError(f"{loc.file}: a config must be a mapping of sections (seeds, back_translators, ...)")
    fields = {f.name for f in attrs.fields(RunConfig)}
    for key in data:
        if key not in fields:
            raise ConfigError(f"{_where(loc, (key,))}: unknown key {key!r} (known: {', '.join(sorted(fields))})")
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in _STAGE_LISTS:
            items = value if isinstance(value, list) else [value] if value else []
            kwargs[key] = tuple(_stage(loc, (key, i), v) for i, v in enumerate(items))
        elif key == "combiner":
            kwargs[key] = _stage(loc, (key,), value) if value else None
        elif key == "llm":
            kwargs[key] = _llm_section(loc, value)
        elif key == "filters":
            if not isinstance(value, dict):
                raise ConfigError(f"{_where(loc, (key,))}: filters must be a mapping")
            check_fields(Filters, value, label="filters", where=lambda k, key=key: _where(loc, (key, k)))
            kwargs[key] = Filters(**value)
        else:
            kwargs[key] = value
    plain = {k: v for k, v in kwargs.items() if k not in _STAGE_LISTS | {"combiner", "filters"}}
    check_fields(RunConfig, plain, label="the run", where=lambda k: _where(loc, (k,)))
    _check_ranges(data, loc)
    return RunConfig(**kwargs)


#: the allowed range (low, high; None: open) of every numeric setting the core reads, by its path in the config
RANGES: dict[tuple[str, ...], tuple[float | None, float | None]] = {
    ("limit",): (1, None),
    ("chunk_size",): (1, 100_000),
    ("workers",): (1, 1_024),
    ("filters", "min_words"): (0, None),
    ("filters", "keep_short_rate"): (0, 1),
    ("filters", "max_per_source"): (1, None),
    ("filters", "max_record_chars"): (1, None),
    ("llm", "concurrency"): (1, 100_000),
    ("llm", "rpm"): (1, None),
    ("llm", "tpm"): (1, None),
    ("llm", "timeout"): (0.001, None),
    ("llm", "max_retries"): (0, 1_000),
    ("llm", "temperature"): (0, 2),
    ("llm", "top_p"): (0, 1),
    ("llm", "max_tokens"): (1, None),
    ("llm", "max_cost"): (0, None),
    ("llm", "batch_window"): (0, None),
    ("llm", "batch_poll"): (0.001, None),
}


def in_range(low: float | None, high: float | None) -> str:
    """A range in words: "at least 0", "from 0 to 1"."""
    if high is None:
        return f"at least {low}"
    return f"from {low} to {high:,}" if low is not None else f"at most {high:,}"


def _check_ranges(data: dict, loc: Located) -> None:
    """Refuse a number outside its setting's :data:`RANGES`, naming the key (types were checked before)."""
    for path, (low, high) in RANGES.items():
        node: Any = data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, bool) or not isinstance(node, int | float):
            continue
        if (low is not None and node < low) or (high is not None and node > high):
            key = ".".join(path)
            raise ConfigError(f"{_where(loc, path)}: {key} must be {in_range(low, high)}, got {node!r}")


def _llm_section(loc: Located, value: Any) -> dict[str, Any]:
    """The ``llm:`` mapping, type-checked against the door's settings like stage options are."""
    from crabplug.llm import LLMSettings  # light: litellm itself is imported only when a call is made

    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(loc, ('llm',))}: llm must be a mapping of settings, e.g. llm: {{model: ...}}")
    check_fields(LLMSettings, value, label="llm", where=lambda k: _where(loc, ("llm", k)))
    return value


def apply_override(data: dict, loc: Located, assignment: str) -> None:
    """Apply ``a.b=c`` (YAML-typed value) in place; list items by index or by their plugin name."""
    path, sep, raw = assignment.partition("=")
    if not sep or not path:
        raise ConfigError(f"--set {assignment!r}: write it as KEY=VALUE, e.g. --set filters.min_words=100")
    value = yaml.safe_load(raw) if raw else ""
    parts = path.split(".")
    resolved: list[Any] = []  # the path with list items as indexes, as errors look lines up
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            index = _list_index(node, part, assignment)
            resolved.append(index)
            if last:
                node[index] = value
            elif isinstance(node[index], str):  # a stage named bare (`- rules`) takes options as {plugin: rules}
                node[index] = {"plugin": node[index]}
            node = node[index]
            continue
        if not isinstance(node, dict):
            raise ConfigError(f"--set {assignment!r}: {'.'.join(parts[:i])} is not a mapping")
        resolved.append(part)
        if last:
            node[part] = value
        else:
            node = node.setdefault(part, {})
    for key in {tuple(parts), tuple(resolved)}:
        loc.lines.setdefault(key, 0)
        loc.overridden.add(key)


def _list_index(items: list, part: str, assignment: str) -> int:
    if part.isdigit() and int(part) < len(items):
        return int(part)
    for i, item in enumerate(items):
        if item == part or (isinstance(item, dict) and item.get("plugin") == part):
            return i
    raise ConfigError(f"--set {assignment!r}: no list item {part!r} (use an index or a plugin name)")


def load(path: Path, overrides: tuple[str, ...] = ()) -> tuple[RunConfig, dict]:
    """Read, override and validate a config file; returns the config and the resolved YAML data."""
    data, loc = load_located(path)
    data = data if data is not None else {}
    for assignment in overrides:
        if not isinstance(data, dict):
            break
        apply_override(data, loc, assignment)
    return parse(data, loc), data


#: a setting whose name ends so holds a secret (``llm.extra.api_key``, an ``Authorization`` header, ``hf_token``);
#: ``api_key_env`` names a variable and ``max_tokens`` counts, so neither matches
_SECRET_SETTING = re.compile(r"(^key|api_?key|token|secret|password|passwd|authorization|credentials?)$", re.I)

#: what a secret setting's value becomes in the run directory's config.yaml
REDACTED = "***"


def redacted(data: Any) -> Any:
    """``data`` with the value of every secret-named setting, at any depth, replaced by :data:`REDACTED`."""
    if isinstance(data, dict):
        return {k: REDACTED if isinstance(k, str) and _SECRET_SETTING.search(k) and isinstance(v, str) and v
                else redacted(v) for k, v in data.items()}
    if isinstance(data, list):
        return [redacted(v) for v in data]
    return data


def dump(data: dict) -> str:
    """The resolved config as YAML, as written into the run directory: secrets given in the config or with
    ``--set`` are written as ``***`` (a key belongs in the environment, named by ``llm.api_key_env``)."""
    return yaml.safe_dump(redacted(data), sort_keys=False, allow_unicode=True)
