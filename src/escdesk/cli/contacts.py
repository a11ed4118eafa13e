"""`escdesk accounts contacts`: who at a customer receives customer-facing updates by e-mail."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli.options import AsJson
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.accounts import CustomerContact
from escdesk.services import contacts as service
from escdesk.services.acting import DatabaseAdministrator

app = typer.Typer(
    help="Customer contacts: who receives customer-facing updates, in which language.",
    no_args_is_help=True,
)

Account = Annotated[str, typer.Argument(metavar="ACCOUNT", help="Account name or id.")]


def contact_json(contact: CustomerContact) -> dict[str, object]:
    return {
        "id": contact.id,
        "account_id": contact.account_id,
        "name": contact.name,
        "email": contact.email,
        "language": contact.language,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    account: Account,
    name: Annotated[str, typer.Option("--name", help="The contact's name, e.g. 'Jo Chen'.")],
    email: Annotated[str, typer.Option("--email", help="Where their updates go.")],
    language: Annotated[
        str, typer.Option("--language", help="Language of their updates: en, de, fr, es…")
    ] = "en",
) -> None:
    """Add a contact; customer-facing updates of the account's escalations go to them."""
    state = runtime(ctx)
    contact = service.add_contact_now(
        state.uow(),
        service.AddContact(account, name, email, language),
        DatabaseAdministrator(),
        state.now,
    )
    typer.echo(f"Added {contact.name} <{contact.email}> ({contact.language}) to {account}")


@app.command("list")
def list_(ctx: typer.Context, account: Account, as_json: AsJson = False) -> None:
    """List an account's contacts, by name."""
    state = runtime(ctx)
    found = service.list_contacts_now(
        state.uow(), service.ListContacts(account), DatabaseAdministrator(), state.now
    )
    if as_json:
        print_json({"items": [contact_json(c) for c in found]})
        return
    table = Table(title=f"Contacts of {account}", title_justify="left")
    for column in ("Name", "E-mail", "Language"):
        table.add_column(column)
    for c in found:
        table.add_row(c.name, c.email, c.language)
    console().print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    account: Account,
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="The contact's e-mail.")],
) -> None:
    """Remove a contact: no more updates go to them."""
    state = runtime(ctx)
    service.remove_contact_now(
        state.uow(), service.RemoveContact(account, email), DatabaseAdministrator(), state.now
    )
    typer.echo(f"Removed {email} from {account}")
