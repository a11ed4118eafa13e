"""Where the similar-tickets index of a database lives: one directory per database, whatever
the spelling of its URL, so every process serving it finds the same index and two databases
never share one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_DEFAULT_PORTS = {"postgresql": 5432}
# Connection settings that change how escdesk talks to a database, not which data it sees.
_TRANSPORT_ONLY = {"sslmode", "connect_timeout", "application_name", "target_session_attrs"}


def _schema_options(options: str) -> str:
    """Of libpq's `options`, only what names the data (the schema), not limits like
    `statement_timeout` that the store adds for itself."""
    settings = options.replace("-c ", "-c").split()
    return " ".join(sorted(s for s in settings if "search_path" in s))


def database_identity(database_url: str) -> str:
    """One text for every spelling of the same database: the driver (`postgresql` or
    `postgresql+psycopg`), the password, a default port, the host's case, the order of query
    options and a relative SQLite path do not change it; the user and `options` (which set the
    schema) do."""
    try:
        url = make_url(database_url)
    except ArgumentError:  # an unparsable URL fails at the engine; this just has to be stable
        return database_url
    backend = url.get_backend_name()
    if backend == "sqlite":
        if url.database in (None, "", ":memory:"):
            return "sqlite:memory"
        return "sqlite:" + str(Path(url.database).expanduser().resolve())
    query = sorted(
        (key, _schema_options(value) if key == "options" else value)
        for key, value in (
            (k, v if isinstance(v, str) else ",".join(v)) for k, v in url.query.items()
        )
        if key not in _TRANSPORT_ONLY and not key.startswith("keepalives")
    )
    query = [(key, value) for key, value in query if value or key != "options"]
    return json.dumps(
        [
            backend,
            url.username or "",
            (url.host or "").lower(),
            url.port or _DEFAULT_PORTS.get(backend),
            url.database or "",
            query,
        ]
    )


def index_directory(index_dir: Path | None, database_url: str) -> Path:
    """Where a database's index lives: `<index_dir>/db-<hash of its identity>`, so two databases
    never share or clobber one and every process serving one database finds the same index.
    Without `index_dir`: `index/` beside a SQLite database file, else in the user data
    directory."""
    identity = database_identity(database_url)
    if index_dir is None:
        if identity.startswith("sqlite:/"):
            index_dir = Path(identity.removeprefix("sqlite:")).parent / "index"
        else:
            index_dir = Path(user_data_dir("escdesk")) / "index"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(index_dir).expanduser() / f"db-{digest}"
