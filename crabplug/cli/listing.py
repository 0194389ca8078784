"""``crabplug plugins`` and ``crabplug constraints``: what is installed, as a table or JSON."""

from __future__ import annotations

import json
import random

import click

from crabplug.cli.common import registry_from
from crabplug.errors import ConfigError


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool) -> None:
    """List installed plugins: name, version, hooks and what each registers."""
    from crabplug.plugins import plugin_info

    rows = plugin_info(registry_from(ctx))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "version", "hooks", "registers")
    for r in rows:
        regs = "; ".join(f"{k}: {', '.join(v)}" for k, v in r["registers"].items())
        table.add_row(r["name"], r["version"], ", ".join(r["hooks"]), regs)
    Console().print(table)


@click.command("constraints")
@click.option("--family", help="Only this family.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def constraints_command(ctx: click.Context, family: str | None, as_json: bool) -> None:
    """List every registered constraint type with its family, kwargs and an example phrasing."""
    registry = registry_from(ctx)
    types = sorted(registry.constraint_types.values(), key=lambda t: (t.family, t.id))
    if family:
        types = [t for t in types if t.family == family]
        if not types:
            families = sorted({t.family for t in registry.constraint_types.values()})
            raise ConfigError(f"no constraint family {family!r}; families: {', '.join(families) or 'none'}")
    rows = [
        {
            "id": t.id,
            "family": t.family,
            "kwargs": list(t.kwargs),
            "checkable": t.check is not None,
            "derivable": t.derive is not None,
            "conflicts": sorted(t.conflicts),
            "example": _example_phrasing(t),
            "plugin": registry.owner("constraint_types", t.id),
            "ranges": {k: list(v) for k, v in t.ranges.items()},
            "options": {
                k: {"default": o.default, "choices": list(o.choices), "help": o.help} for k, o in t.options.items()
            },
            "transform": t.transform is not None,
        }
        for t in types
    ]
    options = [  # settable in a run config's constraints: section
        f"{r['id']}: {k} = {o['default']} ({' | '.join(map(str, o['choices'])) or 'any'}) {o['help']}"
        for r in rows
        for k, o in r["options"].items()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    import sys

    if not sys.stdout.isatty():  # a pipe or a file: whole ids, one tab-separated line per type, never cut
        click.echo("id\tfamily\tkwargs\tcode\texample phrasing")
        for r in rows:
            code = "yes" if r["checkable"] else "llm"
            click.echo("\t".join((r["id"], r["family"], ",".join(r["kwargs"]), code, " ".join(r["example"].split()))))
        click.echo(f"{len(rows)} constraint types")
        for line in options:
            click.echo(f"option {line}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "family", "kwargs", "code", "example phrasing")
    for r in rows:
        table.add_row(r["id"], r["family"], ", ".join(r["kwargs"]), "yes" if r["checkable"] else "llm", r["example"])
    Console().print(table)
    click.echo(f"{len(rows)} constraint types")
    if options:
        click.echo("options (config 'constraints:'):\n  " + "\n  ".join(options))


_SAMPLE = (
    "Write a short note about tea.",
    "Tea: A Short Note\n\nTea is brewed from the leaves of Camellia sinensis. It is drunk all over the world, "
    "hot or iced, plain or with milk.\n\nGreen, black and oolong teas differ in how the leaves are processed. "
    "Each has its own flavour and caffeine content.",
)


def _example_phrasing(ctype) -> str:
    """A phrasing from the type's ``example`` kwargs, else from kwargs derived from a sample text."""
    from crabplug.records import Example

    rng = random.Random(0)
    try:
        kwargs = ctype.example or (ctype.derive(Example(*_SAMPLE), rng) if ctype.derive else None)
        if kwargs is not None or not ctype.kwargs:
            return ctype.describe(kwargs or {}, rng)
    except Exception:  # a plugin's describe/derive bug must not break the listing
        pass
    return ctype.summary
