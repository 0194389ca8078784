"""crabplug_view: ``crabplug view RUN`` reads a run in the browser (datasette over a SQLite file built from it).

Registered through ``register_commands`` exactly as a third-party package would be. Importing this module is
cheap: datasette loads when the command runs.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_commands(cli):
    """Add ``crabplug view``."""
    from crabplug_view.command import view_command

    cli.add_command(view_command)
