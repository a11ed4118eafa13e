"""One Settings object: `ESCDESK_*` variables over `escdesk.toml` over defaults.

The config file is `$ESCDESK_CONFIG`, else `escdesk.toml` in the current directory, else
`config.toml` in the user's config directory; it is optional.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from platformdirs import user_config_dir, user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from escdesk.config_secrets import check_token, password_of, refuse_placeholder
from escdesk.domain.errors import InvalidInput
from escdesk.domain.reminders import Lead
from escdesk.domain.severity import SeverityPolicy, policy_with_overrides

if TYPE_CHECKING:  # imported by the commands that use them, not by every command's settings
    from escdesk.domain.tracker_issues import IssueTarget
    from escdesk.domain.triage_meeting import TriageConfig

APP = "escdesk"


def data_dir() -> Path:
    """escdesk's own folder in the user data directory: the default desk lives here."""
    return Path(user_data_dir(APP))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'escdesk.db'}"


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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The file (given by `load_settings`) and the environment: escdesk reads no `.env` nor
        secrets directory, and walking every field for those two costs each command
        some milliseconds."""
        return init_settings, env_settings

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL of the store; SQLite in the user data directory by default.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of escdesk, used for links in messages and pages; unset, "
        "`escdesk serve` uses the address it listens on.",
    )
    index_dir: Path | None = Field(
        default=None,
        description="Directory of the similar-tickets index, rebuilt from the tickets table "
        "when missing or stale; default: `index/` next to the SQLite database (the user data "
        "directory for PostgreSQL).",
    )
    recurring_grouping: Literal["cosine", "reranked"] = Field(
        default="cosine",
        description="How new tickets join recurring issues: `cosine` (a ticket joins its most "
        "alike earlier ticket's issue; fast, precise) or `reranked` (through a strong "
        "re-ranked match to any ticket of the issue, when alike enough to the issue as a whole: "
        "more duplicates found on bug reports, less precise on other data and a few times "
        "slower; see the benchmarks).",
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
    worker_lease_seconds: float = Field(
        default=300.0,
        ge=1,
        le=3600,
        description="How long a worker's claim on a message lasts; a worker killed mid-delivery "
        "leaves a claim that another worker takes over once it expires.",
    )
    delivery_max_attempts: int = Field(
        default=8,
        ge=1,
        le=50,
        description="Tries before a message becomes a dead letter (exponential backoff between).",
    )
    retention_sessions_days: int = Field(
        default=30,
        ge=1,
        description="Days an expired sign-in session is kept before the worker deletes it.",
    )
    retention_messages_days: int = Field(
        default=90,
        ge=1,
        description="Days a delivered message of a closed escalation is kept in the outbox "
        "(messages of open escalations are kept: they stop reminders repeating).",
    )
    retention_webhook_log_days: int = Field(
        default=30,
        ge=1,
        description="Days each webhook delivery attempt stays in the delivery log.",
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
    triage: dict[str, Any] = Field(
        default_factory=dict,
        description="The triage meeting and score (R-TRI-1/2), as a [triage] table: `days`, "
        "`time`, `timezone`, `request_minutes`, `escalation_minutes`, and [triage.weights].",
    )

    # ------------------------------------------------------------------ delivery (R-OPS-3)
    slack_api_url: str = Field(
        default="https://slack.com/api/",
        description="Base URL of the Slack Web API (tests point it at a local server).",
    )
    slack_bot_token: SecretStr | None = Field(
        default=None,
        description="Bot token (`xoxb-…`) of the Slack app escdesk posts as; without it (or "
        "its `_FILE`) nothing is sent to Slack.",
    )
    slack_bot_token_file: Path | None = Field(
        default=None, description="A file holding the bot token, for secrets mounted as files."
    )
    slack_user_token: SecretStr | None = Field(
        default=None,
        description="Optional user token (`xoxp-…`, scope `channels:write`), used only to "
        "unarchive a channel at reopening: Slack does not let a bot do that.",
    )
    slack_user_token_file: Path | None = Field(
        default=None, description="A file holding the user token."
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        description="Signing secret of the Slack app (Basic Information → App Credentials): "
        "`/slack/*` requests are verified with it; without it (or its `_FILE`) they are refused.",
    )
    slack_signing_secret_file: Path | None = Field(
        default=None, description="A file holding the Slack signing secret."
    )
    smtp_url: SecretStr | None = Field(
        default=None,
        description="Mail server: `smtp://user:password@host:587?starttls=true` or "
        "`smtps://user:password@host:465`; without it (or its `_FILE`) no e-mail is sent.",
    )
    smtp_url_file: Path | None = Field(
        default=None, description="A file holding the SMTP URL (it holds a password)."
    )
    mail_from: str | None = Field(
        default=None,
        description="Sender of escdesk's e-mail, e.g. `escdesk <escdesk@example.com>`; "
        "required with the SMTP URL.",
    )
    company_name: str | None = Field(
        default=None,
        max_length=100,
        description="Your company's name, shown to customers on the status page and in the "
        "sign-off of their e-mails; unset, customers see no company name (never escdesk's).",
    )
    company_logo_url: str | None = Field(
        default=None,
        pattern=r"^(https://|/)\S+$",
        description="Your logo on the customer status page: an `https://` address, or a path "
        "on escdesk's own address; shown about 32 pixels high.",
    )
    webhook_timeout: float = Field(
        default=15.0,
        gt=0,
        le=60,
        description="Seconds a webhook receiver has to answer before the attempt counts as "
        "failed (Standard Webhooks recommends 15 to 30).",
    )

    # ------------------------------------------------------------------ limits (R-OPS-4)
    max_json_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest JSON (or other) request body the API reads, in bytes; a larger "
        "one is refused with 413 before it is parsed.",
    )
    max_form_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest form a page may post (sign-in included), in bytes; 413 beyond.",
    )
    max_upload_bytes: int = Field(
        default=209_715_200,
        ge=1024,
        description="Largest ticket export uploaded to `POST /api/tickets/import`, in bytes; "
        "it is spooled to a temporary file, never held in memory.",
    )
    sign_in_free_attempts: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Wrong passwords in a row an account may have before each further "
        "attempt waits (R-OPS-2); a client address gets four times as many.",
    )
    sign_in_max_delay: float = Field(
        default=900.0,
        ge=1,
        description="Seconds the growing wait between throttled sign-in attempts stops at "
        "(it doubles from 1 s with each further wrong password).",
    )
    unavailable_retry_after: int = Field(
        default=5,
        ge=1,
        le=3600,
        description="Seconds the API's 503 tells a client to wait (`Retry-After`) while the "
        "database is unavailable.",
    )
    github_token: SecretStr | None = Field(
        default=None,
        description="GitHub token: reads linked issues and pull requests; creating follow-up "
        "issues needs Issues write access to the repository.",
    )
    github_token_file: Path | None = Field(default=None, description="A file holding it.")
    github_api_url: str | None = Field(
        default=None, description="GitHub's REST API (default https://api.github.com)."
    )
    gitlab_token: SecretStr | None = Field(
        default=None,
        description="GitLab token: read_api to read linked issues and merge requests, api to "
        "create follow-up issues.",
    )
    gitlab_token_file: Path | None = Field(default=None, description="A file holding it.")
    gitlab_api_url: str | None = Field(
        default=None, description="GitLab's REST API (default: the link's host + /api/v4)."
    )
    jira_token: SecretStr | None = Field(
        default=None,
        description="Jira API token: reads linked issues and creates follow-up issues.",
    )
    jira_token_file: Path | None = Field(default=None, description="A file holding it.")
    jira_user: str | None = Field(
        default=None,
        description="Jira Cloud account e-mail for basic auth with the token; without it the "
        "token is sent as a bearer token (Jira Data Center).",
    )
    jira_api_url: str | None = Field(
        default=None,
        description="Jira's base URL (default: the link's site); needed to create issues.",
    )
    jira_project: str | None = Field(
        default=None, description="Jira project key new follow-up issues are created in."
    )
    jira_issue_type: str = Field(
        default="Task", description="Issue type of the follow-up issues created in Jira."
    )
    github_repo: str | None = Field(
        default=None, description="GitHub repository (owner/repo) new follow-up issues go to."
    )
    gitlab_project: str | None = Field(
        default=None, description="GitLab project (id or path) new follow-up issues go to."
    )
    # ------------------------------------------------------------------ clocks (R-SLA-1…3)
    reminder_lead: str = Field(
        default="1h",
        description="How long before a due update the DRI is warned: a duration (45m, 2h) or "
        "a share of the commitment (20%); sent only within the account's working hours.",
    )
    standup_reminder_minutes: int = Field(
        default=10,
        ge=1,
        le=240,
        description="Minutes before each standup that its reminder is posted in the channel.",
    )
    scheduler_every_seconds: float = Field(
        default=20.0,
        ge=5,
        le=3600,
        description="How often the worker's scheduler looks for reminders and breaches; a "
        "reminder arrives at most this much (plus the delivery poll) after its moment.",
    )
    ranker_training_days: int = Field(
        default=0,
        ge=0,
        le=365,
        description="Every this many days the worker re-trains the similar-tickets ranker on "
        "the team's links (used only if it ranks the held-back links better); 0 turns it off.",
    )
    daily_nudge_time: str = Field(
        default="09:00",
        pattern=r"^(|([01]\d|2[0-3]):[0-5]\d)$",
        description="Time of day, in the DRI's own timezone, of the daily 'update the tracker "
        "and the channel' nudge for critical and high escalations; empty turns it off.",
    )
    # ------------------------------------------------------------------ operations
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="`json`: one JSON object a line (time, level, logger, message, "
        "request_id) for a log collector; `text`: lines for a person.",
    )
    database_url_file: Path | None = Field(
        default=None,
        description="A file holding the database URL, for a password mounted as a secret "
        "(compose, Kubernetes); instead of `ESCDESK_DATABASE_URL`.",
    )
    ready_worker_seconds: float = Field(
        default=120.0,
        ge=0,
        description="`/readyz` fails when no delivery worker has written its heartbeat for "
        "this many seconds (0: do not check the worker).",
    )

    @field_validator(
        "slack_bot_token",
        "slack_user_token",
        "smtp_url",
        "slack_signing_secret",
        "company_name",
        "company_logo_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _secrets(self) -> Settings:
        """`ESCDESK_*_FILE` for secrets; placeholder or wrong-kind tokens are refused now,
        not at the first delivery."""
        secrets = ("slack_bot_token", "slack_user_token", "smtp_url", "slack_signing_secret")
        for name in (*secrets, "github_token", "gitlab_token", "jira_token"):
            path = getattr(self, f"{name}_file")
            if path is None:
                continue
            env = f"ESCDESK_{name.upper()}"
            if getattr(self, name) is not None:
                raise InvalidInput(f"{env}_FILE", f"is set together with {env}", "Set only one")
            try:
                secret = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise InvalidInput(
                    f"{env}_FILE", f"cannot read {path} ({exc.strerror})", "Point it at the file"
                ) from None
            setattr(self, name, SecretStr(secret) if secret else None)
        self._database_url_from_file()
        for name in ("github_token", "gitlab_token", "jira_token"):
            refuse_placeholder(self.secret(name), f"ESCDESK_{name.upper()}")
        refuse_placeholder(password_of(self.secret("smtp_url") or ""), "ESCDESK_SMTP_URL")
        refuse_placeholder(password_of(self.database_url), "ESCDESK_DATABASE_URL")
        check_token(self.slack_bot_token, "ESCDESK_SLACK_BOT_TOKEN", "xoxb-", "bot")
        check_token(self.slack_user_token, "ESCDESK_SLACK_USER_TOKEN", "xoxp-", "user")
        if self.smtp_url is not None and not self.mail_from:
            raise InvalidInput(
                "ESCDESK_MAIL_FROM",
                "is required when an SMTP URL is set",
                "Set it to the sender address, e.g. escdesk <escdesk@example.com>",
            )
        return self

    def _database_url_from_file(self) -> None:
        if self.database_url_file is None:
            return
        if "database_url" in self.model_fields_set:
            raise InvalidInput(
                "ESCDESK_DATABASE_URL_FILE",
                "is set together with ESCDESK_DATABASE_URL",
                "Set only one",
            )
        try:
            url = Path(self.database_url_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InvalidInput(
                "ESCDESK_DATABASE_URL_FILE",
                f"cannot read {self.database_url_file} ({exc.strerror})",
                "Point it at the file",
            ) from None
        if not url:
            raise InvalidInput(
                "ESCDESK_DATABASE_URL_FILE", "is empty", "Write the database URL in it"
            )
        self.database_url = url

    @property
    def trackers_configured(self) -> bool:
        """Whether engineering links are synced with their trackers (any token or API URL)."""
        names = ("github_token", "gitlab_token", "jira_token", "github_api_url")
        return any(getattr(self, n) for n in (*names, "gitlab_api_url", "jira_api_url"))

    def issue_target(self, tracker: str | None, project: str | None = None) -> IssueTarget:
        """Where a follow-up's new tracker issue goes (see `config_trackers.issue_target`)."""
        from escdesk.config_trackers import issue_target

        return issue_target(self, tracker, project)

    def secret(self, name: str) -> str | None:
        """A secret setting in plain text, for the one place that uses it."""
        value: SecretStr | None = getattr(self, name)
        return value.get_secret_value() if value is not None else None

    def severity_policy(self) -> SeverityPolicy:
        return policy_with_overrides(self.severity)

    def triage_config(self) -> TriageConfig:
        from escdesk.domain.triage_meeting import TriageConfig  # the triage commands' import

        return TriageConfig.of(self.triage)


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
        env = f"ESCDESK_{str(error['loc'][0]).upper()}" if error["loc"] else ""
        if env in os.environ:  # name what the operator set, as they spelled it
            field = env
        raise InvalidInput(
            field, error["msg"].lower(), "See the configuration section of the README"
        ) from None
    settings.severity_policy()  # validate the policy now, not at the first escalation
    if settings.triage:  # and the triage weights, not at the first agenda (none set: valid)
        settings.triage_config()
    Lead.parse(settings.reminder_lead, "reminder_lead")  # and the reminders' lead
    return settings
