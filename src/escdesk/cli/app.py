"""The `escdesk` command. Errors become output here, once, and nowhere else.

Commands parse their options, call one service function and render the result; whatever goes
wrong on the way arrives here and leaves as one line on stderr with a stable exit code:
2 for bad input (ours or Click's), 1 for not found, conflict, refusal and everything else.
No traceback reaches a user unless ESCDESK_DEBUG=1 asks for it.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from escdesk.cli import (
    accounts,
    archive,
    breaches,
    calendar_feed,
    calendars,
    contacts,
    db,
    demo,
    escalations,
    fixes,
    links,
    mail,
    metrics,
    outbox,
    pauses,
    people,
    releases,
    requests,
    retros,
    serve,
    times,
    tokens,
    triage,
    webhooks,
)
from escdesk.cli.runtime import Runtime, runtime, safe_url
from escdesk.domain.errors import EscdeskError, InvalidInput, Need, RuleRefused

BAD_INPUT, FAILED = 2, 1


def _click_classes(name: str) -> tuple[type[Exception], ...]:
    """Recent Typer vendors Click as `typer._click`, older Typer uses Click: catch both."""
    found: list[type[Exception]] = []
    for module_name in ("typer._click.exceptions", "typer.exceptions", "click.exceptions"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, Exception) and cls not in found:
            found.append(cls)
    return tuple(found)


NO_ARGS = _click_classes("NoArgsIsHelpError")
USAGE_ERRORS = _click_classes("UsageError")
CLICK_ERRORS = _click_classes("ClickException")
ABORTS = _click_classes("Abort")


def fail(message: str) -> None:
    """One line on stderr, whatever the message held."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)


def debugging() -> bool:
    return os.environ.get("ESCDESK_DEBUG", "").strip() not in ("", "0", "false", "no")


LAZY_GROUPS = {"tickets": "escdesk.cli.tickets", "recurring": "escdesk.cli.recurring"}
"""Command groups imported only when used: they pull in NumPy and SciPy, which every other
command would otherwise pay for at start-up."""


class EscdeskGroup(TyperGroup):
    """The root command; it owns the Runtime and maps every error of every command."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *LAZY_GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in LAZY_GROUPS:
            return super().get_command(ctx, cmd_name)
        group = typer.main.get_command(importlib.import_module(LAZY_GROUPS[cmd_name]).app)
        group.name = cmd_name
        return group

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        state = Runtime()
        try:
            code = self._run(args, prog_name or "escdesk", complete_var, state, extra)
        finally:
            state.close()
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str,
        complete_var: str | None,
        state: Runtime,
        extra: dict[str, Any],
    ) -> int:
        try:
            result = super().main(
                args, prog_name, complete_var, standalone_mode=False, obj=state, **extra
            )
            return result if isinstance(result, int) else 0
        except NO_ARGS as exc:  # the help was printed while raising it (Rich) or is its message
            text = exc.format_message()  # type: ignore[attr-defined]
            if text:
                typer.echo(text)
            return int(exc.exit_code)  # type: ignore[attr-defined]
        except USAGE_ERRORS as exc:
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else prog_name
            fail(f"{where}: {exc.format_message()} (see `{where} --help`)")  # type: ignore[attr-defined]
            return int(exc.exit_code)  # type: ignore[attr-defined]
        except CLICK_ERRORS as exc:
            fail(exc.format_message())  # type: ignore[attr-defined]
            return int(exc.exit_code)  # type: ignore[attr-defined]
        except ABORTS:
            fail("aborted")
            return FAILED
        except EscdeskError as exc:
            fail(spoken_here(exc))
            return BAD_INPUT if isinstance(exc, InvalidInput) else FAILED
        except OperationalError as exc:
            if debugging():
                raise
            fail(_database_problem(exc, state))
            return FAILED
        except Exception as exc:
            if debugging():
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (set ESCDESK_DEBUG=1 for details)")
            return FAILED


FIELD_FLAGS = {
    "agreed_by": "--agreed-by",
    "agreed_at": "--agreed-at",
    "agreed_via": "--agreed-via",
    "rca_reference": "--rca",
    "initial_ask": "--ask",
    "required_skills": "--skill",
    "dri": "--dri",
    "product_dri": "--product-dri",
    "product_leader": "--product-leader",
    "deal_size": "--deal-size",
    "services_project": "--services-project",
    "services_pm": "--pm",
    "eta": "--eta",
    "summary": "--summary",
    "csm": "--csm",
    "status": "--status",
    "source": "--source",
    "ids": "ID (or --ids-from FILE)",
    "fix_reference": "--ref",
    "release": "--release",
    "tracker": "--tracker",
    "project": "--project",
}
"""How the command line spells the domain's fields; the domain never names a flag."""
FIELD_FLAGS.update(requests.FIELD_FLAGS)
FIELD_FLAGS["verdict"] = "--as"  # escdesk tickets link
FIELD_FLAGS.update(metrics.FIELD_FLAGS)


