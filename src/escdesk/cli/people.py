"""`escdesk people`: the people escalations are assigned to, with their roles and timezones."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli.options import AsJson
from escdesk.cli.output import console, person_json, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.people import Role
from escdesk.services import people as service

app = typer.Typer(help="People and their roles (support, csm, product, …).", no_args_is_help=True)

ROLES = ", ".join(role.value for role in Role)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Priya Raman'.")],
    email: Annotated[str, typer.Option("--email", help="E-mail address; names the person.")],
    role: Annotated[
        list[str],
        typer.Option("--role", help=f"A role (repeatable or comma-separated): {ROLES}."),
    ],
    timezone: Annotated[
        str, typer.Option("--timezone", help="IANA timezone, e.g. Europe/Berlin.")
    ] = "UTC",
) -> None:
    """Add a person."""
    state = runtime(ctx)
    person = service.add_person(
        state.uow(), name=name, email=email, roles=role, timezone=timezone, now=state.now
    )
    roles = ", ".join(sorted(person.roles))
    typer.echo(f"Added {person.name} <{person.email}> (id {person.id}; {roles}; {person.timezone})")


@app.command("list")
def list_(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option("--role", help="Only people with this role.")] = None,
    as_json: AsJson = False,
) -> None:
    """List people, by name."""
    found = service.list_people(runtime(ctx).uow(), role)
    if as_json:
        print_json({"items": [person_json(p) for p in found]})
        return
    table = Table(title="People", title_justify="left")
    for column in ("ID", "Name", "E-mail", "Roles", "Timezone"):
        table.add_column(column)
    for p in found:
        table.add_row(str(p.id), p.name, p.email, ", ".join(sorted(p.roles)), p.timezone)
    console().print(table)
