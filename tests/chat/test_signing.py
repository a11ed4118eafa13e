"""Only Slack's requests are heard: signed with the secret, fresh, and heard once."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.config import Settings
from escdesk.domain.errors import InvalidInput
from tests.chat.conftest import CHANNEL
from tests.chat.slack_client import SIGNING_SECRET, command_body, post_signed, signature


def test_a_request_signed_with_the_secret_is_answered(client: TestClient) -> None:
    answer = post_signed(client, "/slack/commands", command_body("help", "U1", CHANNEL))
    assert answer.status_code == 200
    assert answer.json()["response_type"] == "ephemeral"
    assert "/esc status" in answer.json()["text"]


def test_a_request_signed_with_another_secret_is_refused(client: TestClient) -> None:
    body = command_body("help", "U1", CHANNEL)
    answer = post_signed(client, "/slack/commands", body, secret="another-apps-secret")
    assert answer.status_code == 401
    assert "signature does not match" in answer.text


def test_a_tampered_body_is_refused(client: TestClient) -> None:
    stamp = str(int(time.time()))
    signed = command_body("help", "U1", CHANNEL)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(signed, stamp),
    }
    tampered = command_body("close", "U1", CHANNEL)
    assert client.post("/slack/commands", content=tampered, headers=headers).status_code == 401


def test_an_unsigned_request_is_refused(client: TestClient) -> None:
    answer = client.post("/slack/commands", content=command_body("help", "U1", CHANNEL))
    assert answer.status_code == 401
    assert "not signed" in answer.text


def test_a_request_older_than_five_minutes_is_refused(client: TestClient) -> None:
    body = command_body("help", "U1", CHANNEL)
    stale = int(time.time()) - 5 * 60 - 5
    answer = post_signed(client, "/slack/commands", body, stamp=stale)
    assert answer.status_code == 401
    assert "five minutes" in answer.text


def test_a_request_within_the_window_is_still_heard(client: TestClient) -> None:
    body = command_body("help", "U1", CHANNEL)
    recent = int(time.time()) - 4 * 60
    assert post_signed(client, "/slack/commands", body, stamp=recent).status_code == 200


def test_a_replayed_request_is_refused_the_second_time(client: TestClient) -> None:
    stamp = str(int(time.time()))
    body = command_body("help", "U1", CHANNEL)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(body, stamp),
    }
    assert client.post("/slack/commands", content=body, headers=headers).status_code == 200
    again = client.post("/slack/commands", content=body, headers=headers)
    assert again.status_code == 401
    assert "heard already" in again.text


def test_a_timestamp_that_is_not_a_number_is_refused(client: TestClient) -> None:
    body = command_body("help", "U1", CHANNEL)
    headers = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": signature(body, "soon")}
    assert client.post("/slack/commands", content=body, headers=headers).status_code == 401


def test_interactions_and_events_are_verified_too(client: TestClient) -> None:
    assert client.post("/slack/interactions", content=b"payload=%7B%7D").status_code == 401
    assert client.post("/slack/events", content=b"{}").status_code == 401


def test_the_events_url_check_echoes_the_challenge(client: TestClient) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV"}).encode()
    answer = post_signed(client, "/slack/events", body, content_type="application/json")
    assert answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_without_a_signing_secret_every_request_is_refused_naming_the_setting(
    app: FastAPI, client: TestClient
) -> None:
    app.state.chat.requests = None
    answer = post_signed(client, "/slack/commands", command_body("help", "U1", CHANNEL))
    assert answer.status_code == 401
    assert "ESCDESK_SLACK_SIGNING_SECRET" in answer.json()["detail"]


def test_the_signing_secret_may_come_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "signing-secret"
    path.write_text(SIGNING_SECRET + "\n", encoding="utf-8")
    settings = Settings(database_url="sqlite://", slack_signing_secret_file=path)
    assert settings.secret("slack_signing_secret") == SIGNING_SECRET


def test_the_secret_and_its_file_together_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "signing-secret"
    path.write_text(SIGNING_SECRET, encoding="utf-8")
    with pytest.raises(InvalidInput, match="ESCDESK_SLACK_SIGNING_SECRET_FILE"):
        Settings(
            database_url="sqlite://",
            slack_signing_secret=SIGNING_SECRET,
            slack_signing_secret_file=path,
        )
