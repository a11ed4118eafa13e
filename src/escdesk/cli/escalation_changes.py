"""The `escdesk escalations` commands that change one escalation.

Each takes `--version N` (refused as a conflict if someone changed it since you looked) and
`--by EMAIL` (the actor, default $ESCDESK_ACTOR), calls one service, and prints the new state
and version on one line so the next command can pass it on.
"""

from __future__ import annotations

from typing import Annotated

import typer

from escdesk.cli import parsing, times
from escdesk.cli.options import By, EscalationArg, Reason, Version
from escdesk.cli.output import esc_label
from escdesk.cli.runtime import Runtime, runtime
from escdesk.domain.accounts import parse_choice, parse_sentiment
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.errors import InvalidInput
from escdesk.domain.escalation import Escalation
from escdesk.domain.severity import parse_severity
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeExitCriteria,
    ChangeSeverity,
    CloseEscalation,
    MoveToMonitoring,
    PostUpdate,
    ReopenEscalation,
    SetCustomerSummary,
    SetEta,
    agreement_from,
    waiver_from,
)


def changed(esc: Escalation, what: str) -> None:
    typer.echo(f"{esc_label(esc.id)} {what} (status {esc.status}, version {esc.version})")


def update(
    ctx: typer.Context,
    escalation: EscalationArg,
    body: Annotated[
        str, typer.Option("--body", help="The update text; `-` reads it from standard input.")
    ],
    internal: Annotated[
        bool | None,
        typer.Option(
            "--internal/--customer",
            help="Who it is for: the internal tracker or the customer (required).",
            show_default=False,
        ),
    ] = None,
    preview: Annotated[
        bool,
        typer.Option(
            "--preview",
            help="Customer-facing only: print what the customer will read (the status-page "
            "entry and each contact's e-mail) and post nothing.",
        ),
    ] = False,
    version: Version = None,
    by: By = None,
) -> None:
    """Post an internal or customer-facing update; it restarts that audience's cadence.

    The update is posted at once; `--preview` shows a customer-facing one first, as the
    customer will read it, without posting it.
    """
    if internal is None:
        raise InvalidInput("audience", "say who the update is for", "Add --internal or --customer")
    state = runtime(ctx)
    audience = "internal" if internal else "customer"
    if preview:
        if internal:
            raise InvalidInput(
                "audience", "an internal update has no customer preview", "Use --customer"
            )
        show_preview(state, parsing.escalation_id(escalation), parsing.body(body), by)
        return
    cmd = PostUpdate(
        parsing.escalation_id(escalation),
        Audience.INTERNAL if internal else Audience.CUSTOMER,
        parsing.body(body),
        version,
    )
    esc = state.run(service.post_update, cmd, by)
    changed(esc, f"{audience} update posted")


def show_preview(state: Runtime, escalation_id: int, body: str, by: str | None) -> None:
    """The update as the customer will read it, through the code that renders it for them."""
    from escdesk.notify import mail_text
    from escdesk.services.customer_preview import PreviewCustomerUpdate, preview_customer_update

    query = PreviewCustomerUpdate(escalation_id, body)
    found = state.read(preview_customer_update, query, by)
    typer.echo(f"Not posted. On the status page of {found.reference}:\n\n{found.entry.body}\n")
    mails = mail_text.previews(found, state.settings.company_name)
    if not mails:
        typer.echo("The account has no customer contacts: no e-mail would go out.")
    for contact, mail in mails:
        typer.echo(f"--- e-mail to {contact.email}\nSubject: {mail.subject}\n\n{mail.text}\n")


def customer_summary(
    ctx: typer.Context,
    escalation: EscalationArg,
    text: Annotated[
        str,
        typer.Option(
            "--text", help="One line in the customer's words; `-` reads it from standard input."
        ),
    ],
    version: Version = None,
    by: By = None,
) -> None:
    """Say what the escalation is about in the customer's words (status page, e-mail subjects)."""
    state = runtime(ctx)
    cmd = SetCustomerSummary(parsing.escalation_id(escalation), parsing.body(text), version)
    esc = state.run(service.set_customer_summary, cmd, by)
    changed(esc, f"customer summary set: {esc.customer_summary}")


def severity(
    ctx: typer.Context,
    escalation: EscalationArg,
    level: Annotated[str, typer.Argument(help="critical, high, medium or low.")],
    reason: Reason,
    dri: Annotated[
        str | None, typer.Option("--dri", help="New DRI, if the level needs one.")
    ] = None,
    product_dri: Annotated[
        str | None, typer.Option("--product-dri", help="Product DRI, if the level needs one.")
    ] = None,
    product_leader: Annotated[
        str | None,
        typer.Option("--product-leader", help="Product leader, if the level needs another."),
    ] = None,
    version: Version = None,
    by: By = None,
) -> None:
    """Change the severity (told in the shared channel); owners must fit the new level."""
    state = runtime(ctx)
    cmd = ChangeSeverity(
        parsing.escalation_id(escalation),
        parse_severity(level),
        reason,
        dri=dri,
        product_dri=product_dri,
        product_leader=product_leader,
        version=version,
    )
    esc = state.run(service.change_severity, cmd, by)
    changed(esc, f"is now {esc.severity}")


