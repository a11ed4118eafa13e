"""Customer accounts: what the business stands to lose decides who runs an escalation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from escdesk.domain.errors import InvalidInput
from escdesk.domain.people import check_email, check_text


class AccountStatus(StrEnum):
    PAYING = "paying"
    PENDING_DEAL = "pending_deal"
    PROSPECT = "prospect"


class Tier(StrEnum):
    STRATEGIC = "strategic"
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"


class Sentiment(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    AT_RISK = "at_risk"


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], value: str, field: str) -> E:
    try:
        return enum(value.strip().lower().replace("-", "_"))
    except ValueError:
        raise InvalidInput(
            field, f"{value!r} is not valid", f"Use one of: {', '.join(e.value for e in enum)}"
        ) from None


def parse_sentiment(value: str, field: str = "sentiment") -> Sentiment:
    return parse_choice(Sentiment, value, field)


def slugify(name: str) -> str:
    """Channel-safe slug: `#esc_<slug>` must be lower case, digits and dashes only."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60] or "customer"


@dataclass(frozen=True)
class ServicesProject:
    """An active professional-services project; its PM runs any escalation during it (R-ESC-2)."""

    name: str
    pm_id: int


@dataclass
class Account:
    name: str
    slug: str
    tier: Tier
    arr: int
    status: AccountStatus
    deal_size: int | None = None
    csm_id: int | None = None
    services_project: ServicesProject | None = None
    sentiment: Sentiment = Sentiment.GREEN
    sentiment_set_by_id: int | None = None
    sentiment_set_at: datetime | None = None
    id: int | None = None
    version: int = 0

    @classmethod
    def create(
        cls,
        name: str,
        tier: Tier,
        arr: int,
        status: AccountStatus,
        deal_size: int | None = None,
        csm_id: int | None = None,
        services_project: ServicesProject | None = None,
    ) -> Account:
        name = check_text(name, "name")
        _check_business(arr, status, deal_size)
        return cls(
            name=name,
            slug=slugify(name),
            tier=tier,
            arr=arr,
            status=status,
            deal_size=deal_size,
            csm_id=csm_id,
            services_project=services_project,
        )

    def edit(self, **changes: Any) -> dict[str, tuple[Any, Any]]:
        """Change the given facts (the fields of `create`), checked together as `create` checks
        them; a status other than a pending deal drops the deal size. Returns what changed,
        old and new, for the audit trail; nothing is changed if any of it is refused."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise InvalidInput(
                sorted(unknown)[0], "cannot be edited", f"Edit {', '.join(EDITABLE)}"
            )
        wanted = {name: getattr(self, name) for name in EDITABLE} | changes
        if "name" in changes:
            wanted["name"] = check_text(changes["name"], "name")
        if wanted["status"] is not AccountStatus.PENDING_DEAL and "deal_size" not in changes:
            wanted["deal_size"] = None
        _check_business(wanted["arr"], wanted["status"], wanted["deal_size"])
        changed = {
            name: (getattr(self, name), value)
            for name, value in wanted.items()
            if getattr(self, name) != value
        }
        for name, (_, value) in changed.items():
            setattr(self, name, value)
        if "name" in changed:
            self.slug = slugify(self.name)
        return changed

    def set_sentiment(self, sentiment: Sentiment, *, by_id: int | None, at: datetime) -> Sentiment:
        """Seed 004: the CSM's sentiment, with who set it and when (a person's word, which the
        desk never overwrites on its own). Returns the sentiment it replaced."""
        previous = self.sentiment
        self.sentiment, self.sentiment_set_by_id, self.sentiment_set_at = sentiment, by_id, at
        return previous


EDITABLE = ("name", "tier", "arr", "status", "deal_size", "csm_id", "services_project")
"""What editing an account may change: what creating one takes. The sentiment has its own
change (`set_sentiment`), because who set it and when is part of it."""


def _check_business(arr: int, status: AccountStatus, deal_size: int | None) -> None:
    if arr < 0:
        raise InvalidInput("arr", "must not be negative", "Give the annual recurring revenue")
    if status is AccountStatus.PENDING_DEAL and (deal_size is None or deal_size <= 0):
        raise InvalidInput(
            "deal_size",
            "is required for a pending deal",
            "Give the deal size, or choose another status",
        )
    if status is not AccountStatus.PENDING_DEAL and deal_size is not None:
        raise InvalidInput(
            "deal_size",
            "only applies to a pending deal",
            "Leave it out, or make the status pending_deal",
        )


_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def check_language(value: str, field: str = "language") -> str:
    """A BCP 47 language tag such as `en`, `de` or `pt-br`, kept in lower case."""
    tag = value.strip().lower().replace("_", "-")
    if not _LANGUAGE.match(tag):
        raise InvalidInput(
            field, f"{value!r} is not a language tag", "Use a tag such as en, de, fr or pt-BR"
        )
    return tag


@dataclass(frozen=True)
class CustomerContact:
    """Someone at the customer who receives customer-facing updates (R-ESC-6) by e-mail, in
    their language. Internal notes never go to a contact (R-OPS-2)."""

    account_id: int
    name: str
    email: str
    language: str = "en"
    id: int | None = None

    @classmethod
    def create(
        cls, account_id: int, name: str, email: str, language: str = "en"
    ) -> CustomerContact:
        return cls(
            account_id=account_id,
            name=check_text(name, "name"),
            email=check_email(email),
            language=check_language(language),
        )
