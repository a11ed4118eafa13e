"""`escdesk calendar-feed PERSON`: the secret link to a person's feed of standups (R-ESC-10)."""

from __future__ import annotations

from typing import Annotated

import typer

from escdesk.cli.options import AsJson
from escdesk.cli.output import print_json
from escdesk.cli.runtime import runtime
from escdesk.services import calendar_feeds as service
from escdesk.services.acting import DatabaseAdministrator

PUBLIC_PATH = "/calendar/{token}.ics"


def calendar_feed_command(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="The person's e-mail or id.")],
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Replace the link; the old one stops working.")
    ] = False,
    withdraw: Annotated[
        bool, typer.Option("--withdraw", help="Take the feed down: its link answers 404.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Print the link of a person's calendar feed of every standup they attend."""
    state = runtime(ctx)
    actor = DatabaseAdministrator()
    if withdraw:
        done = service.withdraw_feed_now(
            state.uow(), service.WithdrawFeed(person), actor, state.now
        )
        typer.echo(f"Withdrew the calendar feed of {person}" if done else f"{person} had no feed")
        return
    token = service.publish_feed_now(
        state.uow(), service.PublishFeed(person, rotate=rotate), actor, state.now
    )
    url = state.settings.base_url.rstrip("/") + PUBLIC_PATH.format(token=token)
    if as_json:
        print_json({"person": person, "token": token, "url": url})
        return
    typer.echo(f"Calendar feed of {person} (subscribe to it; anyone with the link can read it):")
    typer.echo(url)
