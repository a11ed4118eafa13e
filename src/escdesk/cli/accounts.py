"""`escdesk accounts`: customers, and what the business stands to lose with each."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing, times
from escdesk.cli.options import AsJson, By, Version
from escdesk.cli.output import account_json, console, person_json, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.accounts import Account
from escdesk.services import accounts as service

app = typer.Typer(help="Customer accounts: tier, ARR, status, CSM.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Customer name, e.g. 'Northwind Health'.")],
    tier: Annotated[str, typer.Option("--tier", help="strategic, enterprise, mid_market or smb.")],
    arr: Annotated[
        str, typer.Option("--arr", help="Annual recurring revenue: 120000, 120k or 1.5M.")
    ],
    status: Annotated[
        str, typer.Option("--status", help="paying, pending_deal or prospect.")
    ] = "paying",
    deal_size: Annotated[
        str | None, typer.Option("--deal-size", help="Size of a pending deal (pending_deal only).")
    ] = None,
    csm: Annotated[
        str | None, typer.Option("--csm", help="The account's CSM (e-mail or id).")
    ] = None,
    services_project: Annotated[
        str | None,
        typer.Option("--services-project", help="Name of an active professional-services project."),
    ] = None,
    pm: Annotated[
        str | None,
        typer.Option("--pm", help="PM of that services project (e-mail or id); runs escalations."),
    ] = None,
    by: By = None,
) -> None:
    """Add a customer account."""
    state = runtime(ctx)
    cmd = service.AddAccount.parse(
        name=name,
        tier=tier,
        arr=parsing.money(arr, "--arr"),
        status=status,
        deal_size=parsing.money(deal_size, "--deal-size") if deal_size is not None else None,
        csm=csm,
        services_project=services_project,
        services_pm=pm,
    )
    account = state.run(service.add_account, cmd, by, required=False)
    typer.echo(f"Added account {account.name} (id {account.id}; {_business(account)})")


@app.command("edit")
def edit(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(metavar="ACCOUNT", help="Account name or id.")],
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help="strategic, enterprise, mid_market or smb.")
    ] = None,
    arr: Annotated[
        str | None, typer.Option("--arr", help="Annual recurring revenue: 120000, 120k or 1.5M.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="paying, pending_deal or prospect.")
    ] = None,
    deal_size: Annotated[
        str | None, typer.Option("--deal-size", help="Size of a pending deal (pending_deal only).")
    ] = None,
    csm: Annotated[
        str | None, typer.Option("--csm", help="The account's CSM (e-mail or id); none for none.")
    ] = None,
    services_project: Annotated[
        str | None,
        typer.Option("--services-project", help="Services project's name; none ends it."),
    ] = None,
    pm: Annotated[
        str | None, typer.Option("--pm", help="PM of that services project (e-mail or id).")
    ] = None,
    sentiment: Annotated[
        str | None, typer.Option("--sentiment", help="green, yellow or at_risk.")
    ] = None,
    version: Version = None,
    by: By = None,
) -> None:
    """Edit an account: what was given changes, and who set the sentiment is kept."""
    state = runtime(ctx)
    if services_project is not None and services_project.strip().lower() == "none" and pm is None:
        pm = "none"
    cmd = service.EditAccount.parse(
        key=account,
        name=name,
        tier=tier,
        arr=parsing.money(arr, "--arr") if arr is not None else None,
        status=status,
        deal_size=parsing.money(deal_size, "--deal-size") if deal_size is not None else None,
        csm=csm,
        services_project=services_project,
        services_pm=pm,
        sentiment=sentiment,
        version=version,
    )
    edited = state.run(service.edit_account, cmd, by)
    typer.echo(
        f"Edited account {edited.name} (id {edited.id}; {_business(edited)}, "
        f"sentiment {edited.sentiment.value}; version {edited.version})"
    )


@app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List accounts, largest ARR first."""
    found = runtime(ctx).read(service.list_accounts, None)
    if as_json:
        print_json({"items": [account_json(a) for a in found]})
        return
    table = Table(title="Accounts", title_justify="left")
    for column in ("ID", "Name", "Tier", "ARR", "Status", "Sentiment", "Services project"):
        table.add_column(column, justify="right" if column == "ARR" else "left")
    for a in found:
        table.add_row(
            str(a.id),
            a.name,
            a.tier.value,
            f"{a.arr:,}",
            a.status.value + (f" ({a.deal_size:,})" if a.deal_size else ""),
            a.sentiment.value,
            a.services_project.name if a.services_project else "—",
        )
    console().print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(metavar="ACCOUNT", help="Account name or id.")],
    as_json: AsJson = False,
) -> None:
    """Show one account with its CSM and services PM."""
    detail = runtime(ctx).read(service.show_account, service.ShowAccount(account))
    if as_json:
        data = account_json(detail.account)
        data["csm"] = person_json(detail.csm) if detail.csm else None
        data["services_pm"] = person_json(detail.services_pm) if detail.services_pm else None
        data["at_risk"] = bool(detail.risk and detail.risk.at_risk)
        data["at_risk_because"] = detail.risk.reasons if detail.risk else []
        print_json(data)
        return
    a = detail.account
    lines = [
        f"{a.name} (id {a.id})",
        f"  {_business(a)}, sentiment {a.sentiment.value}{_set_by(detail)}",
        f"  CSM: {detail.csm.name + ' <' + detail.csm.email + '>' if detail.csm else '—'}",
    ]
    if a.services_project and detail.services_pm:
        lines.append(
            f"  Services project: {a.services_project.name} "
            f"(PM {detail.services_pm.name} <{detail.services_pm.email}>)"
        )
    if detail.risk and detail.risk.at_risk:
        lines.append(f"  At risk: {' and '.join(detail.risk.reasons)}")
    console().print("\n".join(lines))


def _set_by(detail: service.AccountDetail) -> str:
    a = detail.account
    if a.sentiment_set_at is None:
        return ""
    who = detail.sentiment_set_by.name if detail.sentiment_set_by else "escdesk"
    return f" (set by {who}, {times.when(a.sentiment_set_at)})"


def _business(account: Account) -> str:
    deal = f", deal {account.deal_size:,}" if account.deal_size else ""
    return f"{account.tier.value}, {account.status.value}{deal}, ARR {account.arr:,}"
