"""`escdesk tokens`: API tokens for machines, and `people set-password` for people (R-OPS-2).

Both work on the database directly, so the first manager can be given a password and the first
token created before anyone can sign in to the web app.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli.options import AsJson
from escdesk.cli.output import console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.access import TokenInfo
from escdesk.domain.errors import InvalidInput
from escdesk.domain.people import Role
from escdesk.domain.values import MAX_ID
from escdesk.services import auth

app = typer.Typer(help="API tokens for scripts and integrations.", no_args_is_help=True)

ROLES = ", ".join(role.value for role in Role)


def token_json(info: TokenInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "name": info.name,
        "role": info.role.value,
        "hint": info.hint,
        "created_at": iso(info.created_at),
        "last_used_at": iso(info.last_used_at),
        "revoked_at": iso(info.revoked_at),
        "active": info.active,
    }


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What uses the token, e.g. 'helpdesk sync'.")],
    role: Annotated[str, typer.Option("--role", help=f"The role it acts with: {ROLES}.")],
    as_json: AsJson = False,
) -> None:
    """Create a token. It is printed once: escdesk keeps only a digest of it."""
    state = runtime(ctx)
    plaintext, info = auth.create_token(state.uow(), name, role, state.now)
    if as_json:
        print_json({"token": plaintext, "info": token_json(info)})
        return
    typer.echo(f"Created token {info.id} ({info.name}, role {info.role}). Store it now:")
    typer.echo(plaintext)


@app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List tokens (never their secrets), revoked ones included."""
    found = auth.list_tokens(runtime(ctx).uow())
    if as_json:
        print_json({"items": [token_json(t) for t in found]})
        return
    table = Table(title="API tokens", title_justify="left")
    for column in ("ID", "Name", "Role", "Starts with", "Created", "Last used", "Revoked"):
        table.add_column(column)
    for t in found:
        table.add_row(
            str(t.id),
            t.name,
            t.role.value,
            t.hint + "…",
            iso(t.created_at) or "",
            iso(t.last_used_at) or "never",
            iso(t.revoked_at) or "",
        )
    console().print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    token_id: Annotated[
        int,
        typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The token's id (tokens list)."),
    ],
) -> None:
    """Revoke a token: from now on it is refused with 401."""
    state = runtime(ctx)
    info = auth.revoke_token(state.uow(), token_id, state.now)
    typer.echo(f"Revoked token {info.id} ({info.name}) at {iso(info.revoked_at)}")


def set_password_command(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="The person's e-mail or id.")],
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the password from standard input (scripts).")
    ] = False,
) -> None:
    """Set a person's password for the web app; their open sessions end."""
    state = runtime(ctx)
    if stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InvalidInput("password", "is empty", "Type a password, or pipe one with --stdin")
    auth.set_password(state.uow(), person, password, state.now)
    typer.echo(f"Password set for {person}; they can sign in now")
