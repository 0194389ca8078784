"""What else a resume must match besides the config: the plugins that made the records, and the seed limit.

A plugin installed, removed or upgraded between a run and its resume would leave old checkpoints made without
it while plugins.json and the card list it; a ``--limit`` below what the run directory already holds would
leave the records past the limit in the outputs while config.yaml says otherwise. Both are refused with one
sentence, as a changed config is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crabplug.errors import ConfigError

_WAYS_OUT = "use another run_dir (-o DIR) or add --restart to start it over"


def plugin_versions(rows: list[dict[str, Any]]) -> dict[str, str]:
    """name -> version from ``plugin_info`` rows (as plugins.json holds them)."""
    return {r["name"]: str(r.get("version")) for r in rows if isinstance(r, dict) and "name" in r}


#: what a plugin registers that can change a run's records whatever the config names: constraint types (the
#: rules and transform back-translators use every registered type) and LLM providers
_ALWAYS_USED = ("constraint_types", "llm_providers")
#: the stage kinds whose plugins the config names; trainers, benchmarks, executors and commands make no record
_RECORD_STAGES = ("seed_sources", "back_translators", "verifiers", "combiners", "outputs")


def used_plugins(rows: list[dict[str, Any]], stage_names: dict[str, set[str]] | None) -> list[dict[str, Any]]:
    """The rows (``plugin_info`` form) of plugins that can change this run's records: those registering a
    constraint type or an LLM provider, or a stage the config names (``stage_names``: kind -> names; None: all)."""
    if stage_names is None:
        return rows

    def used(row: dict[str, Any]) -> bool:
        registers = row.get("registers") or {}
        if any(registers.get(kind) for kind in _ALWAYS_USED):
            return True
        return any(set(registers.get(kind) or ()) & stage_names.get(kind, set()) for kind in _RECORD_STAGES)

    return [r for r in rows if isinstance(r, dict) and used(r)]


def check_plugins(run_dir: Path, current: list[dict[str, Any]],
                  stage_names: dict[str, set[str]] | None = None) -> None:
    """Refuse to resume ``run_dir`` when the plugins that can change its records (:func:`used_plugins`), or
    their versions, differ from its plugins.json; a plugin the config does not use is no reason to start over."""
    saved_path = run_dir / "plugins.json"
    if not saved_path.is_file():
        return
    try:
        saved = json.loads(saved_path.read_text(encoding="utf-8"))
        old = plugin_versions(used_plugins(saved, stage_names))
    except (ValueError, AttributeError, TypeError):
        return  # a damaged plugins.json is rewritten by this run; the config check still guards the data
    new = plugin_versions(used_plugins(current, stage_names))
    changes = [f"added {n} {new[n]}" for n in sorted(set(new) - set(old))]
    changes += [f"removed {n} {old[n]}" for n in sorted(set(old) - set(new))]
    changes += [f"{n} {old[n]} -> {new[n]}" for n in sorted(set(old) & set(new)) if old[n] != new[n]]
    if changes:
        raise ConfigError(
            f"run directory {str(run_dir)!r} was made with other plugins ({'; '.join(changes)}): its records were "
            f"made without that change; {_WAYS_OUT}"
        )


def records_done(run_dir: Path) -> int:
    """Seed records that passed the filters and already went through the first per-record stage."""
    firsts = sorted((run_dir / "stages").glob("1-*.jsonl"))
    if not firsts:
        return 0
    done = 0
    with firsts[0].open(encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except ValueError:  # a torn last line: the pipeline cuts it on resume
                break
            # what the limit counts: records that passed the filters (unreadable seed lines do not)
            failures = row.get("failures") or [{}]
            unreadable = row.get("status") == "failed" and all(f.get("stage") == "seeds" for f in failures)
            done += row.get("status") != "filtered" and not unreadable
    return done


def check_limit(run_dir: Path, limit: int | None) -> None:
    """Refuse a ``limit`` below the records ``run_dir`` already holds (they would stay in the outputs)."""
    if limit is None:
        return
    done = records_done(run_dir)
    if done > limit:
        raise ConfigError(
            f"run directory {str(run_dir)!r} already holds {done} seed records, more than the limit of {limit}: "
            f"use a limit of at least {done}, {_WAYS_OUT}"
        )
