"""Every command of `escdesk`, named with its line of help and imported only when it runs.

Importing all the command modules cost about a second on every run (the delivery transports,
the importers, NumPy, Alembic…), so the root command lists what is here and imports a module
only when its command is run or its own help is asked for. `escdesk --help` is printed from the
lines below; a test holds each equal to the first paragraph of the command's real help.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperCommand


@dataclass(frozen=True)
class Entry:
    target: str
    """`module:attribute`: a Typer app (a group of commands) or a command function."""
    help: str
    """The first paragraph of the command's help, exactly as `escdesk --help` lists it."""
    extras: tuple[tuple[str, str], ...] = ()
    """Commands of other modules joined to this group: `(name, "module:attribute")`."""


COMMANDS: dict[str, Entry] = {
    "worker": Entry(
        "escdesk.cli.outbox:worker_command",
        "Deliver the outbox to Slack, e-mail, calendars and webhooks, and run the reminders.",
    ),
    "calendar-feed": Entry(
        "escdesk.cli.calendar_feed:calendar_feed_command",
        "Print the link of a person's calendar feed of every standup they attend.",
    ),
    "serve": Entry(
        "escdesk.cli.serve:serve_command", "Serve the web app and the JSON API (docs at /docs)."
    ),
    "backup": Entry(
        "escdesk.cli.archive:backup_command",
        "Back up the whole desk to a portable archive, while escdesk runs.",
    ),
    "restore": Entry(
        "escdesk.cli.archive:restore_command",
        "Restore an archive into an empty database; the similar-tickets index is rebuilt.",
    ),
    "demo": Entry(
        "escdesk.cli.demo:demo",
        "Rebuild a demo database full of realistic escalations, show its board, maybe serve it.",
    ),
    "breaches": Entry(
        "escdesk.cli.breaches:breaches_command",
        "Missed due moments, with how late, by severity, DRI and account.",
    ),
    "mail": Entry(
        "escdesk.cli.mail:app",
        "Inbound mail: customers' replies to their updates.",
    ),
    "metrics": Entry(  # R-MET
        "escdesk.cli.metrics:metrics_command",
        "The metrics (R-MET): CSAT, volume, time to close, ETA adherence, revenue at risk, fixes.",
    ),
    "db": Entry(
        "escdesk.cli.db:app", "Database schema: show the revision, upgrade it; back up SQLite."
    ),
    "accounts": Entry(
        "escdesk.cli.accounts:app",
        "Customer accounts: tier, ARR, status, CSM.",
        extras=(
            ("contacts", "escdesk.cli.contacts:app"),
            ("set-calendar", "escdesk.cli.calendars:set_account_calendar"),
        ),
    ),
    "people": Entry(
        "escdesk.cli.people:app",
        "People and their roles (support, csm, product, …).",
        extras=(("set-password", "escdesk.cli.tokens:set_password_command"),),
    ),
    "escalations": Entry(
        "escdesk.cli.escalations:app",
        "Escalations: open, update, re-own, close; the board of what is due.",
        extras=(
            ("wait-on-customer", "escdesk.cli.pauses:wait_on_customer"),
            ("customer-answered", "escdesk.cli.pauses:customer_answered"),
            ("standup", "escdesk.cli.pauses:standup"),
            ("snooze", "escdesk.cli.pauses:snooze"),
        ),
    ),
    "tokens": Entry("escdesk.cli.tokens:app", "API tokens for scripts and integrations."),
    "outbox": Entry(
        "escdesk.cli.outbox:app", "The outbox: messages waiting for delivery, failed or dead."
    ),
    "webhooks": Entry(
        "escdesk.cli.webhooks:app",
        "Webhook subscriptions: which events go to which URL, and how delivery went.",
    ),
    "requests": Entry(
        "escdesk.cli.requests:app",
        "Escalation requests: file one for the triage meeting; list, show, withdraw, decide.",
    ),
    "triage": Entry(
        "escdesk.cli.triage:app", "Triage meetings: the agenda, and the meeting as held."
    ),
    "retros": Entry(
        "escdesk.cli.retros:app",
        "Retrospectives: the timeline from the audit trail, missed opportunities, the root cause "
        "and follow-up actions.",
    ),
    "fixes": Entry(
        "escdesk.cli.fixes:app",
        "Support-written fixes: attach a patch, a pull/merge request or a workaround; Engineering "
        "reviews them in a queue.",
    ),
    "releases": Entry(
        "escdesk.cli.releases:app",
        "Interim releases: accepted fixes in Support's priority order, shipped with notes.",
    ),
    "links": Entry(
        "escdesk.cli.links:app",
        "Engineering links: issues and pull/merge requests in Jira, GitHub and GitLab.",
    ),
    "calendars": Entry(
        "escdesk.cli.calendars:app", "Working calendars: the hours the service clocks run in."
    ),
    "tickets": Entry(
        "escdesk.cli.tickets:app", "Helpdesk tickets: import exports, find similar earlier tickets."
    ),
    "recurring": Entry(
        "escdesk.cli.recurring:app",
        "Recurring issues: clusters of tickets with one cause, ranked; the weekly review.",
    ),
}
"""In the order `escdesk --help` lists them."""

_built: dict[str, Any] = {}


def command(name: str) -> Any:
    """The Click command of `name`, built as `app.add_typer`/`app.command` would (once)."""
    if name not in _built:
        entry = COMMANDS[name]
        target = _resolve(entry.target)
        for extra_name, extra_target in entry.extras:
            _register(target, extra_name, _resolve(extra_target))
        holder = typer.Typer(add_completion=False)
        _register(holder, name, target)
        _built[name] = typer.main.get_group(holder).commands[name]
    return _built[name]


def summary(name: str) -> TyperCommand:
    """A stand-in that only names the command and its help, for listing it."""
    return TyperCommand(name=name, help=COMMANDS[name].help)


def _resolve(target: str) -> Any:
    module, attribute = target.split(":")
    return getattr(importlib.import_module(module), attribute)


def _register(parent: typer.Typer, name: str, target: Any) -> None:
    if isinstance(target, typer.Typer):
        parent.add_typer(target, name=name)
    else:
        parent.command(name=name)(target)
