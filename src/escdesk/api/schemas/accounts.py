"""Shapes of customer accounts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel, Key
from escdesk.domain.accounts import Account, AccountStatus, Sentiment, Tier
from escdesk.services.accounts import AccountDetail


class AccountIn(ApiModel):
    name: str = Field(max_length=200, examples=["Globex"])
    tier: Tier = Field(examples=["enterprise"])
    arr: int = Field(ge=0, le=10**15, description="Annual recurring revenue.")
    status: AccountStatus = Field(examples=["paying"])
    deal_size: int | None = Field(default=None, ge=0, le=10**15)
    csm: Key | None = Field(default=None, description="The CSM's e-mail or id.")
    services_project: str | None = None
    services_pm: Key | None = Field(default=None, description="The project PM's e-mail or id.")


class AccountEditIn(ApiModel):
    """Only what is given changes; an empty `csm` removes the CSM, an empty `services_project`
    (with an empty `services_pm`) ends the services project."""

    name: str | None = Field(default=None, max_length=200)
    tier: Tier | None = None
    arr: int | None = Field(default=None, ge=0, le=10**15)
    status: AccountStatus | None = None
    deal_size: int | None = Field(default=None, ge=0, le=10**15)
    csm: Key | None = Field(default=None, description="The CSM's e-mail or id; empty for none.")
    services_project: str | None = Field(default=None, max_length=200)
    services_pm: Key | None = Field(default=None, description="The project PM's e-mail or id.")
    sentiment: Sentiment | None = Field(default=None, description="green, yellow or at_risk.")
    version: int | None = Field(
        default=None, ge=0, description="The version you last saw; a mismatch is a 409."
    )


class AccountOut(BaseModel):
    id: int
    version: int
    name: str
    slug: str
    tier: str
    arr: int
    status: str
    deal_size: int | None
    sentiment: str
    sentiment_set_by_id: int | None
    sentiment_set_at: datetime | None
    at_risk: bool | None = Field(
        default=None, description="An open critical or high escalation, or an at-risk sentiment."
    )
    csm_id: int | None
    services_project: str | None
    services_pm_id: int | None

    @classmethod
    def of(cls, account: Account) -> AccountOut:
        assert account.id is not None
        project = account.services_project
        return cls(
            id=account.id,
            version=account.version,
            name=account.name,
            slug=account.slug,
            tier=account.tier.value,
            arr=account.arr,
            status=account.status.value,
            deal_size=account.deal_size,
            sentiment=account.sentiment.value,
            sentiment_set_by_id=account.sentiment_set_by_id,
            sentiment_set_at=account.sentiment_set_at,
            csm_id=account.csm_id,
            services_project=project.name if project else None,
            services_pm_id=project.pm_id if project else None,
        )


class AccountDetailOut(AccountOut):
    csm_name: str | None
    services_pm_name: str | None
    sentiment_set_by_name: str | None = None
    at_risk_because: list[str] = Field(default_factory=list)

    @classmethod
    def of_detail(cls, detail: AccountDetail) -> AccountDetailOut:
        risk = detail.risk
        return cls(
            **AccountOut.of(detail.account).model_dump(exclude={"at_risk"}),
            at_risk=risk.at_risk if risk else None,
            at_risk_because=risk.reasons if risk else [],
            csm_name=detail.csm.name if detail.csm else None,
            services_pm_name=detail.services_pm.name if detail.services_pm else None,
            sentiment_set_by_name=detail.sentiment_set_by.name if detail.sentiment_set_by else None,
        )


class AccountList(BaseModel):
    items: list[AccountOut]
