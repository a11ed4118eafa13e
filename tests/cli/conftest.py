"""Run the real `escdesk` command in-process against the `database_url` fixture's database.

The CLI reads its clock, config files and environment; the fixtures here make each test see
only its own: a private working directory, config and data directories, no ESCDESK_*, and the
composition root's clock stopped at `CLI_NOW`, so data seeded through the services sits at known
moments before it and no test depends on the wall clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner, Result

from escdesk import bootstrap
from escdesk.cli.app import app
from escdesk.services.escalation_commands import CloseEscalation, agreement_from
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

ESCDESK_VARIABLES = (
    "ESCDESK_CONFIG",
    "ESCDESK_DATABASE_URL",
    "ESCDESK_ACTOR",
    "ESCDESK_DEBUG",
    "ESCDESK_BASE_URL",
    "ESCDESK_SEVERITY",
)


@pytest.fixture(scope="session", autouse=True)
def command_built_once() -> Iterator[None]:
    """Typer rebuilds the Click command on every `invoke` (about 70 ms of type-hint parsing);
    build it once, so hundreds of invocations stay fast. The command itself is unchanged."""
    command = typer.main.get_command(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", lambda _app: command)
        yield


CLI_NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
"""What every in-process `escdesk` invocation of these tests reads as now."""


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(bootstrap, "system_clock", lambda: CLI_NOW)
    return CLI_NOW


@pytest.fixture(autouse=True)
def private_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No user config, no user data directory, no inherited ESCDESK_* setting."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("COLUMNS", "200")  # wide tables: assertions see whole cells
    for name in ESCDESK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return home


@dataclass
class Cli:
    """`cli("escalations", "list")` runs `escdesk --database-url <url> escalations list`."""

    url: str
    actor: str | None = None  # ESCDESK_ACTOR for every call: who makes the changes

    def __call__(
        self,
        *args: str,
        input: str | None = None,
        env: dict[str, str] | None = None,
        url: str | None = None,
    ) -> Result:
        argv: Sequence[str] = ["--database-url", url or self.url, *args]
        if self.actor is not None:
            env = {"ESCDESK_ACTOR": self.actor, **(env or {})}
        return CliRunner().invoke(app, list(argv), input=input, env=env)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, f"{args}: {result.output}"
        assert result.stderr == "", result.stderr
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json").stdout)


@pytest.fixture
def cli(database_url: str) -> Cli:
    return Cli(database_url)


@pytest.fixture
def recent() -> datetime:
    """A moment shortly before the CLI's own now, for data seeded through the services."""
    return CLI_NOW - timedelta(hours=2)


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: a bad command must leave every one of them unchanged."""
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    with engine.connect() as connection:
        return {
            n: connection.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names
        }


@dataclass
class Desk:
    """A small desk: people in the roles the rules ask for, one account, three escalations."""

    support: str
    csm: str
    manager: str
    product: str
    director: str
    plt: str
    account: str
    medium: int  # medium, via Support, open
    product_high: int  # high, product related, run by the CSM
    closed: int  # medium, closed with the customer's agreement


@pytest.fixture
def desk(uow: SqlUnitOfWork, recent: datetime) -> Desk:

    support = factories.add_person(uow, "support", now=recent, name="Sam Support").email
    csm = factories.add_person(uow, "csm", now=recent, name="Casey Csm").email
    manager = factories.add_person(uow, "manager", now=recent, name="Mia Manager").email
    product = factories.product_people(uow, now=recent)
    account = factories.add_account(uow, now=recent, name="Acme Corp", csm=csm).name
    medium = factories.open_escalation(uow, now=recent, account=account, by=support)
    high = factories.open_escalation(
        uow,
        now=recent,
        account=account,
        severity="high",
        route="csm",
        product_related=True,
        product_dri=product["product_dri"],
        product_leader=product["director"],
        summary="Product search returns nothing for accented names",
    )
    closed = factories.open_escalation(uow, now=recent, account=account, by=support)
    assert closed.id is not None
    factories.act(
        uow,
        CloseEscalation(
            closed.id,
            agreement_from("Dana Whitfield", recent + timedelta(minutes=30), "email"),
            waivers=factories.WAIVED,
        ),
        now=recent + timedelta(hours=1),
    )
    assert medium.id is not None and high.id is not None
    return Desk(
        support=support,
        csm=csm,
        manager=manager,
        product=product["product_dri"],
        director=product["director"],
        plt=product["plt"],
        account=account,
        medium=medium.id,
        product_high=high.id,
        closed=closed.id,
    )
