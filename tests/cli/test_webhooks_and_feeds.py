"""`escdesk webhooks` and `escdesk calendar-feed`: the secret shown once, the log, the link."""

from __future__ import annotations

from datetime import datetime

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import Cli


def test_a_webhook_is_added_with_its_secret_shown_once_listed_logged_and_removed(cli: Cli) -> None:
    added = cli.json("webhooks", "add", "https://hooks.example.com/esc", "--event",
                     "escalation.closed", "--event", "escalation.severity_changed")  # fmt: skip
    assert added["secret"].startswith("whsec_")
    subscription = added["subscription"]
    assert subscription["event_types"] == ["escalation.closed", "escalation.severity_changed"]
    listed = cli.ok("webhooks", "list", "--json").stdout
    assert added["secret"] not in listed and "hooks.example.com" in listed
    assert cli.json("webhooks", "log", str(subscription["id"]))["items"] == []
    cli.ok("webhooks", "remove", str(subscription["id"]))
    assert cli.json("webhooks", "list")["items"] == []
    gone = cli("webhooks", "log", str(subscription["id"]))
    assert gone.exit_code == 1 and "not found" in gone.stderr


def test_a_webhook_for_an_unknown_event_is_refused_naming_the_field(cli: Cli) -> None:
    refused = cli("webhooks", "add", "https://h.example/x", "--event", "escalation.exploded")
    assert refused.exit_code == 2 and "event_types" in refused.stderr


def test_a_calendar_feed_link_is_printed_again_rotated_and_withdrawn(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    person = factories.add_person(uow, "csm", now=recent)
    first = cli.json("calendar-feed", person.email)
    assert first["url"].startswith("http://127.0.0.1:8000/calendar/")
    assert cli.json("calendar-feed", person.email)["url"] == first["url"]
    rotated = cli.json("calendar-feed", person.email, "--rotate")
    assert rotated["url"] != first["url"]
    assert "Withdrew" in cli.ok("calendar-feed", person.email, "--withdraw").stdout
