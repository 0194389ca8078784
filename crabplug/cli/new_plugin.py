"""``crabplug new-plugin NAME``: a new plugin package from the templates in crabplug/templates/new_plugin/.

Every template file ends in ``.tmpl`` and is filled with :class:`string.Template` (``$name``, ``$module``,
``$dist``, ``$family``, ``$crabplug_version``); a path part ``__module__`` becomes the module's name.
The result is a package whose own tests pass before anything is changed.
"""

from __future__ import annotations

import keyword
import re
import string
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path

import click

from crabplug.errors import ConfigError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
TEMPLATES = "templates/new_plugin"


def names(name: str) -> dict[str, str]:
    """The template variables for plugin ``name``; a ConfigError when it cannot name a package."""
    if not _NAME.match(name):
        raise ConfigError(
            f"plugin name {name!r} is not valid: use lowercase letters, digits and single - or _ between "
            "them, starting with a letter (e.g. 'markdown' or 'my-family')"
        )
    if len(name) > 64:  # file systems take 255 bytes a name; "crabplug-NAME" and the tests' names add to it
        raise ConfigError(f"plugin name {name[:20]!r}... has {len(name)} characters: use at most 64")
    family = name.replace("-", "_")
    if keyword.iskeyword(family):
        raise ConfigError(f"plugin name {name!r} is a Python keyword; pick another name")
    taken = {ep.name for ep in entry_points(group="crabplug")}
    if name in taken or family in taken:
        raise ConfigError(f"a crabplug plugin named {name!r} is already installed; pick another name")
    from crabplug._version import __version__

    return {
        "name": name,
        "family": family,
        "module": f"crabplug_{family}",
        "dist": f"crabplug-{name.replace('_', '-')}",
        "crabplug_version": __version__ if __version__ != "0.0.0" else "0.1",
    }


def _templates(root, prefix: tuple[str, ...] = ()):
    """(relative path parts, text) of every ``.tmpl`` file under ``root``, recursively."""
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _templates(entry, (*prefix, entry.name))
        elif entry.name.endswith(".tmpl"):
            yield (*prefix, entry.name[: -len(".tmpl")]), entry.read_text(encoding="utf-8")


def generate(name: str, out_dir: Path) -> Path:
    """Write the package ``crabplug-NAME/`` under ``out_dir``; returns its directory."""
    values = names(name)
    target = out_dir / values["dist"]
    if target.exists():
        raise ConfigError(f"{target} already exists; remove it or choose another parent directory with -o DIR")
    root = resources.files("crabplug").joinpath(TEMPLATES)
    files = []
    for parts, text in _templates(root):
        rel = Path(*(p.replace("__module__", values["module"]) for p in parts))
        try:
            content = string.Template(text).substitute(values)
        except (KeyError, ValueError) as err:  # a template bug, not a user error: name the file
            raise RuntimeError(f"template {'/'.join(parts)}.tmpl has a bad placeholder: {err}") from err
        files.append((rel, content))
    for rel, content in files:  # written only once every template rendered
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(content, encoding="utf-8")
    return target


@click.command("new-plugin")
@click.argument("name")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Directory to create the package crabplug-NAME/ in.")
def new_plugin_command(name: str, out_dir: Path) -> None:
    """Create a plugin package crabplug-NAME/ with an example constraint type, tests and a README."""
    target = generate(name, out_dir)
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        click.echo(f"created {path}")
    click.echo(f"\nNext: python -m pytest {target / 'tests'}   then   pip install -e {target}")
