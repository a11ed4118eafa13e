"""How recurring issues are ranked (R-REC-1: by count, accounts affected, revenue and trend).

    score = volume × reach × revenue × growth

    volume  = tickets in the last 8 weeks + 0.1 × older tickets
              (an old cause still counts a little; what hurts now counts fully)
    reach   = 1 + log2(1 + accounts affected)          1 account → 2, 3 → 3, 7 → 4
    revenue = 1 + log10(1 + ARR affected / 10 000)     100k → 2.0, 1M → 3.0, 10M → 4.0
    growth  = 1 + trend / weekly average, kept within 0.5 … 2
              (trend: least-squares slope of the 8 weekly counts, tickets per week)

The factors multiply, so a cause that hits many accounts outranks one noisy customer with the
same ticket count, and logarithms keep one giant account from drowning everything else. Each
factor is kept beside the score: the ranking is shown, never just a number (as R-TRI-2 asks of
triage).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

OLD_TICKET_WEIGHT = 0.1
ARR_UNIT = 10_000
RECENT_WEEKS = 8
GROWTH_RANGE = (0.5, 2.0)


@dataclass(frozen=True)
class IssueImpact:
    tickets: int
    recent_tickets: int
    accounts: int
    arr: int
    trend: float


@dataclass(frozen=True)
class RankScore:
    score: float
    volume: float
    reach: float
    revenue: float
    growth: float

    def explain(self) -> str:
        return (
            f"{self.score:.1f} = volume {self.volume:.1f} × reach {self.reach:.2f} "
            f"× revenue {self.revenue:.2f} × growth {self.growth:.2f}"
        )


def rank_score(impact: IssueImpact) -> RankScore:
    older = max(impact.tickets - impact.recent_tickets, 0)
    volume = impact.recent_tickets + OLD_TICKET_WEIGHT * older
    reach = 1 + math.log2(1 + max(impact.accounts, 0))
    revenue = 1 + math.log10(1 + max(impact.arr, 0) / ARR_UNIT)
    weekly = max(impact.recent_tickets / RECENT_WEEKS, 1.0)
    low, high = GROWTH_RANGE
    growth = min(max(1 + impact.trend / weekly, low), high)
    return RankScore(volume * reach * revenue * growth, volume, reach, revenue, growth)
