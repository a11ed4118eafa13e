"""Start-up validation for a deployment configured only by `ESCDESK_*` variables: the bad
variable is named as the operator spelled it, secrets come from files, placeholders are refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from escdesk.config import load_settings
from escdesk.domain.errors import InvalidInput
from tests.ops.processes import ESCDESK, environment


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ESCDESK_CONFIG", "ESCDESK_DATABASE_URL", "ESCDESK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ESCDESK_WORKER_POLL_SECONDS", "soon"),
        ("ESCDESK_LOG_FORMAT", "xml"),
        ("ESCDESK_READY_WORKER_SECONDS", "-1"),
        ("ESCDESK_DB_POOL_SIZE", "0"),
    ],
)
def test_a_bad_variable_is_named_as_it_was_set(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidInput) as error:
        load_settings()
    assert error.value.field == variable


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ESCDESK_DATABASE_URL", "postgresql+psycopg://escdesk:changeme@db/escdesk"),
        ("ESCDESK_DATABASE_URL", "postgresql+psycopg://escdesk:your-password@db/escdesk"),
        ("ESCDESK_GITHUB_TOKEN", "your-github-token"),
        ("ESCDESK_SMTP_URL", "smtp://desk:changeme@mail.internal:587"),
    ],
)
def test_a_placeholder_secret_is_refused_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("ESCDESK_MAIL_FROM", "escdesk <desk@escdesk.test>")
    with pytest.raises(InvalidInput) as error:
        load_settings()
    assert error.value.field == variable
    assert "placeholder" in error.value.problem


def test_a_real_password_in_the_database_url_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://escdesk:9f2c71e0a3b4@db/escdesk"
    monkeypatch.setenv("ESCDESK_DATABASE_URL", url)
    assert load_settings().database_url == url


def test_the_database_url_can_come_from_a_secret_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "database_url"
    secret.write_text("postgresql+psycopg://escdesk:9f2c71e0a3b4@db:5432/escdesk\n")
    monkeypatch.setenv("ESCDESK_DATABASE_URL_FILE", str(secret))
    assert (
        load_settings().database_url == "postgresql+psycopg://escdesk:9f2c71e0a3b4@db:5432/escdesk"
    )
    monkeypatch.setenv("ESCDESK_DATABASE_URL", "sqlite:///x.db")
    with pytest.raises(InvalidInput) as both:
        load_settings()
    assert both.value.field == "ESCDESK_DATABASE_URL_FILE" and "together" in both.value.problem
    monkeypatch.delenv("ESCDESK_DATABASE_URL")
    monkeypatch.setenv("ESCDESK_DATABASE_URL_FILE", str(tmp_path / "missing"))
    with pytest.raises(InvalidInput) as missing:
        load_settings()
    assert missing.value.field == "ESCDESK_DATABASE_URL_FILE"


@pytest.mark.parametrize("command", [["worker"], ["serve"]])
def test_serve_and_worker_refuse_to_start_with_one_line_naming_the_variable(
    tmp_path: Path, command: list[str]
) -> None:
    env = environment(
        tmp_path, worker_poll_seconds="soon", database_url=f"sqlite:///{tmp_path}/x.db"
    )
    done = subprocess.run(
        [ESCDESK, *command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "ESCDESK_WORKER_POLL_SECONDS" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
