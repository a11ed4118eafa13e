"""Tickets for similarity tests: a small helpdesk where each topic is told in different words."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from escdesk.domain.ticket import Ticket
from escdesk.similarity import SimilarityIndex

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
_numbers = itertools.count(1000)

# (subject, body): unrelated topics, so a paraphrase has exactly one right answer.
HELPDESK = [
    ("Cannot log in after password reset", "The login page says invalid credentials since I "
     "reset my password this morning."),
    ("Invoice PDF shows the wrong VAT rate", "Our March invoice charges 19% VAT instead of 7% "
     "for books."),
    ("Dashboard charts load very slowly", "Opening the analytics dashboard takes over a minute; "
     "the charts spin forever."),
    ("Export to CSV drops non-ASCII characters", "Umlauts and accents disappear from names in "
     "the exported CSV file."),
    ("Webhook deliveries time out", "Our endpoint never receives webhook calls; the log shows "
     "a timeout after 10 seconds."),
    ("NullPointerException in ReportScheduler.runNightly", "The nightly report job fails with "
     "java.lang.NullPointerException at com.acme.reports.ReportScheduler.runNightly."),
    ("Mobile app crashes when uploading photos", "The iOS app closes itself as soon as I pick "
     "a photo to attach."),
    ("SSO with Okta redirects in a loop", "After signing in at Okta the browser bounces "
     "between Okta and the app."),
]  # fmt: skip


def ticket(subject: str, body: str = "", *, at: datetime | None = None, **overrides: Any) -> Ticket:
    values: dict[str, Any] = {
        "source": "helpdesk",
        "external_id": f"T-{next(_numbers)}",
        "subject": subject,
        "body": body,
        "created_at": at or T0,
    }
    values.update(overrides)
    return Ticket(**values)


def helpdesk(start: datetime = T0) -> list[Ticket]:
    """One ticket per topic, a day apart."""
    return [
        ticket(subject, body, at=start + timedelta(days=n), external_id=f"H-{n}")
        for n, (subject, body) in enumerate(HELPDESK)
    ]


def helpdesk_index(**options: Any) -> SimilarityIndex:
    index = SimilarityIndex(**options)
    index.add(helpdesk())
    return index
