"""`escdesk people`: the people escalations are assigned to, with their roles and timezones."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, person_json, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.people import Role, parse_roles
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
    by: By = None,
) -> None:
    """Add a person."""
    state = runtime(ctx)
    cmd = service.AddPerson.parse(name=name, email=email, roles=role, timezone=timezone)
    person = state.run(service.add_person, cmd, by, required=False)
    roles = ", ".join(sorted(person.roles))
    typer.echo(f"Added {person.name} <{person.email}> (id {person.id}; {roles}; {person.timezone})")


@app.command("list")
def list_(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option("--role", help="Only people with this role.")] = None,
    as_json: AsJson = False,
) -> None:
    """List people, by name."""
    roles = parse_roles([role], field="--role") if role else None
    query = service.ListPeople(next(iter(roles)) if roles else None)
    found = runtime(ctx).read(service.list_people, query)
    if as_json:
        print_json({"items": [person_json(p) for p in found]})
        return
    table = Table(title="People", title_justify="left")
    for column in ("ID", "Name", "E-mail", "Roles", "Timezone"):
        table.add_column(column)
    for p in found:
        table.add_row(str(p.id), p.name, p.email, ", ".join(sorted(p.roles)), p.timezone)
    console().print(table)
