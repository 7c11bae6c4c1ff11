"""Entry point of the ``rl`` command.

Sub-commands come from installed members through the entry-point group ``rl.commands``;
``reproduce`` and ``data`` are built in. User mistakes print ``error: <sentence>`` on
stderr and exit with code 2, without a traceback.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(cli, ["--version"]).output  # doctest: +ELLIPSIS
    'rl, version ...'
    >>> "reproduce" in CliRunner().invoke(cli, ["--help"]).output
    True
    >>> try:  # a user mistake: "error: ..." on stderr, exit code 2
    ...     main(["no-such-command"])
    ... except SystemExit as stop:
    ...     print("exit", stop.code)
    exit 2
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points

import click

from rl_shared import __version__
from rl_shared.cli.data_cmd import data
from rl_shared.cli.reproduce_cmd import reproduce
from rl_shared.errors import RLError, UnknownName
from rl_shared.plugins import quiet_imports

__all__ = ["cli", "main"]

_BUILTIN: dict[str, click.Command] = {"reproduce": reproduce, "data": data}


class _PluginGroup(click.Group):
    """A group whose commands are the built-ins plus the members' ``rl.commands`` entry points."""

    def _plugins(self) -> dict[str, object]:
        return {ep.name: ep for ep in entry_points(group="rl.commands")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_BUILTIN, *self._plugins()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _BUILTIN:
            return _BUILTIN[cmd_name]
        ep = self._plugins().get(cmd_name)
        if ep is None:
            return None
        try:
            with quiet_imports():
                return ep.load()  # type: ignore[attr-defined,no-any-return]
        except Exception as err:
            raise RLError(
                f"the installed command '{cmd_name}' failed to load ({type(err).__name__}: {err}); "
                "reinstall its package"
            ) from err

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands without importing members: a member's line is its package summary."""
        plugins = self._plugins()
        rows = []
        for name in self.list_commands(ctx):
            if name in _BUILTIN:
                rows.append((name, _BUILTIN[name].get_short_help_str(limit=80)))
                continue
            dist = getattr(plugins[name], "dist", None)
            summary = dist.metadata.get("Summary", "") if dist is not None else ""
            rows.append((name, f"{summary} ({dist.name})" if dist is not None else summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            raise UnknownName("command", name, self.list_commands(ctx))
        return super().resolve_command(ctx, args)


@click.group(
    cls=_PluginGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run `rl reproduce --list` to see every installed reproduction.",
)
@click.version_option(__version__, "--version", prog_name="rl")
def cli() -> None:
    """rl: representation-learning papers as components you install, train and measure.

    Each installed member (rl-text, rl-retrieval, rl-graph, ...) adds its own commands.
    """


def _close_progress_bars() -> None:
    """Close live tqdm bars so that an error line starts a line of its own."""
    tqdm_module = sys.modules.get("tqdm")
    if tqdm_module is None:
        return
    bars = list(getattr(tqdm_module.tqdm, "_instances", ()))
    for bar in bars:
        try:
            bar.close()
        except Exception:  # a bar that cannot close must not hide the error
            pass
    if bars:
        sys.stderr.write("\n")


def _error(message: str) -> None:
    _close_progress_bars()
    click.echo(f"error: {message}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return (and exit with) its status code.

    Args:
        argv: the arguments after ``rl`` (``None``: ``sys.argv[1:]``).

    Raises:
        SystemExit: always, except for a command that succeeded (then 0 is returned): 2 for a
            user mistake or a path the system refused (printed as ``error: <sentence>``;
            ``RL_TRACEBACK=1`` shows the traceback of the latter), 130 when interrupted, else
            the command's own exit code.
    """
    try:
        status = cli.main(args=argv, prog_name="rl", standalone_mode=False)
    except RLError as err:
        _error(str(err))
        sys.exit(err.exit_code)
    except click.exceptions.NoArgsIsHelpError as err:
        click.echo(err.ctx.get_help() if err.ctx else str(err))
        sys.exit(0)
    except click.UsageError as err:
        hint = f" (see `{err.ctx.command_path} --help`)" if err.ctx is not None else ""
        _error(f"{err.format_message()}{hint}")
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except click.ClickException as err:
        _error(err.format_message())
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as err:  # a path the system refused (read-only folder, disk full)
        if os.environ.get("RL_TRACEBACK"):
            raise
        where = f" ({err.filename})" if err.filename else ""
        _error(f"{err.strerror or err}{where}; set RL_TRACEBACK=1 to see where it happened")
        sys.exit(2)
    # with standalone_mode=False click returns (not raises) the code of a command's Exit
    if isinstance(status, int) and status != 0:
        sys.exit(status)
    return 0


if __name__ == "__main__":  # pragma: no cover
    main()
