"""Is an account at risk? Computed from what is true now, never a flag left behind.

Seed 004 asks the DRI of a critical or high escalation to record the account's sentiment as at
risk, and to update it as the escalation ends. escdesk answers "at risk" from two facts: an
open critical or high escalation of the account (the risk lasts exactly as long as it does),
and the sentiment a person set. Nothing here is stored, so nothing has to be reset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from escdesk.domain.accounts import Account, Sentiment
from escdesk.domain.severity import Severity


@dataclass(frozen=True)
class AccountRisk:
    """Why an account is at risk (or not): each reason in words any face can show."""

    sentiment_at_risk: bool
    high_open: int  # open critical or high escalations

    @property
    def at_risk(self) -> bool:
        return self.sentiment_at_risk or self.high_open > 0

    @property
    def reasons(self) -> list[str]:
        said = []
        if self.high_open:
            plural = "s" if self.high_open > 1 else ""
            said.append(f"{self.high_open} open critical or high escalation{plural}")
        if self.sentiment_at_risk:
            said.append("its sentiment is at risk")
        return said


def risk_of(account: Account, open_severities: Iterable[Severity | str]) -> AccountRisk:
    """The account's risk, given the severities of its open escalations (closed ones excluded
    by the caller)."""
    high = sum(1 for s in open_severities if Severity(s).is_high_or_critical)
    return AccountRisk(account.sentiment is Sentiment.AT_RISK, high)