def spoken_here(exc: EscdeskError) -> str:
    """The error as this face says it: the domain's field names become the flags to use."""
    if isinstance(exc, InvalidInput) and exc.field in FIELD_FLAGS:
        return f"{FIELD_FLAGS[exc.field]}: {exc.problem}. {exc.fix}"
    if isinstance(exc, RuleRefused) and exc.missing:
        missing = "; ".join(_need_with_flags(need) for need in exc.missing)
        return f"{exc.rule_id}: {exc.problem} — missing: {missing}"
    return exc.message


def _need_with_flags(need: Need) -> str:
    flags = [FIELD_FLAGS.get(f, "--" + f.replace("_", "-")) for f in need.fields]
    return f"{need.what} ({', '.join(flags)})" if flags else need.what


def _database_problem(exc: OperationalError, state: Runtime) -> str:
    """Name the database (never its password) and the driver's first line of complaint."""
    url = state.url_in_use or state.database_url_option or ""
    lines = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    reason = lines[0] if lines else type(exc).__name__
    try:
        password = make_url(url).password
    except Exception:  # the URL was usable enough to fail on connect; mask nothing then
        password = None
    if password:
        reason = reason.replace(str(password), "***")
    return f"cannot use the database at {safe_url(url)}: {reason}"


app = typer.Typer(
    name="escdesk",
    cls=EscdeskGroup,
    help="escdesk — run customer escalations like outages, from intake to a closed root cause.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="ESCDESK_DATABASE_URL",
            show_envvar=True,
            help="SQLAlchemy URL of the store (sqlite:///… or postgresql+psycopg://…). "
            "Default: the database_url setting, else escdesk.db in the user data directory.",
        ),
    ] = None,
    utc: Annotated[
        bool,
        typer.Option(
            "--utc",
            help="Print moments in UTC instead of the actor's own timezone (--json always is).",
        ),
    ] = False,
) -> None:
    """escdesk — run customer escalations like outages, from intake to a closed root cause."""
    runtime(ctx).database_url_option = database_url
    times.begin(ctx, utc=utc)


app.add_typer(db.app, name="db")
accounts.app.add_typer(contacts.app, name="contacts")
app.add_typer(accounts.app, name="accounts")
people.app.command(name="set-password")(tokens.set_password_command)
app.add_typer(people.app, name="people")
app.add_typer(escalations.app, name="escalations")
app.add_typer(tokens.app, name="tokens")
app.add_typer(outbox.app, name="outbox")
app.command(name="worker")(outbox.worker_command)
app.add_typer(webhooks.app, name="webhooks")
app.command(name="calendar-feed")(calendar_feed.calendar_feed_command)
app.command(name="serve")(serve.serve_command)
app.command(name="backup")(archive.backup_command)
app.command(name="restore")(archive.restore_command)
app.command(name="demo")(demo.demo)
app.add_typer(requests.app, name="requests")
app.add_typer(triage.app, name="triage")
app.add_typer(retros.app, name="retros")
app.add_typer(fixes.app, name="fixes")
app.add_typer(releases.app, name="releases")
app.add_typer(links.app, name="links")
app.add_typer(calendars.app, name="calendars")
accounts.app.command(name="set-calendar")(calendars.set_account_calendar)
escalations.app.command(name="wait-on-customer")(pauses.wait_on_customer)
escalations.app.command(name="customer-answered")(pauses.customer_answered)
escalations.app.command(name="standup")(pauses.standup)
escalations.app.command(name="snooze")(pauses.snooze)
app.command(name="breaches")(breaches.breaches_command)
app.add_typer(mail.app, name="mail")
app.command(name="metrics")(metrics.metrics_command)  # R-MET


def main() -> None:
    """Console-script entry point (`escdesk`)."""
    app(prog_name="escdesk")
