"""Customer accounts: what the business stands to lose decides who runs an escalation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

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

    def mark_at_risk(self) -> bool:
        """R-ESC-4: a critical/high escalation marks the account at risk. True if it changed."""
        if self.sentiment is Sentiment.AT_RISK:
            return False
        self.sentiment = Sentiment.AT_RISK
        return True


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
