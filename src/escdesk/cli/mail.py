"""`escdesk mail receive`: a customer's e-mail reply resumes the paused customer-update clock
(R-SLA-2). It reads one message on standard input, so a mail server's pipe, procmail or
fetchmail can deliver to it, or the new messages of a Maildir.

Exit codes: 0 a reply was recorded, 3 the message was read and nothing was recorded (an
auto-reply, a thread escdesk did not send, a sender who is no contact of the account, an
escalation that is not waiting on the customer), 2 the input is not a message, 1 the database
or another error. With `--maildir`, 0 once every message was handled (recorded or not).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from escdesk.cli.options import AsJson
from escdesk.cli.output import Json, print_json
from escdesk.cli.runtime import Runtime, runtime
from escdesk.domain.access import Actor
from escdesk.domain.errors import EscdeskError, InvalidInput
from escdesk.notify.inbound_mail import MAX_MESSAGE_BYTES, read_reply
from escdesk.services.customer_replies import ReplyResult, receive_customer_reply

IGNORED = 3
"""The exit code of a message read and left alone; a mail server's pipe may treat it as 0."""
SYSTEM = "escdesk (e-mail)"

app = typer.Typer(help="Inbound mail: customers' replies to their updates.", no_args_is_help=True)


def handle(state: Runtime, raw: bytes) -> ReplyResult:
    """One message: read it, then let the handler decide, as escdesk itself, in one transaction."""
    reply = read_reply(raw)
    return state.runner().run(receive_customer_reply, reply, Actor.system(SYSTEM))


def _json(result: ReplyResult, source: str | None = None) -> Json:
    data: Json = {
        "outcome": result.outcome.value,
        "escalation_id": result.escalation_id,
        "message": result.line,
    }
    return data | ({"file": source} if source else {})


@app.command("receive")
def receive(
    ctx: typer.Context,
    maildir: Annotated[
        Path | None,
        typer.Option(
            "--maildir",
            help="Process the new messages of this Maildir (moved to cur/ once handled) "
            "instead of one message on standard input.",
            file_okay=False,
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Read a customer's reply (RFC 5322) and, if it answers a paused escalation, resume it."""
    state = runtime(ctx)
    if maildir is not None:
        raise typer.Exit(_maildir(state, maildir, as_json))
    raw = sys.stdin.buffer.read(MAX_MESSAGE_BYTES + 1)
    if not raw.strip():
        raise InvalidInput("message", "is empty", "Pipe one whole e-mail to standard input")
    result = handle(state, raw)
    if as_json:
        print_json(_json(result))
    else:
        typer.echo(result.line)
    if not result.recorded:
        raise typer.Exit(IGNORED)


def _maildir(state: Runtime, folder: Path, as_json: bool) -> int:
    new, cur = folder / "new", folder / "cur"
    if not new.is_dir() or not cur.is_dir():
        raise InvalidInput("maildir", f"{folder} has no new/ and cur/", "Name a Maildir folder")
    failed = 0
    lines: list[Json] = []
    for path in sorted(p for p in new.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            result = handle(state, path.read_bytes()[: MAX_MESSAGE_BYTES + 1])
        except InvalidInput as unreadable:  # not a message: reading it again will not help
            path.rename(cur / f"{path.name.split(':', 1)[0]}:2,S")
            lines.append({"file": path.name, "outcome": "unreadable", "message": str(unreadable)})
            if not as_json:
                typer.echo(f"{path.name}: ignored: {unreadable}")
            continue
        except (EscdeskError, OSError) as error:
            failed += 1
            text = str(error) if isinstance(error, EscdeskError) else error.strerror
            lines.append({"file": path.name, "outcome": "error", "message": f"error: {text}"})
            if not as_json:
                typer.echo(f"{path.name}: error: {text}", err=True)
            continue
        path.rename(cur / f"{path.name.split(':', 1)[0]}:2,S")  # seen (Maildir's info part)
        lines.append(_json(result, path.name))
        if not as_json:
            typer.echo(f"{path.name}: {result.line}")
    if as_json:
        print_json({"items": lines})
    return 1 if failed else 0
