"""Helpdesk tickets for store, service, CLI and API tests: files to import and a labelled set.

`LABELLED` is a small helpdesk written by hand: five causes, each reported six times in the
words different customers use, and one-off questions that belong to no cause. The clustering
tests measure purity and completeness on it; the service tests import it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)

# (cause, subject, body); None is a one-off question. Day n of the list is T0 + n × 1 day.
LABELLED: list[tuple[str | None, str, str]] = [
    ("ldap", "LDAP sync times out for large groups",
     "The nightly LDAP sync stops with a timeout when a group has more than 5000 members."),
    ("vat", "Invoice shows the wrong VAT rate",
     "Our October invoice charges 19% VAT although we are VAT exempt."),
    (None, "How do I change the billing e-mail address?",
     "Where in the settings can I change who receives the invoices by mail?"),
    ("export", "CSV export garbles umlauts",
     "Names with umlauts such as Müller come out as MÃ¼ller in the exported CSV."),
    ("ldap", "LDAP group sync timeout again",
     "Same as last week: the LDAP sync job times out on our big engineering group."),
    ("webhook", "Webhook deliveries arrive hours late",
     "Our endpoint receives webhook deliveries two to three hours after the event."),
    ("mobile", "iOS app crashes when attaching a photo",
     "The iOS app closes as soon as I pick a photo to attach to a ticket."),
    ("vat", "Wrong VAT on our invoice",
     "The invoice for September adds VAT at 19% instead of the reverse charge rate."),
    (None, "Please add a second admin to our account",
     "Our team lead needs admin rights too; can you grant them?"),
    ("export", "Umlauts broken in CSV export",
     "The CSV export shows Ã¶ instead of ö for every customer name with an umlaut."),
    ("webhook", "Webhook deliveries are delayed",
     "Webhook deliveries reach our endpoint with a delay of several hours since Monday."),
    ("mobile", "App crashes on photo upload (iOS)",
     "Uploading a photo from the iPhone app crashes the app every time."),
    ("ldap", "User sync from LDAP times out",
     "LDAP user sync fails with a timeout for the large groups of our directory."),
    (None, "Do you have a SOC 2 report?",
     "Our security team asks for your latest SOC 2 Type II report."),
    ("vat", "VAT rate on invoice is incorrect",
     "Invoice number 2026-0912 applies the standard VAT rate to our exempt account."),
    ("export", "Special characters garbled in CSV export",
     "Umlauts and accents are garbled in the CSV export, e.g. Jürgen becomes JÃ¼rgen."),
    ("webhook", "Webhooks delivered hours late",
     "Webhook deliveries for new tickets arrive hours after the tickets were created."),
    ("mobile", "iOS app crash when adding photo",
     "Adding a photo to a ticket crashes the iOS app on iPhone 15."),
    (None, "Feature request: dark mode",
     "It would be great to have a dark theme for the agent workspace."),
    ("ldap", "LDAP sync timeout on large groups",
     "The LDAP sync for large groups hits the timeout and the members are not updated."),
    ("vat", "Our invoice has the wrong VAT",
     "VAT on the latest invoice is wrong: 19% charged, our VAT id is on file."),
    ("export", "CSV export: umlauts come out garbled",
     "In the exported CSV every umlaut is garbled; Excel shows MÃ¼nchen."),
    ("webhook", "Webhook deliveries late by hours",
     "Since the upgrade our webhook deliveries are late by two hours."),
    ("mobile", "Photo upload crashes the iOS app",
     "The iOS app crashes when a photo is uploaded from the camera roll."),
    (None, "Can we move our data to the EU region?",
     "Legal wants our data hosted in the EU; is a migration possible?"),
    ("ldap", "Timeout in LDAP sync of big group",
     "LDAP sync of our largest group runs into the timeout every night."),
    ("vat", "Invoice VAT rate wrong again",
     "Again the invoice shows the wrong VAT rate for our exempt company."),
    ("export", "Garbled umlauts in exported CSV file",
     "The exported CSV file has garbled umlauts in all names."),
    ("webhook", "Webhook deliveries hours behind",
     "Webhook deliveries are hours behind the events they report."),
    ("mobile", "iOS app crashes on photo attach",
     "Attaching a photo in the iOS app makes the app crash."),
    (None, "How many seats does our plan include?",
     "We would like to know the number of seats in our current plan."),
]  # fmt: skip


def record(external_id: str, subject: str, created_at: datetime, **fields: Any) -> dict[str, Any]:
    """One ticket as escdesk's jsonl format writes it."""
    return {
        "id": external_id,
        "subject": subject,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        **fields,
    }


def labelled_records(start: datetime = T0, prefix: str = "L") -> list[dict[str, Any]]:
    """The labelled helpdesk as records, a day apart, each cause's tickets from one account
    per cause (so accounts affected and ARR can be checked)."""
    accounts = {"ldap": "Globex", "vat": "Initech", "export": "Umbrella", "webhook": "Hooli"}
    return [
        record(
            f"{prefix}-{n + 1}",
            subject,
            start + timedelta(days=n),
            body=body,
            account=accounts.get(cause or "", "Stark Industries"),
            component=cause,
        )
        for n, (cause, subject, body) in enumerate(LABELLED)
    ]


def jsonl(path: Path, records: list[dict[str, Any]], *, extra: list[str] | None = None) -> Path:
    """A jsonl export of these records, then any `extra` raw lines (bad ones, say)."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra or [])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
