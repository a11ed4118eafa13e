"""What every command shares: settings, one clock reading, and the store, opened on first use.

Nothing touches the database until a command asks for it, so `--help` and usage errors stay
instant and a broken store cannot hide a usage error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import typer
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from escdesk.config import Settings, load_settings
from escdesk.domain.errors import EscdeskError
from escdesk.domain.severity import SeverityPolicy
from escdesk.store.database import DatabaseLimits, make_engine
from escdesk.store.migrate import current_revision, head_revision, upgrade
from escdesk.store.uow import SqlUnitOfWork


def safe_url(url: str) -> str:
    """The URL as it may be shown to a user: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL has no password we could find; show its scheme only
        return url.split("://", 1)[0] + "://…" if "://" in url else url


@dataclass
class Runtime:
    """Built once per invocation by `cli.app`; commands reach it through `runtime(ctx)`."""

    database_url_option: str | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    engines: dict[str, Engine] = field(default_factory=dict)
    url_in_use: str | None = None
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """Read and validate the configuration on first use: every command that touches the
        store or the policy fails on a bad setting, while `--help` always works."""
        if self._settings is None:
            self._settings = load_settings(database_url=self.database_url_option)
        return self._settings

    @property
    def database_url(self) -> str:
        return self.settings.database_url

    @property
    def policy(self) -> SeverityPolicy:
        return self.settings.severity_policy()

    def engine(self, url: str | None = None) -> Engine:
        """An engine for `url` (default: the configured database), without schema checks."""
        url = url or self.database_url
        self.url_in_use = url
        if url not in self.engines:
            self.engines[url] = make_engine(url, DatabaseLimits.of(self.settings))
        return self.engines[url]

    def uow(self, url: str | None = None) -> SqlUnitOfWork:
        """A unit of work on a database whose schema is what this escdesk expects.

        SQLite is the embedded single-user default, so it is upgraded in place; a shared
        PostgreSQL database is upgraded only on purpose (`escdesk db upgrade`).
        """
        engine = self.engine(url)
        current, head = current_revision(engine), head_revision()
        if current != head:
            if engine.dialect.name == "sqlite":
                upgrade(engine)
            else:
                raise EscdeskError(
                    f"the database is at revision {current or 'none (empty)'}, escdesk needs "
                    f"{head}: run `escdesk db upgrade`"
                )
        return SqlUnitOfWork(engine)

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()
        self.engines.clear()


def runtime(ctx: typer.Context) -> Runtime:
    obj = ctx.find_object(Runtime)
    assert obj is not None, "the root command puts a Runtime in the context"
    return obj
