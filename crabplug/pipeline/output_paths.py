"""Where outputs may write: a plain file name in the run directory, never one of the run's own files.

An output's ``path`` (and any ``*_path`` option) is joined to the run directory. ``../x.jsonl`` or an absolute
path would write outside it (and ``crabplug export`` would not carry it); ``config.yaml`` would overwrite the
config every resume reads; ``samples.jsonl`` would be written twice at once. So these are refused when the
stages are built, with the config's file:line, before anything is written.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import attrs

from crabplug.errors import ConfigError

#: files and folders the core keeps in every run directory (``.tmp`` is what atomic writes rename from)
RUN_FILES = frozenset({
    ".lock", "config.yaml", "plugins.json", "stats.json", "usage.json", "review.json", "samples.jsonl",
    "failures.jsonl", "failures.later.jsonl", "llm-cache.sqlite", "llm-cache.sqlite-wal", "llm-cache.sqlite-shm",
    "stages", "card",
})


def _path_options(stage: Any) -> dict[str, str]:
    """An output's ``path`` and ``*_path`` settings, defaults included."""
    if not attrs.has(type(stage)):
        return {}
    return {f.name: value for f in attrs.fields(type(stage))
            if (f.name == "path" or f.name.endswith("_path")) and isinstance(value := getattr(stage, f.name), str)}


def check_output_paths(outputs: list[Any], specs: list[Any]) -> None:
    """Refuse an output path outside the run directory, in a subfolder, of the run's own, or taken twice."""
    taken: dict[str, str] = {}
    for stage, spec in zip(outputs, specs, strict=True):
        for key, value in _path_options(stage).items():
            where = spec.option_lines.get(key) or spec.where
            label = f"{where + ': ' if where else ''}output {spec.plugin!r} {key} {value!r}"
            parts = PurePath(value).parts
            if len(parts) != 1 or parts[0] in ("..", ".") or PurePath(value).is_absolute():
                raise ConfigError(f"{label}: give a file name in the run directory (no folder, no '..', not absolute)")
            if value in RUN_FILES or value.endswith(".tmp") or value.startswith("."):
                raise ConfigError(f"{label}: that name is the run directory's own ({', '.join(sorted(RUN_FILES))}, "
                                  "hidden and .tmp files): choose another file name")
            if value in taken:
                raise ConfigError(f"{label}: {taken[value]} writes that file too: give each output its own file")
            taken[value] = f"output {spec.plugin!r}"
