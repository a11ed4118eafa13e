"""The registry `escdesk --help` is printed from says what the commands themselves say."""

from __future__ import annotations

import inspect

import typer
from typer.testing import CliRunner

from escdesk.cli import registry
from escdesk.cli.app import app


def first_paragraph(command: typer.core.TyperCommand | typer.core.TyperGroup) -> str:
    """What the root's help lists: the first paragraph, its line breaks kept (Rich keeps them)."""
    return inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]


def test_every_registered_line_of_help_is_the_commands_own() -> None:
    root = typer.main.get_command(app)
    for name in registry.COMMANDS:
        command = root.get_command(None, name)  # type: ignore[attr-defined]
        assert command is not None and command.name == name
        assert registry.COMMANDS[name].help == first_paragraph(command), name


def test_the_root_help_lists_every_command_with_its_line() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name, entry in registry.COMMANDS.items():
        assert f" {name} " in result.stdout and entry.help in result.stdout, name


def test_a_group_joins_the_commands_of_other_modules_once() -> None:
    root = typer.main.get_command(app)
    accounts = root.get_command(None, "accounts")  # type: ignore[attr-defined]
    again = root.get_command(None, "accounts")  # type: ignore[attr-defined]
    assert again is accounts
    assert {"contacts", "set-calendar"} <= set(accounts.list_commands(None))
    escalations = root.get_command(None, "escalations")  # type: ignore[attr-defined]
    assert escalations.list_commands(None)[-4:] == [
        "wait-on-customer",
        "customer-answered",
        "standup",
        "snooze",
    ]


def test_a_mistyped_command_is_answered_with_the_closest_names_built_or_not() -> None:
    """The root's commands and a group's lazily built ones are suggested alike, with exit 2."""
    for args, suggested in (
        (["escalatons"], "Did you mean 'escalations'?"),
        (["escalations", "lst"], "Did you mean 'list'?"),
        (["escalations", "clse"], "Did you mean 'close'?"),  # lives in another module
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, args
        assert suggested in result.stderr and "Traceback" not in result.output, result.output
