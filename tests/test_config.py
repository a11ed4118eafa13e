"""Settings: environment over escdesk.toml over defaults; every setting documented."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from escdesk.config import Settings, load_settings
from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import Severity

README = Path(__file__).parents[1] / "README.md"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ESCDESK_CONFIG", "ESCDESK_DATABASE_URL", "ESCDESK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_the_default_store_is_sqlite_in_the_user_data_directory() -> None:
    assert load_settings().database_url.startswith("sqlite:///")
    assert load_settings().database_url.endswith("escdesk.db")


def test_the_toml_file_overrides_the_severity_policy(tmp_path: Path) -> None:
    (tmp_path / "escdesk.toml").write_text(
        '[severity.high]\ncustomer_update_every = "2d"\n', encoding="utf-8"
    )
    policy = load_settings().severity_policy()
    assert policy[Severity.HIGH].customer_update_every == timedelta(days=2)


def test_the_environment_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "escdesk.toml").write_text('database_url = "sqlite:///file.db"\n')
    assert load_settings().database_url == "sqlite:///file.db"
    monkeypatch.setenv("ESCDESK_DATABASE_URL", "sqlite:///env.db")
    assert load_settings().database_url == "sqlite:///env.db"


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        (
            '[severity.high]\ncustomer_update_every = "soon"\n',
            "severity.high.customer_update_every",
        ),
        ('colour = "blue"\n', "colour"),
        ("[severity.urgent]\n", "severity.urgent"),
    ],
)
def test_bad_configuration_names_the_setting(tmp_path: Path, toml: str, field: str) -> None:
    (tmp_path / "escdesk.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(InvalidInput) as error:
        load_settings()
    assert error.value.field == field


def test_a_config_file_that_is_not_toml_is_refused_with_the_position(tmp_path: Path) -> None:
    (tmp_path / "escdesk.toml").write_text("severity = [\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_settings()


def test_a_missing_explicit_config_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCDESK_CONFIG", "nowhere.toml")
    with pytest.raises(InvalidInput) as error:
        load_settings()
    assert error.value.field == "ESCDESK_CONFIG"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [
        f"ESCDESK_{name.upper()}"
        for name in Settings.model_fields
        if f"ESCDESK_{name.upper()}" not in text
    ]
    assert missing == []


def test_a_secret_can_come_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "token").write_text("xoxb-1234-abcd\n", encoding="utf-8")
    monkeypatch.setenv("ESCDESK_SLACK_BOT_TOKEN_FILE", str(tmp_path / "token"))
    assert load_settings().secret("slack_bot_token") == "xoxb-1234-abcd"


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"ESCDESK_SLACK_BOT_TOKEN": "xoxp-1234"}, "ESCDESK_SLACK_BOT_TOKEN"),
        ({"ESCDESK_SLACK_BOT_TOKEN": "xoxb-your-token-here"}, "ESCDESK_SLACK_BOT_TOKEN"),
        ({"ESCDESK_SLACK_USER_TOKEN": "xoxb-1234"}, "ESCDESK_SLACK_USER_TOKEN"),
        ({"ESCDESK_SMTP_URL": "smtp://mail.example.com"}, "ESCDESK_MAIL_FROM"),
        (
            {"ESCDESK_SLACK_BOT_TOKEN": "xoxb-1", "ESCDESK_SLACK_BOT_TOKEN_FILE": "t"},
            "ESCDESK_SLACK_BOT_TOKEN_FILE",
        ),
        ({"ESCDESK_SMTP_URL_FILE": "missing-file"}, "ESCDESK_SMTP_URL_FILE"),
    ],
)
def test_a_wrong_or_placeholder_secret_is_refused_at_start_up_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], field: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(InvalidInput) as error:
        load_settings()
    assert error.value.field == field
