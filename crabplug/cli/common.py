"""What the core commands share: the ``--shard i/n`` parameter and the plugin registry of a command."""

from __future__ import annotations

from typing import Any

import click


class ShardType(click.ParamType):
    """``i/n``: this machine's share of the seeds (0 <= i < n)."""

    name = "i/n"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        try:
            i, n = (int(x) for x in str(value).split("/"))
            if not 0 <= i < n:
                raise ValueError
        except ValueError:
            self.fail(f"{value!r} is not a shard like 0/4 (index from 0 to count-1)", param, ctx)
        return i, n


def registry_from(ctx: click.Context):
    """Load plugins, including ``--plugin MODULE`` ones given to the group."""
    from crabplug.plugins import load

    return load((ctx.obj or {}).get("plugin_modules", []))
