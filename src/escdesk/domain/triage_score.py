"""The triage score (R-TRI-2): seed 000's factors, weighted by configuration, always explained.

Every factor contributes whole points and says why, and the total is the sum of the parts, so
the meeting sees the breakdown beside the number and can argue with a weight rather than with a
black box. Money saturates (`max × amount / (amount + half)`): a deal twice the half-point adds
far less than twice the points, so one giant deal cannot drown every other request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from escdesk.domain.accounts import AccountStatus
from escdesk.domain.errors import InvalidInput
from escdesk.domain.request import Difficulty, EscalationRequest, ProblemType
from escdesk.domain.severity import Severity


@dataclass(frozen=True)
class ScoreWeights:
    """The defaults; `[triage.weights]` in escdesk.toml overrides any of them by name."""

    bug: int = 30
    enhancement: int = 10
    education: int = 5
    configuration: int = 5
    paying: int = 20
    pending_deal: int = 15
    prospect: int = 0
    money_max: int = 30
    money_half: int = 250_000
    critical: int = 40
    high: int = 25
    medium: int = 10
    low: int = 0
    happiness_confirmed: int = 10
    per_other_customer: int = 4
    per_similar_account: int = 2
    recurring_issue: int = 10
    breadth_max: int = 30
    small_fix: int = 0
    medium_fix: int = -5
    large_fix: int = -15
    unknown_fix: int = -5
    has_dependencies: int = -5

    @classmethod
    def of(cls, overrides: Mapping[str, Any]) -> ScoreWeights:
        """The defaults with `overrides` applied; an unknown name or a non-number is refused."""
        names = {f.name for f in fields(cls)}
        values: dict[str, int] = {}
        for name, value in overrides.items():
            if name not in names:
                raise InvalidInput(
                    f"triage.weights.{name}",
                    "is not a triage weight",
                    f"Use one of: {', '.join(sorted(names))}",
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(f"triage.weights.{name}", "is not a number", "Write a number")
            values[name] = int(value)
        if values.get("money_half", 1) <= 0:
            raise InvalidInput("triage.weights.money_half", "must be positive", "Use e.g. 250000")
        return replace(cls(), **values)


DEFAULT_WEIGHTS = ScoreWeights()

NO_DEPENDENCIES = {"", "none", "no", "n/a", "-", "nothing"}


@dataclass(frozen=True)
class Part:
    """One factor's points and the words that explain them."""

    factor: str
    points: int
    why: str


@dataclass(frozen=True)
class Score:
    parts: tuple[Part, ...]

    @property
    def total(self) -> int:
        """The sum of the parts: by construction, never a number of its own."""
        return sum(p.points for p in self.parts)


@dataclass(frozen=True)
class Breadth:
    """How widely the fix applies, beyond the request's own count of other customers."""

    similar_accounts: int = 0  # other accounts with similar tickets
    recurring_issue: bool = False  # a linked ticket belongs to a recurring issue


def saturating(amount: int, maximum: int, half: int) -> int:
    """Points for money: 0 at 0, `maximum / 2` at `half`, approaching `maximum`, never past it."""
    if amount <= 0 or maximum == 0:
        return 0
    return round(maximum * amount / (amount + half))


def score(
    request: EscalationRequest,
    weights: ScoreWeights = DEFAULT_WEIGHTS,
    breadth: Breadth = Breadth(),
) -> Score:
    """R-TRI-2: the request's score with its breakdown, from seed 000's six factors."""
    w = weights
    kind_points = {
        ProblemType.BUG: w.bug,
        ProblemType.ENHANCEMENT: w.enhancement,
        ProblemType.EDUCATION: w.education,
        ProblemType.CONFIGURATION: w.configuration,
    }[request.problem_type]
    parts = [Part("type", kind_points, request.problem_type.value.replace("_", " "))]

    business = request.business
    base = {
        AccountStatus.PAYING: w.paying,
        AccountStatus.PENDING_DEAL: w.pending_deal,
        AccountStatus.PROSPECT: w.prospect,
    }[business.status]
    parts.append(Part("customer", base, business.status.value.replace("_", " ")))
    amount = business.amount
    what = "ARR" if business.status is AccountStatus.PAYING else "deal size"
    parts.append(
        Part(
            "money",
            saturating(amount, w.money_max, w.money_half),
            f"{what} {amount:,} (saturates at {w.money_max}, half at {w.money_half:,})",
        )
    )

    severity_points = {
        Severity.CRITICAL: w.critical,
        Severity.HIGH: w.high,
        Severity.MEDIUM: w.medium,
        Severity.LOW: w.low,
    }[request.proposed_severity]
    parts.append(Part("severity", severity_points, request.proposed_severity.value))

    parts.append(
        Part(
            "happiness",
            w.happiness_confirmed if request.happiness_confirmed else 0,
            "fix confirmed to make the customer happy"
            if request.happiness_confirmed
            else "happiness gain not confirmed",
        )
    )

    raw_breadth = request.other_customers * w.per_other_customer
    raw_breadth += breadth.similar_accounts * w.per_similar_account
    raw_breadth += w.recurring_issue if breadth.recurring_issue else 0
    reasons = [f"{request.other_customers} other customers affected"]
    if breadth.similar_accounts:
        reasons.append(f"similar tickets from {breadth.similar_accounts} other accounts")
    if breadth.recurring_issue:
        reasons.append("a linked recurring issue")
    capped = min(raw_breadth, w.breadth_max)
    if capped < raw_breadth:
        reasons.append(f"capped at {w.breadth_max}")
    parts.append(Part("breadth", capped, ", ".join(reasons)))

    delay = {
        Difficulty.SMALL: w.small_fix,
        Difficulty.MEDIUM: w.medium_fix,
        Difficulty.LARGE: w.large_fix,
        Difficulty.UNKNOWN: w.unknown_fix,
    }[request.difficulty]
    has_dependencies = request.dependencies.strip().lower() not in NO_DEPENDENCIES
    delay += w.has_dependencies if has_dependencies else 0
    delay_why = f"{request.difficulty.value} fix" + (
        ", with downstream dependencies" if has_dependencies else ", no dependencies"
    )
    parts.append(Part("delay", delay, delay_why))
    return Score(tuple(parts))
