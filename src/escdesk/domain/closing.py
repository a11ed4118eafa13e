"""What an escalation needs before it may close (R-ESC-9, seed 004) and how its exit criteria
are ticked. Kept apart from the aggregate because closing is where later rules gather: waived
criteria, retrospectives, the customer's survey.
"""

from __future__ import annotations

from datetime import datetime

from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.records import CustomerAgreement, ExitCriterion


def require_closable(
    *,
    product_related: bool,
    agreement: CustomerAgreement | None,
    rca: str | None,
    retrospective_completed: bool = False,
) -> None:
    """Refuse closing with every missing need named at once, so the closer fixes them in one go.

    R-RCA-1: a product-related escalation needs its root cause understood — a completed
    retrospective, or a written RCA from Engineering (seed 004) named by its reference."""
    missing = []
    if agreement is None:
        missing.append(
            Need(
                "the customer's agreement: who, when and how",
                ("agreed_by", "agreed_at", "agreed_via"),
            )
        )
    if product_related and rca is None and not retrospective_completed:
        missing.append(
            Need(
                "a completed retrospective, or a root-cause analysis reference for this "
                "product-related escalation",
                ("rca_reference",),
            )
        )
    if missing:
        raise RuleRefused("R-ESC-9", "the escalation cannot close yet", missing)


def criterion_to_mark(criteria: list[ExitCriterion], number: int, done: bool) -> ExitCriterion:
    """Criterion `number`, counted from 1 as the tracker shows them, if it can become `done`."""
    if not 1 <= number <= len(criteria):
        raise InvalidInput(
            "exit_criterion",
            f"there is no criterion {number}",
            f"Give a number from 1 to {len(criteria)}" if criteria else "Add a criterion first",
        )
    criterion = criteria[number - 1]
    if criterion.done == done:
        state = "done" if done else "open"
        raise InvalidInput("exit_criterion", f"{number} is already {state}", "Nothing to do")
    return criterion


def tick(criterion: ExitCriterion, done: bool, now: datetime) -> None:
    criterion.done = done
    criterion.done_at = now if done else None