def eta(
    ctx: typer.Context,
    escalation: EscalationArg,
    when: Annotated[
        str,
        typer.Argument(
            metavar="WHEN", help="ISO 8601 (UTC unless an offset is given) or +3d, +36h."
        ),
    ],
    reason: Reason,
    version: Version = None,
    by: By = None,
) -> None:
    """Set the ETA; every change is kept, so slips stay visible (R-ESC-8)."""
    state = runtime(ctx)
    cmd = SetEta(
        parsing.escalation_id(escalation),
        parsing.moment(when, "eta", now=state.now, relative=True),
        reason,
        version,
    )
    esc = state.run(service.set_eta, cmd, by)
    slips = f", slipped ×{esc.eta_slips}" if esc.eta_slips else ""
    changed(esc, f"ETA set to {times.when(esc.eta)}{slips}")


def exit_criteria(
    ctx: typer.Context,
    escalation: EscalationArg,
    add: Annotated[
        list[str] | None, typer.Option("--add", help="Add a criterion (repeatable).")
    ] = None,
    done: Annotated[
        list[int] | None, typer.Option("--done", help="Tick criterion N (repeatable).")
    ] = None,
    undo: Annotated[
        list[int] | None, typer.Option("--undo", help="Untick criterion N (repeatable).")
    ] = None,
    version: Version = None,
    by: By = None,
) -> None:
    """Keep the exit criteria current: add, tick and untick, numbered from 1 as `show` lists."""
    state = runtime(ctx)
    if not (add or done or undo):
        raise InvalidInput(
            "exit_criteria", "nothing to change", "Use --add TEXT, --done N or --undo N"
        )
    cmd = ChangeExitCriteria(
        parsing.escalation_id(escalation),
        add=tuple(add or ()),
        done=tuple(done or ()),
        undone=tuple(undo or ()),
        version=version,
    )
    esc = state.run(service.change_exit_criteria, cmd, by)
    ticked = sum(1 for c in esc.exit_criteria if c.done)
    changed(esc, f"exit criteria: {ticked} of {len(esc.exit_criteria)} done")


def dri(
    ctx: typer.Context,
    escalation: EscalationArg,
    person: Annotated[str, typer.Argument(metavar="PERSON", help="The new owner (e-mail or id).")],
    reason: Reason,
    role: Annotated[
        str, typer.Option("--role", help="dri, product_dri or product_leader.")
    ] = "dri",
    version: Version = None,
    by: By = None,
) -> None:
    """Hand the DRI, product DRI or product leader role to someone else, with a reason."""
    state = runtime(ctx)
    cmd = AssignOwner(
        parsing.escalation_id(escalation),
        parse_choice(OwnerRole, role, "--role"),
        person,
        reason,
        version,
    )
    esc = state.run(service.assign_owner, cmd, by)
    changed(esc, f"{role.replace('-', '_')} handed to {person}")


def monitor(
    ctx: typer.Context,
    escalation: EscalationArg,
    note: Annotated[str, typer.Option("--note", help="What reduced the risk to standard process.")],
    version: Version = None,
    by: By = None,
) -> None:
    """Move to monitoring: risk reduced to standard process (told in the shared channel)."""
    state = runtime(ctx)
    cmd = MoveToMonitoring(parsing.escalation_id(escalation), note, version)
    esc = state.run(service.move_to_monitoring, cmd, by)
    changed(esc, "moved to monitoring")


def close(
    ctx: typer.Context,
    escalation: EscalationArg,
    agreed_by: Annotated[
        str | None, typer.Option("--agreed-by", help="Who at the customer agreed to close.")
    ] = None,
    agreed_at: Annotated[
        str | None,
        typer.Option("--agreed-at", help="When they agreed: ISO 8601 (UTC default) or now."),
    ] = None,
    agreed_via: Annotated[
        str | None,
        typer.Option("--agreed-via", help="How: email, call, meeting, ticket or issue."),
    ] = None,
    rca: Annotated[
        str | None,
        typer.Option("--rca", help="Root-cause analysis reference (required if product related)."),
    ] = None,
    waive: Annotated[
        list[str] | None,
        typer.Option(
            "--waive",
            help='Waive open exit criterion N with a reason: N="reason" (repeatable).',
        ),
    ] = None,
    sentiment: Annotated[
        str | None,
        typer.Option(
            "--sentiment", help="The account's sentiment as it ends: green, yellow or at_risk."
        ),
    ] = None,
    version: Version = None,
    by: By = None,
) -> None:
    """Close: needs the customer's agreement, exit criteria done or waived, maybe an RCA.

    The agreement is who, when and how; an exit criterion still open is waived with
    `--waive N="reason"`, which the customer reads on the status page; a product-related
    escalation also needs an RCA (or its completed retrospective)."""
    state = runtime(ctx)
    agreement = agreement_from(
        agreed_by,
        parsing.moment(agreed_at, "--agreed-at", now=state.now) if agreed_at else None,
        agreed_via,
    )
    cmd = CloseEscalation(
        parsing.escalation_id(escalation),
        agreement,
        rca,
        version,
        sentiment=parse_sentiment(sentiment) if sentiment else None,
        waivers=tuple(waiver_from(text) for text in waive or ()),
    )
    esc = state.run(service.close_escalation, cmd, by)
    changed(esc, "closed")


def reopen(
    ctx: typer.Context,
    escalation: EscalationArg,
    reason: Reason,
    version: Version = None,
    by: By = None,
) -> None:
    """Reopen a monitoring or closed escalation; the update cadence starts again from now."""
    state = runtime(ctx)
    cmd = ReopenEscalation(parsing.escalation_id(escalation), reason, version)
    esc = state.run(service.reopen_escalation, cmd, by)
    changed(esc, "reopened")
