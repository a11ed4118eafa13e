"""What every command shares: settings, one clock reading, and the store, opened on first use.

Nothing touches the database until a command asks for it, so `--help` and usage errors stay
instant and a broken store cannot hide a usage error; the configuration, SQLAlchemy and the
composition root are imported on that first use too, not by every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import typer

from escdesk.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from escdesk.bootstrap import Desk
    from escdesk.config import Settings
    from escdesk.domain.access import Actor
    from escdesk.domain.severity import SeverityPolicy
    from escdesk.services.runner import Handler, Runner
    from escdesk.store.uow import SqlUnitOfWork

C = TypeVar("C")
R = TypeVar("R")


def safe_url(url: str) -> str:
    """The URL as it may be shown to a user: never with its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL has no password we could find; show its scheme only
        return url.split("://", 1)[0] + "://…" if "://" in url else url


@dataclass
class Runtime:
    """Built once per invocation by `cli.app`; commands reach it through `runtime(ctx)`.

    The desk (settings, engine, policy, runner, clock) comes from the composition root on first
    use, so `--help` and usage errors never touch the configuration or the store.
    """

    database_url_option: str | None = None
    engines: dict[str, Engine] = field(default_factory=dict)
    url_in_use: str | None = None
    named_actor: str | None = None  # who the command acted as: `cli.times` prints their zone
    _settings: Settings | None = None
    _desk: Desk | None = None
    _now: datetime | None = None

    @property
    def settings(self) -> Settings:
        """Read and validate the configuration on first use: every command that touches the
        store or the policy fails on a bad setting, while `--help` always works."""
        if self._settings is None:
            from escdesk.config import load_settings

            self._settings = load_settings(database_url=self.database_url_option)
        return self._settings

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            from escdesk.bootstrap import bootstrap, prepare_database

            self._desk = bootstrap(self.settings, engine=self.engine(), every_table=False)
            prepare_database(self._desk.engine)
        return self._desk

    @property
    def now(self) -> datetime:
        """One clock reading per invocation, from the composition root's clock (tests stop it
        there); read without building the desk, so no database is opened for it."""
        if self._now is None:
            import escdesk.bootstrap as composition

            self._now = composition.system_clock()
        return self._now

    @property
    def policy(self) -> SeverityPolicy:
        """The policy in force, without opening the configured database for it."""
        return self._desk.policy if self._desk else self.settings.severity_policy()

    def engine(self, url: str | None = None) -> Engine:
        """An engine for `url` (default: the configured database), without schema checks."""
        from escdesk.store.database import DatabaseLimits, make_engine

        url = url or self.database_url
        self.url_in_use = url
        if url not in self.engines:
            self.engines[url] = make_engine(url, DatabaseLimits.of(self.settings))
        return self.engines[url]

    def uow(self, url: str | None = None) -> SqlUnitOfWork:
        """A unit of work on a database whose schema is what this escdesk expects."""
        from escdesk.bootstrap import prepare_database
        from escdesk.store.uow import SqlUnitOfWork

        if url is None or url == self.database_url:
            return self.desk.uow()
        engine = self.engine(url)
        prepare_database(engine)
        return SqlUnitOfWork(engine)

    def runner(self) -> Runner:
        from escdesk.services.runner import Runner

        desk = self.desk
        return Runner(desk.uow, lambda: self.now, desk.policy)

    def actor(self, by: str | None, *, required: bool) -> Actor:
        """The person named by `--by`, `ESCDESK_ACTOR` or `actor` in the config file.

        Changes to escalations are always made by a named person, under that person's roles,
        exactly as on the web; administration without a name runs as the administrator, whose
        power is the database access itself.
        """
        from escdesk.domain.access import Actor

        key = (by or self.settings.actor or "").strip()
        self.named_actor = key or None
        if not key:
            if required:
                raise InvalidInput(
                    "--by",
                    "nobody is named as making this change",
                    'Pass --by EMAIL, set ESCDESK_ACTOR, or put actor = "EMAIL" in escdesk.toml',
                )
            return Actor.system("administrator")
        from escdesk.services import people  # only a named actor is looked up

        return people.acting_as(self.runner(), key, "--by")

    def run(self, handler: Handler[C, R], cmd: C, by: str | None, *, required: bool = True) -> R:
        """Run a change as the named actor, in one transaction."""
        return self.runner().run(handler, cmd, self.actor(by, required=required))

    def read(self, handler: Handler[C, R], query: C, by: str | None = None) -> R:
        """Answer a question; as the named actor if one is given, else as the administrator."""
        return self.runner().read(handler, query, self.actor(by, required=False))

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()
        self.engines.clear()


def runtime(ctx: typer.Context) -> Runtime:
    obj = ctx.find_object(Runtime)
    assert obj is not None, "the root command puts a Runtime in the context"
    return obj
