"""An experiment recipe: which data, which trainers, which evaluation — read from YAML, checked in full."""

from __future__ import annotations

import re
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
class Side:
    """The side measure "nothing else lost" (arms recipes): loss on held-out real answers no arm trained on."""

    heldout: Path | None = attrs.field(default=None, converter=lambda p: None if p is None else Path(p))
    """A JSONL of ``instruction``/``response`` rows no arm trains on; None: no held-out loss step."""
    limit: int | None = None
    """Only the first N rows (None: all)."""
    max_length: int = 1024
    """Tokens per row (prompt and answer); longer rows are cut."""


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
    heldout_limit: int = 2
    """Held-out answers for the side measure."""


@attrs.frozen
class Arm:
    """One trained model of an arms recipe: trainers of a train config, run in order from a starting model."""

    name: str
    """The arm's label in step names, directories and tables (``plain``, ``crab+grpo``)."""
    train: Path
    """The ``crabplug train`` config (default: the recipe's ``train``)."""
    only: tuple[str, ...] = ()
    """Trainers of that config to run, in its order (default: all of them)."""
    set: tuple[str, ...] = ()
    """``--set`` overrides for ``crabplug train`` (``train.sft.data=plain.jsonl``)."""
    start: str = "base"
    """The arm whose final model this one starts from (YAML key ``from``; default: the base model)."""
    data: Path | None = None
    """Its own ``crabplug run`` config (data in ``data-ARM/``); None: the recipe's shared data."""


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
    arms: tuple[Arm, ...] = ()
    """The arms, compared with each other on the same evaluation; empty: one chain of the train config's trainers."""
    baseline: str | None = None
    """The arm every other arm is also compared with (paired), besides the base model."""
    side: Side = Side()
    """The side measure's settings."""
    keep: Path | None = None
    """A folder under version control for finished steps' small outputs, so a fresh checkout resumes (keep.py)."""


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
    needed = ("name", "base_model", "data") if raw.get("arms") else ("name", "base_model", "data", "train")
    missing = [k for k in needed if not raw.get(k)]
    if missing:
        raise ConfigError(f"{path}: missing {missing[0]!r}")
    known = {f.name for f in attrs.fields(Recipe)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; known: {', '.join(sorted(known))}")
    train = Path(raw["train"]) if raw.get("train") else None
    arms = _arms(raw.get("arms"), train, path)
    baseline = raw.get("baseline")
    if baseline is not None and str(baseline) not in {a.name for a in arms}:
        names = ", ".join(a.name for a in arms) or "none: the recipe lists no arms"
        raise ConfigError(f"{path}: baseline {baseline!r} is not one of the arms ({names})")
    recipe = Recipe(
        name=str(raw["name"]),
        base_model=str(raw["base_model"]),
        data=Path(raw["data"]),
        train=train or arms[0].train,
        dir=Path(raw.get("dir") or f"experiments/{raw['name']}"),
        eval=_section(EvalSettings, raw.get("eval"), f"{path}: eval"),
        quick=_section(Quick, raw.get("quick"), f"{path}: quick"),
        data_set=tuple(raw.get("data_set") or ()),
        arms=arms,
        baseline=None if baseline is None else str(baseline),
        side=_section(Side, raw.get("side"), f"{path}: side"),
        keep=Path(raw["keep"]) if raw.get("keep") else None,
    )
    configs = [recipe.data, recipe.train, *(a.train for a in arms), *(a.data for a in arms if a.data)]
    for config in dict.fromkeys(configs):
        if not config.is_file():
            raise ConfigError(f"{path}: no config file {config}")
    if recipe.side.heldout is not None and not recipe.side.heldout.is_file():
        raise ConfigError(f"{path}: no held-out answer file {recipe.side.heldout} (side.heldout)")
    return recipe


ARM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9+_.-]*")
ARM_KEYS = {"name", "train", "only", "set", "from", "data"}


def _arms(raw: Any, train: Path | None, path: Path) -> tuple[Arm, ...]:
    """The ``arms:`` list, checked: unique names, ``from`` an earlier arm, a train config for each."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}: arms must be a list of mappings (name, train, only, set, from, data)")
    arms: list[Arm] = []
    for n, item in enumerate(raw, 1):
        where = f"{path}: arm {n}"
        if not isinstance(item, dict) or not item.get("name"):
            raise ConfigError(f"{where} must be a mapping with a 'name'")
        name = str(item["name"])
        where = f"{path}: arm {name!r}"
        unknown = sorted(set(item) - ARM_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(sorted(ARM_KEYS))}")
        if not ARM_NAME.fullmatch(name) or name == "base":
            raise ConfigError(f"{where}: an arm name is letters, digits and + _ . - (and 'base' is the base model's)")
        if name in {a.name for a in arms}:
            raise ConfigError(f"{where} appears twice: give each arm its own name")
        start = str(item.get("from") or "base")
        if start != "base" and start not in {a.name for a in arms}:
            raise ConfigError(f"{where}: 'from: {start}' must name the base or an arm listed before it")
        config = Path(item["train"]) if item.get("train") else train
        if config is None:
            raise ConfigError(f"{where} has no train config: give it 'train:' or give the recipe one")
        lists = {}
        for key in ("only", "set"):
            value = item.get(key) or ()
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: '{key}' must be a list of strings")
            lists[key] = tuple(value)
        data = Path(item["data"]) if item.get("data") else None
        arms.append(Arm(name, config, lists["only"], lists["set"], start, data))
    return tuple(arms)
