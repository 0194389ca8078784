"""YAML loading that remembers the line of every key, so config errors can name it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import yaml

from crabplug.errors import ConfigError


@attrs.define
class Located:
    """Where each key path of a YAML document was written."""

    file: str
    lines: dict[tuple, int] = attrs.field(factory=dict)
    overridden: set[tuple] = attrs.field(factory=set)
    """Key paths set on the command line (``--set``): errors name the option, not the file."""

    def line(self, path: tuple) -> int:
        """The 1-based line of ``path`` or of its nearest written parent; 0 when unknown."""
        while path:
            if self.lines.get(path):
                return self.lines[path]
            path = path[:-1]
        return 0


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            lines[sub] = key.start_mark.line + 1
            _walk(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            lines[(*path, i)] = value.start_mark.line + 1
            _walk(value, (*path, i), lines)


def load_located(path: Path) -> tuple[Any, Located]:
    """Load a YAML file; errors name the file and line in one sentence."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {str(path)!r} does not exist")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ConfigError(f"{where}: this is not valid YAML ({problem})") from None
    loc = Located(file=str(path))
    if node is not None:
        _walk(node, (), loc.lines)
    return data, loc
