"""Just enough runtime type checking for config values against attrs field annotations."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any


def matches(value: Any, tp: Any) -> bool:
    """Whether a YAML value fits the annotation ``tp`` (ints pass for floats, strings for paths)."""
    if tp is Any or tp is object:
        return True
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, a) for a in args)
    if origin is typing.Literal:
        return value in args
    if tp is type(None):
        return value is None
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    if tp is Path:
        return isinstance(value, str | Path)
    if origin in (list, tuple, typing.Sequence) or tp in (list, tuple):
        if not isinstance(value, list | tuple):
            return False
        if not args:
            return True
        item = args[0]
        return all(matches(v, item) for v in value)
    if origin is dict or tp is dict or origin is typing.Mapping:
        if not isinstance(value, dict):
            return False
        return not args or all(matches(v, args[1]) for v in value.values())
    if isinstance(tp, type):
        return isinstance(value, tp) or isinstance(value, dict)  # nested attrs sections come as mappings
    return True


def describe_type(tp: Any) -> str:
    """A short human name for an annotation (``an integer``, ``a list of strings``...)."""
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false", Path: "a path"}
    if tp in names:
        return names[tp]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        parts = [describe_type(a) for a in args if a is not type(None)]
        text = " or ".join(parts)
        return f"{text} or null" if type(None) in args else text
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (list, tuple):
        return "a list" + (f" of {describe_type(args[0])}s".replace("an ", "").replace("a ", "") if args else "")
    if origin is dict:
        return "a mapping"
    return getattr(tp, "__name__", str(tp))
