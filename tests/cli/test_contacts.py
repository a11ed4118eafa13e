"""`escdesk accounts contacts`: add, list, remove; bad input names the field."""

from __future__ import annotations

from datetime import datetime

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import Cli


def test_contacts_are_added_listed_and_removed(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    account = factories.add_account(uow, now=recent, name="Müller & Söhne GmbH").name
    added = cli.ok("accounts", "contacts", "add", account, "--name", "Jo Chen",
                   "--email", "Jo@Mueller.example", "--language", "de-AT")  # fmt: skip
    assert "Added Jo Chen <jo@mueller.example> (de-at)" in added.stdout
    cli.ok("accounts", "contacts", "add", account, "--name", "Ana Ruiz", "--email", "ana@m.example")
    items = cli.json("accounts", "contacts", "list", account)["items"]
    assert [(c["name"], c["email"], c["language"]) for c in items] == [
        ("Ana Ruiz", "ana@m.example", "en"),
        ("Jo Chen", "jo@mueller.example", "de-at"),
    ]
    cli.ok("accounts", "contacts", "remove", account, "jo@mueller.example")
    assert len(cli.json("accounts", "contacts", "list", account)["items"]) == 1
    missing = cli("accounts", "contacts", "remove", account, "jo@mueller.example")
    assert missing.exit_code == 1 and "not found" in missing.stderr


def test_a_bad_contact_is_refused_naming_the_field(
    cli: Cli, uow: SqlUnitOfWork, recent: datetime
) -> None:
    account = factories.add_account(uow, now=recent).name
    bad_email = cli("accounts", "contacts", "add", account, "--name", "Jo", "--email", "jo")
    assert bad_email.exit_code == 2 and "email" in bad_email.stderr
    bad_language = cli("accounts", "contacts", "add", account, "--name", "Jo",
                       "--email", "jo@x.example", "--language", "klingon!")  # fmt: skip
    assert bad_language.exit_code == 2 and "language" in bad_language.stderr
    cli.ok("accounts", "contacts", "add", account, "--name", "Jo", "--email", "jo@x.example")
    twice = cli("accounts", "contacts", "add", account, "--name", "Jo", "--email", "JO@x.example")
    assert twice.exit_code == 2 and "already a contact" in twice.stderr
    assert cli.json("accounts", "contacts", "list", account)["items"][0]["name"] == "Jo"
