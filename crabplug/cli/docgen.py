"""The configuration reference, generated from the config classes and every built-in stage plugin's options.

``python -m crabplug.cli.docgen > docs/configuration.md`` regenerates it. An option's documentation is the
docstring under its attrs field (read from the class source with ``ast``), so the reference, the config
validation and the code never disagree.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
import typing
from collections.abc import Iterator
from typing import Any

import attrs

from crabplug.plugins import KINDS

#: registry kind -> (config key, label in headings) for every kind of stage plugin
STAGE_KINDS = {
    "seed_sources": ("seeds", "seed source"),
    "back_translators": ("back_translators", "back-translator"),
    "verifiers": ("verifiers", "verifier"),
    "combiners": ("combiner", "combiner"),
    "outputs": ("outputs", "output"),
    "trainers": ("train", "trainer"),
    "benchmarks": ("benchmarks", "benchmark"),
}
#: registered things that are not stage classes with options
NOT_STAGES = frozenset({"constraint_types", "llm_providers"})


def stage_kinds() -> dict[str, tuple[str, str]]:
    """Every registry kind of stage plugin (a kind added later is listed under its own name)."""
    return {k: STAGE_KINDS.get(k, (k, k.replace("_", " ").rstrip("s"))) for k in KINDS if k not in NOT_STAGES}


def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (a string literal right under an annotated attribute) of ``cls`` and its bases."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):  # subclasses override their bases
        if klass is object:
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):  # built at runtime, or source not shipped
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for stmt, nxt in zip(body, body[1:], strict=False):
            if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                    and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
                    and isinstance(nxt.value.value, str)):
                docs[stmt.target.id] = inspect.cleandoc(nxt.value.value)
    return docs


@attrs.frozen
class Option:
    """One documented option."""

    name: str
    type: str
    default: str
    doc: str


def _type_name(tp: Any, resolved: Any = None) -> str:
    if typing.get_origin(resolved) is typing.Literal:  # an alias such as Format: spell out its values
        return " | ".join(json.dumps(a) for a in typing.get_args(resolved))
    if isinstance(tp, str):  # `from __future__ import annotations`: the annotation as written
        return tp
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _value(value: Any) -> str:
    """A default as it would be written in YAML."""
    if attrs.has(type(value)):
        plugin = getattr(value, "plugin", None)  # a StageSpec default names its plugin
        return plugin if isinstance(plugin, str) else "(see below)"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, default=str) if value else "{}"
    return json.dumps(value, default=str)


def _default(field: attrs.Attribute) -> str:
    default = field.default
    if default is attrs.NOTHING:
        return "required"
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return "computed"
        default = default.factory()
    return _value(default)


def options(cls: type, *, only: tuple[str, ...] | None = None) -> list[Option]:
    """The options of an attrs class as a config writes them (init fields, by their init name)."""
    docs = field_docs(cls)
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation naming something only a type checker imports
        hints = {}
    out = []
    for f in attrs.fields(cls):
        if not f.init or (only is not None and f.name not in only):
            continue
        name = getattr(f, "alias", None) or f.name.lstrip("_")
        kind = _type_name(f.type, hints.get(f.name))
        out.append(Option(name=name, type=kind, default=_default(f), doc=docs.get(f.name, "")))
    return out


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table(opts: list[Option]) -> Iterator[str]:
    """A markdown table of options."""
    if not opts:
        yield "No options."
        return
    yield "| option | type | default | description |"
    yield "|---|---|---|---|"
    for o in opts:
        doc = _cell(o.doc) or "*(undocumented: add a docstring under the field)*"
        yield f"| `{o.name}` | `{_cell(o.type)}` | `{_cell(o.default)}` | {doc} |"


def _summary(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0].replace("\n", " ")


def llm_settings() -> type | None:
    """crabplug.llm.LLMSettings, once the LLM door exists."""
    try:
        from crabplug.llm import LLMSettings
    except ImportError:
        return None
    return LLMSettings if attrs.has(LLMSettings) else None


def builtin_registry():
    """The core's and the ``crabplug`` distribution's own plugins, never a third party's installed ones."""
    from importlib.metadata import PackageNotFoundError, distribution

    from crabplug.plugins import load

    try:
        names = [ep.name for ep in distribution("crabplug").entry_points if ep.group == "crabplug"]
    except PackageNotFoundError:
        names = []
    return load(only=names)


def render(registry=None) -> str:
    """The whole reference as markdown."""
    from crabplug.config import RANGES, Filters, RunConfig, StageSpec, in_range

    registry = registry if registry is not None else builtin_registry()
    lines = [
        "# Configuration reference",
        "",
        "<!-- Generated by `python -m crabplug.cli.docgen > docs/configuration.md`: edit docstrings, "
        "not this file. -->",
        "",
        "A run config is a YAML file given to `crabplug run CONFIG`. Any value can be overridden on the command",
        "line with `--set KEY=VALUE` (e.g. `--set filters.min_words=100`,",
        "`--set back_translators.rules.max_per_family=3`).",
        "Unknown keys, values of the wrong type and numbers outside their range are errors naming the file and",
        "line (or the `--set`); the ranges: "
        + ", ".join(f"`{'.'.join(k)}` {in_range(*r)}" for k, r in RANGES.items()) + ".",
        "",
        "## Top-level keys",
        "",
        *table(options(RunConfig)),
        "",
        "## `filters`",
        "",
        _summary(Filters),
        "",
        *table(options(Filters)),
        "",
        "## Stage entries",
        "",
        "Every item of `seeds`, `back_translators`, `verifiers`, `outputs`, `train` (and `combiner`) is either",
        "a plugin name (`rules`) or a mapping with `plugin` and that plugin's options",
        "(`{plugin: jsonl, path: a.jsonl}`).",
        "",
        *table(options(StageSpec, only=("plugin",))),
        "",
    ]
    settings = llm_settings()
    if settings is not None:
        lines += ["## `llm`", "", _summary(settings), "", *table(options(settings)), ""]
    lines += ["## Stage plugins", "", "The options of every built-in stage plugin, by the config key that uses it.", ""]
    for kind, (key, label) in stage_kinds().items():
        for name in sorted(registry.items[kind]):
            cls = registry.items[kind][name]
            lines += [f"### `{name}` ({label})", "",
                      f"Used under `{key}:`; from plugin `{registry.owner(kind, name)}`. {_summary(cls)}".rstrip(), ""]
            lines += [*table(options(cls) if attrs.has(cls) else []), ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    """Print the reference to stdout."""
    print(render(), end="")


if __name__ == "__main__":
    main()
