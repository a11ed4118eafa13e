"""Every command of `escdesk`, named with its line of help and imported only when it runs.

Importing all the command modules cost about a second on every run (the delivery transports,
the importers, NumPy, Alembic…), so the root command lists what is here and imports a module
only when its command is run or its own help is asked for. `escdesk --help` is printed from the
lines below; a test holds each equal to the first paragraph of the command's real help.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

from escdesk.cli.click_errors import USAGE_ERRORS


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


class LazyGroup(TyperGroup):
    """A group of commands some of which live in other modules, imported when one is run.

    `escdesk escalations list` need not import the modules of `escalations close` or `snooze`:
    the names below (and a registry entry's extras) are listed at once, built on first use.
    """

    elsewhere: ClassVar[dict[str, str]] = {}
    """Commands of other modules: name → `module:function`, in the order the help lists them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(self.elsewhere)

    def list_commands(self, ctx: Any) -> list[str]:
        here = super().list_commands(ctx)
        return [*here, *(name for name in self.lazy if name not in here)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(_built_alone(cmd_name, _resolve(self.lazy[cmd_name])), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except USAGE_ERRORS as exc:  # suggest among every command, not only the ones built
            message = exc.message  # type: ignore[attr-defined]
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches and "Did you mean" not in message:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{message.rstrip('.')}. Did you mean {suggestions}?"  # type: ignore[attr-defined]
            raise


def command(name: str) -> Any:
    """The Click command of `name`, built as `app.add_typer`/`app.command` would (once)."""
    if name not in _built:
        entry = COMMANDS[name]
        target = _resolve(entry.target)
        lazy = isinstance(target, typer.Typer) and _is_lazy(target.info.cls)
        for extra_name, extra_target in () if lazy else entry.extras:
            _register(target, extra_name, _resolve(extra_target))
        built = _built_alone(name, target)
        if lazy:
            built.lazy.update(entry.extras)
        _built[name] = built
    return _built[name]


def summary(name: str) -> TyperCommand:
    """A stand-in that only names the command and its help, for listing it."""
    return TyperCommand(name=name, help=COMMANDS[name].help)


def _built_alone(name: str, target: Any) -> Any:
    holder = typer.Typer(add_completion=False)
    _register(holder, name, target)
    return typer.main.get_group(holder).commands[name]


def _is_lazy(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, LazyGroup)


def _resolve(target: str) -> Any:
    module, attribute = target.split(":")
    return getattr(importlib.import_module(module), attribute)


def _register(parent: typer.Typer, name: str, target: Any) -> None:
    if isinstance(target, typer.Typer):
        parent.add_typer(target, name=name)
    else:
        parent.command(name=name)(target)
