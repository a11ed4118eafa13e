"""What each role looks at first (R-MET): the lines of the role dashboards.

The executive sees money and satisfaction; the manager the triage queue, breaches and ETA
slips; the CSM leader the load and risk per CSM; Sales the accounts they asked help for;
Support their requests and fixes. A person with several roles sees the first that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from escdesk.domain.account_risk import AccountRisk
from escdesk.domain.accounts import Sentiment
from escdesk.domain.people import Role


class Lens(StrEnum):
    EXECUTIVE = "executive"
    MANAGER = "manager"
    CSM_LEADER = "csm_leader"
    SALES = "sales"
    SUPPORT = "support"


ORDER: tuple[tuple[Role, Lens], ...] = (
    (Role.EXECUTIVE, Lens.EXECUTIVE),
    (Role.CSM_LEADER, Lens.CSM_LEADER),
    (Role.MANAGER, Lens.MANAGER),
    (Role.SALES, Lens.SALES),
    (Role.SUPPORT, Lens.SUPPORT),
)


def lens_for(roles: frozenset[Role]) -> Lens | None:
    """The dashboard a person sees first; None: the common board only."""
    for role, lens in ORDER:
        if role in roles:
            return lens
    return None


@dataclass(frozen=True)
class AccountLine:
    id: int
    name: str
    tier: str
    arr: int
    sentiment: str
    open_escalations: int
    high_open: int = 0
    """Of those, the open critical or high ones: with the sentiment, what puts it at risk."""

    @property
    def risk(self) -> AccountRisk:
        """At risk as everywhere (`domain.account_risk`), not the stored sentiment alone."""
        return AccountRisk(self.sentiment == Sentiment.AT_RISK.value, self.high_open)


@dataclass(frozen=True)
class CsmLoad:
    csm: str
    accounts: int
    open_escalations: int
    arr_at_risk: int


@dataclass(frozen=True)
class WorkCount:
    kind: str  # "request" or "fix"
    status: str
    count: int
