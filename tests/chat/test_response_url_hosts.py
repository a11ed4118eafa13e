"""Late answers go only to Slack's response URLs (or the configured Slack API host): any other
`response_url` is refused, logged and never requested (SSRF)."""

from __future__ import annotations

import logging
import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.chat.response_urls import ResponseUrls
from tests.chat.conftest import CHANNEL, Room
from tests.chat.response_server import ResponseUrl
from tests.chat.slack_client import command_body, post_signed
from tests.chat.test_response_url import SlowSlack

API = "http://127.0.0.1:8123/api/"


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/commands/T0001/1/abc",
        "https://hooks.slack.com:443/actions/T0001/1/abc",
        "https://slack.com/api/whatever",
        "https://acme.enterprise.slack.com/hooks/x",
        "http://127.0.0.1:8123/commands/T0001/1/abc",  # the configured API's host
        "http://127.0.0.1:9999/commands/T0001/1/abc",  # any port of it
    ],
)
def test_slack_hosts_and_the_configured_api_host_are_allowed(url: str) -> None:
    assert ResponseUrls(API).allows(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.slack.com/commands/T0001/1/abc",  # not https
        "https://hooks.slack.com:8443/commands/x",  # not the standard port
        "https://hooks.slack.com.evil.example/commands/x",
        "https://evilslack.com/commands/x",
        "https://hooks.slack.com@169.254.169.254/latest/meta-data",
        "https://user@hooks.slack.com/commands/x",
        "http://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1:8123/commands/x",  # the API host, but another scheme
        "http://localhost:8123/commands/x",
        "file:///etc/passwd",
        "https://hooks.slack.com:notaport/x",
        "not a url",
        "",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert not ResponseUrls(API).allows(url)


def test_without_a_configured_api_only_slack_is_allowed() -> None:
    urls = ResponseUrls()
    assert urls.allows("https://hooks.slack.com/commands/T0001/1/abc")
    assert not urls.allows("http://127.0.0.1:8123/commands/T0001/1/abc")


def test_a_late_answer_to_a_foreign_url_is_refused_logged_and_never_requested(
    app: FastAPI,
    client: TestClient,
    room: Room,
    response_url: ResponseUrl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    desk = app.state.chat
    desk.answering.urls = ResponseUrls("https://slack.com/api/")  # the stand-in is not trusted
    desk.answering.budget = 0.2
    desk.people.web = slow = SlowSlack(desk.people.web)
    requested: list[str] = []
    desk.answering.respond = lambda url, message: requested.append(url)
    done = threading.Event()
    deliver = desk.answering.deliver

    def delivered(url: str, message: dict[str, object]) -> None:
        deliver(url, message)
        done.set()

    desk.answering.deliver = delivered
    body = command_body("status", room.dri_user, CHANNEL, response_url.url)
    with caplog.at_level(logging.WARNING, logger="escdesk.chat"):
        assert "Working on it" in post_signed(client, "/slack/commands", body).json()["text"]
        slow.go.set()
        assert done.wait(10)
    assert requested == [] and response_url.answers == []
    assert "not a Slack response URL" in caplog.text and "127.0.0.1" in caplog.text


def test_a_late_answer_to_the_configured_api_host_is_posted(
    app: FastAPI, client: TestClient, room: Room, response_url: ResponseUrl
) -> None:
    desk = app.state.chat
    desk.answering.budget = 0.2
    desk.people.web = slow = SlowSlack(desk.people.web)
    body = command_body("status", room.dri_user, CHANNEL, response_url.url)
    assert "Working on it" in post_signed(client, "/slack/commands", body).json()["text"]
    slow.go.set()
    assert "Severity" in response_url.wait()[0]["text"]
