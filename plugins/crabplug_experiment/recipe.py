"""An experiment recipe: which data, which trainers, which evaluation — read from YAML, checked in full."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from crabplug import ConfigError


@attrs.frozen
class EvalSettings:
    """How every model of the experiment is evaluated (the same for all, so the numbers compare)."""

    benchmarks: tuple[str, ...] = ("ifeval",)
    """Registered benchmarks to run on every model."""
    max_tokens: int = 384
    """New tokens per answer."""
    batch_size: int = 16
    """Prompts per generation batch."""
    limit: int | None = None
    """Only the first N prompts (None: all of them)."""


@attrs.frozen
class Quick:
    """What ``--quick`` changes: tiny slices of the same loop, to try the recipe in minutes."""

    limit: int = 16
    """Seed records for the data step."""
    train: tuple[str, ...] = ()
    """``--set`` overrides for ``crabplug train`` (e.g. ``train.sft.max_steps=2``)."""
    eval_limit: int = 3
    """Prompts per benchmark."""
    eval_max_tokens: int = 32
    """New tokens per answer."""


@attrs.frozen
class Recipe:
    """One experiment: a base model, the data config, the train config, and how to evaluate."""

    name: str
    """Short name, used in the default directory."""
    base_model: str
    """Checkpoint directory, Hugging Face id, or a model string a plugin resolves (``local/smollm2-135m``)."""
    data: Path
    """The ``crabplug run`` config that makes the training data."""
    train: Path
    """The ``crabplug train`` config; its trainers run in order, each from the previous one's model."""
    dir: Path
    """Where the experiment writes data/, models/, eval/, compare/ and results.md."""
    eval: EvalSettings = EvalSettings()
    """Evaluation settings."""
    quick: Quick = Quick()
    """What ``--quick`` changes."""
    data_set: tuple[str, ...] = ()
    """``--set`` overrides for ``crabplug run``."""


def _section(cls: type, raw: Any, where: str) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping")
    known = {f.name for f in attrs.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(known))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    try:
        return cls(**values)
    except TypeError as err:
        raise ConfigError(f"{where}: {err}") from None


def load_recipe(path: Path) -> Recipe:
    """Read and check a recipe; paths in it are relative to the current directory, like crabplug run's."""
    import yaml

    if not path.is_file():
        raise ConfigError(f"no recipe file {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a recipe is a mapping (name, base_model, data, train, eval)")
    missing = [k for k in ("name", "base_model", "data", "train") if not raw.get(k)]
    if missing:
        raise ConfigError(f"{path}: missing {missing[0]!r}")
    known = {f.name for f in attrs.fields(Recipe)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; known: {', '.join(sorted(known))}")
    recipe = Recipe(
        name=str(raw["name"]),
        base_model=str(raw["base_model"]),
        data=Path(raw["data"]),
        train=Path(raw["train"]),
        dir=Path(raw.get("dir") or f"experiments/{raw['name']}"),
        eval=_section(EvalSettings, raw.get("eval"), f"{path}: eval"),
        quick=_section(Quick, raw.get("quick"), f"{path}: quick"),
        data_set=tuple(raw.get("data_set") or ()),
    )
    for config in (recipe.data, recipe.train):
        if not config.is_file():
            raise ConfigError(f"{path}: no config file {config}")
    return recipe
