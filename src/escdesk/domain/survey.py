"""The satisfaction survey at closing (R-SLA-4): one question, 1–5, an optional comment.

Each customer contact of the closed escalation's account gets a link of their own. The link is a
random 256-bit token; only its SHA-256 is stored, so the database alone cannot answer for anyone.
A link answers once and expires; CSAT is the share of answers of 4 or 5.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from escdesk.domain.errors import InvalidInput
from escdesk.domain.messages import MessageKind, OutboxMessage
from escdesk.domain.values import check_storable

TOKEN_BYTES = 32
VALID_FOR = timedelta(days=14)
"""How long a survey link answers after closing; long enough for a holiday, short enough to
keep the answer about this escalation."""
SATISFIED_FROM = 4
"""CSAT counts an answer of 4 or 5 as satisfied (the usual top-two-box reading)."""
MAX_COMMENT = 2000
SCORES = (1, 2, 3, 4, 5)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the store keeps: a link cannot be rebuilt from it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def expires(sent_at: datetime) -> datetime:
    return sent_at + VALID_FOR


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str | None

    @classmethod
    def parse(cls, score: str | int | None, comment: str | None) -> Answer:
        """A score of 1 to 5 (required) and a comment (optional, at most 2,000 characters)."""
        try:
            value = int(str(score).strip()) if score is not None else None
        except ValueError:
            value = None
        if value not in SCORES:
            raise InvalidInput("score", "must be a whole number from 1 to 5", "Choose 1 to 5")
        text = check_storable((comment or "").strip(), "comment") or None
        if text is not None and len(text) > MAX_COMMENT:
            raise InvalidInput(
                "comment",
                f"is {len(text)} characters long",
                f"Keep the comment under {MAX_COMMENT} characters",
            )
        return cls(value, text)


@dataclass(frozen=True)
class SurveyLink:
    """The page behind a link: only this escalation's customer name and summary."""

    customer: str
    summary: str
    closed_at: datetime | None
    expires_at: datetime
    answered_at: datetime | None
    score: int | None
    account_id: int | None = None
    timezone: str = "UTC"
    """The account's own zone (its working calendar's), as on the status page: the customer
    reads the link's expiry on their clock."""

    def state(self, now: datetime) -> str:
        if self.answered_at is not None:
            return "answered"
        return "expired" if now >= self.expires_at else "open"


def invitation(
    *, email: str, name: str, language: str, customer: str, summary: str, token: str
) -> OutboxMessage:
    """The e-mail to one contact; the worker turns the path into a full link."""
    return OutboxMessage(
        MessageKind.SURVEY_EMAIL,
        email,
        {
            "audience": "customer",
            "customer": customer,
            "summary": summary,
            "contact_name": name,
            "language": language,
            "survey_path": f"/survey/{token}",
        },
    )
