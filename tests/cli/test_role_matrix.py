"""R-OPS-2 on the command line: every command that changes something, run as every role.

The API and the pages are walked by tests/api/test_role_matrix.py; this walks the CLI the same
way. The commands are read from the CLI itself: every command that names its actor (`--by`)
must be listed in CALLS below, so a command added tomorrow is checked tomorrow; commands without
an actor are the administrator's (database access) and are listed in ADMINISTRATIVE. Each call
is first made by a person holding every role, which records the permission the handler asks
for (the real check still runs); then by a person of each single role, whose answer must follow
ROLE_PERMISSIONS: refused with the permission named (exit 1) exactly when the role lacks it.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main

from escdesk.cli.app import app
from escdesk.domain import access
from escdesk.domain.access import ROLE_PERMISSIONS, Permission
from escdesk.domain.people import Role
from escdesk.services.links import AddLink, add_link
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.after_factories import engineering_escalation, to_monitoring
from tests.cli.conftest import Cli, Desk
from tests.request_factories import file_request

E = "{escalation}"
CALLS: dict[str, list[str]] = {
    "accounts add": ["Globex", "--tier", "smb", "--arr", "1000"],
    "accounts set-calendar": ["{account}", "--calendar", "nowhere"],
    "accounts edit": ["{account}", "--arr", "2000"],
    "people add": ["Pat New", "--email", "pat.new@example.com", "--role", "support"],
    "escalations open": ["--account", "{account}", "--severity", "medium", "--summary", "s",
                         "--ask", "a"],
    "escalations update": [E, "--internal", "--body", "an update"],
    "escalations customer-summary": [E, "--text", "Exports are slow"],
    "escalations severity": [E, "low", "--reason", "r"],
    "escalations eta": [E, "+3d", "--reason", "r"],
    "escalations exit-criteria": [E, "--add", "works again"],
    "escalations dri": [E, "{manager}", "--reason", "r"],
    "escalations monitor": [E, "--note", "n"],
    "escalations close": [E],
    "escalations reopen": [E, "--reason", "r"],
    "escalations wait-on-customer": [E, "--reason", "r"],
    "escalations customer-answered": [E],
    "escalations standup": [E, "--days", "mon-fri", "--time", "09:30", "--timezone", "UTC"],
    "escalations snooze": [E, "--reason", "r", "--for", "1h"],
    "outbox list": [],
    "outbox retry": ["1"],
    "requests file": [],
    "requests duplicate": ["1", "--of", "ESC-1"],
    "requests withdraw": ["1", "--reason", "r"],
    "requests decide": ["1", "--backlog", "--rationale", "r"],
    "triage meeting": ["--attendee", "{manager}"],
    "retros show": ["1"],
    "retros export": ["1"],
    "retros annotate": ["1", "1", "a note"],
    "retros missed": ["1", "a missed chance"],
    "retros describe": ["1"],
    "retros follow-up": ["1", "a follow-up", "--owner", "{manager}", "--due", "+7d"],
    "retros done": ["1", "1"],
    "retros complete": ["1"],
    "retros create-issue": ["1", "1", "--tracker", "github", "--project", "acme/app"],
    "fixes submit": ["a fix", "--kind", "workaround"],
    "fixes review": ["1", "--decision", "accept"],
    "fixes revise": ["1"],
    "releases plan": ["9.9.1", "--on", "2026-12-31"],
    "releases add": ["1", "1"],
    "releases remove": ["1", "1"],
    "releases rank": ["1", "1", "1"],
    "releases ship": ["1"],
    "links add": ["https://github.com/acme/app/issues/1", "--escalation", E],
    "links remove": ["1"],
    "calendars add": ["office", "--timezone", "UTC", "--hours", "mon-fri 09:00-17:00"],
    "calendars set-default": ["office"],
    "tickets link": ["1", "2"],
    "tickets train-ranker": [],
    "tickets ranker": ["--reset"],
    "recurring confirm": ["1"],
    "recurring rename": ["1", "a label"],
    "recurring merge": ["1", "--into", "2"],
    "recurring split": ["1", "1", "--label", "a label"],
    "recurring link": ["1", E],
    "recurring fix": ["1", "--ref", "PR-1"],
}  # fmt: skip
"""Arguments that get each command past its parsing to the handler's permission check. The
records named by number that a handler reads before it asks (to know their owners) exist: a
request, a retrospective, a link."""

ENV = {"ESCDESK_GITHUB_TOKEN": "github-token-of-the-walk"}
"""Settings a command checks before its handler runs (creating a tracker issue needs a token)."""

ADMINISTRATIVE = {
    "worker", "calendar-feed", "serve", "demo", "db upgrade", "db current", "db backup", "backup",
    "restore",
    "people set-password", "tokens create", "tokens list", "tokens revoke", "webhooks add",
    "webhooks list", "webhooks remove", "webhooks log", "accounts contacts add",
    "accounts contacts list", "accounts contacts remove", "tickets import", "tickets reindex",
    "recurring rebuild", "mail receive",
}  # fmt: skip
"""Commands that act as the administrator who holds the database (README: the CLI and access)."""


def leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if hasattr(command, "list_commands"):
        context = click.Context(command)
        for name in command.list_commands(context):
            yield from leaves(command.get_command(context, name), (*path, name))
    else:
        yield " ".join(path), command


def names_its_actor(command: Any) -> bool:
    return any("--by" in getattr(p, "opts", []) for p in command.params)


def test_every_command_is_walked_or_knowingly_administrative() -> None:
    commands = dict(leaves(typer.main.get_command(app)))
    acting = {name for name, command in commands.items() if names_its_actor(command)}
    assert acting == set(CALLS), "commands with --by that this walk does not call (or no more)"
    unlisted = {n for n in set(commands) - acting if not _reads_only(n)} - ADMINISTRATIVE
    assert unlisted == set(), f"commands that change things without naming an actor: {unlisted}"


def _reads_only(name: str) -> bool:
    verb = name.split()[-1]
    return verb in {"list", "show", "history", "due", "agenda", "shares", "queue", "lead-time",
                    "similar", "prevention", "review", "add-time", "between", "sync",
                    "breaches", "metrics"}  # fmt: skip


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[Permission]:
    """The permissions the handlers ask about, in order (`require` asks through `can`; a rule
    of relation, such as "its requester or whoever decides requests", asks `can` itself). The
    real check still decides."""
    seen: list[Permission] = []
    real = access.Actor.can

    def recording(self: access.Actor, permission: Permission, *args: Any, **kw: Any) -> bool:
        seen.append(permission)
        return real(self, permission, *args, **kw)

    monkeypatch.setattr(access.Actor, "can", recording)
    return seen


def fresh_copy(snapshot: Path, directory: Path) -> str:
    """A copy of the desk for one call, so every call starts from the same records (a removal
    by one role must not turn the next role's refusal into "not found")."""
    target = directory / f"call-{next(_calls)}.db"
    with sqlite3.connect(snapshot) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


_calls = itertools.count()


def test_every_command_allows_and_refuses_exactly_as_the_role_table_says(
    cli: Cli, desk: Desk, uow: SqlUnitOfWork, recent: Any, asked: list[Permission], tmp_path: Path
) -> None:
    if not cli.url.startswith("sqlite"):
        pytest.skip("each call runs on a copy of the SQLite desk; the rules are the store's alike")
    everyone = factories.add_person(uow, *(r.value for r in Role), now=recent, name="All Roles")
    file_request(uow, now=recent, account=desk.account)
    to_monitoring(uow, engineering_escalation(uow, now=recent), now=recent)
    link = AddLink("escalation", desk.medium, "https://github.com/acme/app/issues/7")
    factories.act(uow, link, now=recent, handler=add_link)
    people = {role: factories.add_person(uow, role.value, now=recent) for role in Role}
    values = {"escalation": str(desk.medium), "account": desk.account, "manager": desk.manager}
    snapshot = Path(cli.url.removeprefix("sqlite:///"))
    wrong: list[str] = []
    for name, template in CALLS.items():
        argv = [*name.split(), *(part.format(**values) for part in template)]
        asked.clear()
        first = cli(*argv, "--by", everyone.email, url=fresh_copy(snapshot, tmp_path), env=ENV)
        if not asked:
            wrong.append(f"{name}: never asked for a permission ({first.output.strip()!r})")
            continue
        needed = asked[0]
        for role, person in people.items():
            result = cli(*argv, "--by", person.email, url=fresh_copy(snapshot, tmp_path), env=ENV)
            refused = result.exit_code == 1 and " may not " in result.stderr
            if (needed in ROLE_PERMISSIONS[role]) == refused:
                wrong.append(f"{name} as {role.value}: exit {result.exit_code} {result.stderr!r}")
    assert wrong == [], "\n".join(wrong)
