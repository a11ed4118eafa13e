"""Shapes of customer accounts."""

from __future__ import annotations

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel, Key
from escdesk.domain.accounts import Account, AccountStatus, Tier
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
            csm_id=account.csm_id,
            services_project=project.name if project else None,
            services_pm_id=project.pm_id if project else None,
        )


class AccountDetailOut(AccountOut):
    csm_name: str | None
    services_pm_name: str | None

    @classmethod
    def of_detail(cls, detail: AccountDetail) -> AccountDetailOut:
        return cls(
            **AccountOut.of(detail.account).model_dump(),
            csm_name=detail.csm.name if detail.csm else None,
            services_pm_name=detail.services_pm.name if detail.services_pm else None,
        )


class AccountList(BaseModel):
    items: list[AccountOut]
