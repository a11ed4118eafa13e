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
from functools import cache
from typing import Annotated, Any

import typer

from escdesk.cli import registry, times
from escdesk.cli.click_errors import ABORTS, CLICK_ERRORS, NO_ARGS, USAGE_ERRORS
from escdesk.cli.runtime import Runtime, runtime, safe_url
from escdesk.domain.errors import AlreadyOpen, EscdeskError, InvalidInput, Need, RuleRefused

BAD_INPUT, FAILED = 2, 1


def fail(message: str) -> None:
    """One line on stderr, whatever the message held."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)


def debugging() -> bool:
    return os.environ.get("ESCDESK_DEBUG", "").strip() not in ("", "0", "false", "no")


class EscdeskGroup(registry.LazyGroup):
    """The root command; it owns the Runtime and maps every error of every command.

    Its commands come from the registry: a command's module is imported when it runs, and the
    root's help lists the registry's lines instead of importing every module for them.
    """

    listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *registry.COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in registry.COMMANDS:
            return super().get_command(ctx, cmd_name)
        return registry.summary(cmd_name) if self.listing else registry.command(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

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
        except Exception as exc:
            if debugging():
                raise
            if isinstance(exc, _operational_errors()):
                fail(_database_problem(exc, state))
                return FAILED
            fail(f"internal error: {type(exc).__name__}: {exc} (set ESCDESK_DEBUG=1 for details)")
            return FAILED


FIELD_FLAGS = {
    "agreed_by": "--agreed-by",
    "agreed_at": "--agreed-at",
    "agreed_via": "--agreed-via",
    "rca_reference": "--rca",
    "waivers": "--waive",
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
    "customer_summary": "--text",
    "csm": "--csm",
    "status": "--status",
    "source": "--source",
    "ids": "ID (or --ids-from FILE)",
    "fix_reference": "--ref",
    "release": "--release",
    "tracker": "--tracker",
    "project": "--project",
    "sentiment": "--sentiment",
    "also": "--also",
}
"""How the command line spells the domain's fields; the domain never names a flag."""
FIELD_FLAGS["verdict"] = "--as"  # escdesk tickets link
FIELD_FLAGS["use"] = "--use"  # escdesk tickets ranker
SPELLING_MODULES = ("escdesk.cli.requests", "escdesk.cli.metrics")
"""Command modules with flags of their own (`FIELD_FLAGS`), read when an error is spoken."""


@cache
def field_flags() -> dict[str, str]:
    """Every command's spelling of the fields; imported on the way out of an error only."""
    flags = dict(FIELD_FLAGS)
    for name in SPELLING_MODULES:
        flags.update(importlib.import_module(name).FIELD_FLAGS)
    return flags


def spoken_here(exc: EscdeskError) -> str:
    """The error as this face says it: the domain's field names become the flags to use."""
    if isinstance(exc, InvalidInput) and exc.field in field_flags():
        return f"{field_flags()[exc.field]}: {exc.problem}. {exc.fix}"
    if isinstance(exc, RuleRefused) and exc.missing:
        missing = "; ".join(_need_with_flags(need) for need in exc.missing)
        return f"{exc.rule_id}: {exc.problem} — missing: {missing}"
    if isinstance(exc, AlreadyOpen):
        return (
            f"{exc.problem}. Add to it (escdesk escalations update {exc.escalation_id} …), "
            "or give --also to open a second one"
        )
    return exc.message


def _need_with_flags(need: Need) -> str:
    flags = [field_flags().get(f, "--" + f.replace("_", "-")) for f in need.fields]
    return f"{need.what} ({', '.join(flags)})" if flags else need.what


def _operational_errors() -> tuple[type[Exception], ...]:
    """SQLAlchemy's OperationalError, if SQLAlchemy was imported (else nothing raised one)."""
    exc_module = sys.modules.get("sqlalchemy.exc")
    return (exc_module.OperationalError,) if exc_module is not None else ()


def _database_problem(exc: Exception, state: Runtime) -> str:
    """Name the database (never its password) and the driver's first line of complaint."""
    from sqlalchemy.engine import make_url

    url = state.url_in_use or state.database_url_option or ""
    orig = getattr(exc, "orig", None)  # the driver's error inside SQLAlchemy's OperationalError
    lines = str(orig if orig is not None else exc).strip().splitlines()
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


def main() -> None:
    """Console-script entry point (`escdesk`)."""
    app(prog_name="escdesk")
