"""The ``crabplug`` command line. Subcommands are imported only when used, so ``--help`` is instant."""

from __future__ import annotations

import importlib
import sys

import click

from crabplug.errors import CrabError

#: command name -> "module:attribute" of a click command, imported on first use.
CORE_COMMANDS = {
    "run": "crabplug.cli.run:run",
    "plugins": "crabplug.cli.listing:plugins_command",
    "constraints": "crabplug.cli.listing:constraints_command",
    "verify": "crabplug.cli.verify:verify_command",
    "show": "crabplug.cli.show:show_command",
    "export": "crabplug.cli.export:export_command",
    "merge": "crabplug.cli.merge:merge_command",
    "drop": "crabplug.cli.drop:drop_command",
    "new-plugin": "crabplug.cli.new_plugin:new_plugin_command",
}


class LazyGroup(click.Group):
    """A group whose core commands load lazily and whose plugin commands come from ``register_commands``."""

    def _plugin_commands(self) -> dict[str, click.Command]:
        if not hasattr(self, "_from_plugins"):
            group = click.Group()
            try:
                from crabplug import plugins

                pm, _ = plugins.manager(_extra_plugins())  # imports the plugins, collects nothing else
                pm.hook.register_commands(cli=group)
            except CrabError:
                pass  # the command that needs plugins reports the error itself
            self._from_plugins = dict(group.commands)
        return self._from_plugins

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*CORE_COMMANDS, *self._plugin_commands()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in CORE_COMMANDS:
            module, attr = CORE_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return self._plugin_commands().get(name)


def _extra_plugins() -> list[str]:
    """``--plugin MODULE`` values, read before click parses (plugin commands must exist by then)."""
    args, mods = sys.argv[1:], []
    for i, arg in enumerate(args):
        if arg == "--plugin" and i + 1 < len(args):
            mods.append(args[i + 1])
        elif arg.startswith("--plugin="):
            mods.append(arg.split("=", 1)[1])
    return mods


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crabplug", prog_name="crabplug")
@click.option("--plugin", "plugin_modules", multiple=True, metavar="MODULE", help="Also load this plugin module.")
@click.pass_context
def cli(ctx: click.Context, plugin_modules: tuple[str, ...]) -> None:
    """Make complex-instruction-following data by constraint back-translation."""
    ctx.obj = {"plugin_modules": list(plugin_modules)}


def main() -> None:
    """Entry point: user errors print one sentence and exit 1, never a traceback."""
    try:
        cli(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):  # click turns Ctrl-C into Abort
        click.echo("Interrupted; re-run the same command to resume.", err=True)
        _exit_now(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except CrabError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)


def _exit_now(code: int) -> None:
    """Exit without the interpreter's teardown: after Ctrl-C a native thread (the embedded model's) may still be
    running, and destroying it at teardown aborts the process (SIGABRT, "terminate called without an active
    exception"). Everything a resume needs is already on disk: checkpoints are fsynced per chunk, the LLM
    cache commits per answer, and usage is saved on the way out."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
