"""One Settings object: `ESCDESK_*` variables over `escdesk.toml` over defaults.

The config file is `$ESCDESK_CONFIG`, else `escdesk.toml` in the current directory, else
`config.toml` in the user's config directory; it is optional.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import SeverityPolicy, policy_with_overrides

APP = "escdesk"


def default_database_url() -> str:
    return f"sqlite:///{Path(user_data_dir(APP)) / 'escdesk.db'}"


def config_path() -> Path | None:
    explicit = os.environ.get("ESCDESK_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise InvalidInput(
                "ESCDESK_CONFIG",
                f"{explicit} does not exist",
                "Point it at an escdesk TOML file, or unset it",
            )
        return path
    for candidate in (Path("escdesk.toml"), Path(user_config_dir(APP)) / "config.toml"):
        if candidate.is_file():
            return candidate
    return None


class Settings(BaseSettings):
    """Every setting escdesk reads. The README's configuration table is checked against this."""

    model_config = SettingsConfigDict(env_prefix="ESCDESK_", extra="forbid")

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL of the store; SQLite in the user data directory by default.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of escdesk, used for tracker links in messages.",
    )
    index_dir: Path | None = Field(
        default=None,
        description="Directory of the similar-tickets index, rebuilt from the tickets table "
        "when missing or stale; default: `index/` next to the SQLite database (the user data "
        "directory for PostgreSQL).",
    )
    actor: str | None = Field(
        default=None,
        description="Who the CLI acts as when a command has no `--by` (e-mail or id); changes "
        "to escalations need one, and that person's roles apply as on the web.",
    )
    worker_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often an idle worker looks for due messages (seconds).",
    )
    delivery_max_attempts: int = Field(
        default=8,
        ge=1,
        le=50,
        description="Tries before a message becomes a dead letter (exponential backoff between).",
    )
    db_connect_timeout: int = Field(
        default=5,
        ge=2,
        description="PostgreSQL: seconds to wait for a new connection before the database "
        "counts as unavailable (at least 2).",
    )
    db_statement_timeout: float = Field(
        default=30.0,
        ge=0,
        description="PostgreSQL: seconds one statement may run before the server cancels it "
        "(0: no limit).",
    )
    db_pool_size: int = Field(
        default=10,
        ge=1,
        description="PostgreSQL: connections each server process (or command) holds at most; "
        "workers × this must stay below the server's max_connections.",
    )
    db_pool_timeout: float = Field(
        default=10.0,
        gt=0,
        description="PostgreSQL: seconds a request waits for a free connection of the pool "
        "before the database counts as unavailable.",
    )
    db_busy_timeout: float = Field(
        default=30.0,
        ge=0,
        description="SQLite: seconds a write waits while another writer holds the database.",
    )
    severity: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Severity policy overrides, as [severity.<level>] tables in the TOML file.",
    )

    def severity_policy(self) -> SeverityPolicy:
        return policy_with_overrides(self.severity)


def load_settings(**overrides: Any) -> Settings:
    """Read the config file and environment; errors name the setting and the fix."""
    data: dict[str, Any] = {}
    path = config_path()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(
                str(path), f"is not valid TOML ({exc})", "Fix the syntax at the position shown"
            ) from None
    # Environment variables win over the file: drop file keys the environment sets.
    for key in list(data):
        if f"ESCDESK_{key.upper()}" in os.environ:
            del data[key]
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"]) or "config"
        raise InvalidInput(
            field, error["msg"].lower(), "See the configuration section of the README"
        ) from None
    settings.severity_policy()  # validate the policy now, not at the first escalation
    return settings
