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
