"""What an escalation needs before it may close (R-ESC-9, seed 004) and how its exit criteria
are ticked. Kept apart from the aggregate because closing is where later rules gather: waived
criteria, retrospectives, the customer's survey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.records import CustomerAgreement, ExitCriterion
from escdesk.domain.values import check_storable

MAX_WAIVER_REASON = 500
"""A waiver's reason is a sentence or two the customer reads on the status page, not a report."""


@dataclass(frozen=True)
class Waiver:
    """An open exit criterion let go at closing: its number (from 1, as the tracker counts
    them) and why both sides agreed to close without it (R-ESC-9)."""

    number: int
    reason: str


def checked_waivers(criteria: Sequence[ExitCriterion], waivers: Sequence[Waiver]) -> dict[int, str]:
    """The waivers as {number: reason}: each names an open criterion once and says why."""
    reasons: dict[int, str] = {}
    for waiver in waivers:
        number = waiver.number
        if not 1 <= number <= len(criteria):
            raise InvalidInput(
                "waivers",
                f"there is no criterion {number}",
                f"Give a number from 1 to {len(criteria)}" if criteria else "Leave it out",
            )
        if number in reasons:
            raise InvalidInput(
                "waivers", f"criterion {number} is waived twice", "Give one reason per criterion"
            )
        if criteria[number - 1].done:
            raise InvalidInput(
                "waivers",
                f"criterion {number} is done, so there is nothing to waive",
                "Leave it out",
            )
        reason = check_storable((waiver.reason or "").strip(), "waivers")
        if not reason:
            raise InvalidInput(
                "waivers",
                f"the waiver of criterion {number} has no reason",
                "Say why the customer agreed to close without it, or tick it",
            )
        if len(reason) > MAX_WAIVER_REASON:
            raise InvalidInput(
                "waivers",
                f"the reason for waiving criterion {number} is longer than "
                f"{MAX_WAIVER_REASON} characters",
                "Shorten it",
            )
        reasons[number] = reason
    return reasons


def unsettled(criteria: Sequence[ExitCriterion], waived: dict[int, str]) -> list[int]:
    """The numbers of the criteria neither done nor waived: each holds the closing back."""
    return [
        number
        for number, c in enumerate(criteria, start=1)
        if not c.settled and number not in waived
    ]


def _open_need(numbers: Sequence[int], criteria: Sequence[ExitCriterion]) -> Need:
    if len(numbers) == 1:
        number = numbers[0]
        what = (
            f"exit criterion {number} (“{criteria[number - 1].text}”) "
            "ticked, or waived with a reason"
        )
    else:
        listed = ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
        what = f"exit criteria {listed} ticked, or each waived with a reason"
    return Need(what, ("waivers",))


def require_closable(
    *,
    product_related: bool,
    agreement: CustomerAgreement | None,
    rca: str | None,
    retrospective_completed: bool = False,
    criteria: Sequence[ExitCriterion] = (),
    waived: dict[int, str] | None = None,
) -> None:
    """Refuse closing with every missing need named at once, so the closer fixes them in one go.

    R-RCA-1: a product-related escalation needs its root cause understood — a completed
    retrospective, or a written RCA from Engineering (seed 004) named by its reference.
    R-ESC-9: every exit criterion is done, or waived with a reason the customer will read."""
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
    still_open = unsettled(criteria, waived or {})
    if still_open:
        missing.append(_open_need(still_open, criteria))
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


def waive(criterion: ExitCriterion, reason: str, by_id: int | None, now: datetime) -> None:
    criterion.waived_reason = reason
    criterion.waived_at = now
    criterion.waived_by_id = by_id


def clear_waivers(criteria: Sequence[ExitCriterion]) -> list[int]:
    """Reopening opens the waived criteria again: at the next closing each must be done or
    waived anew (the waivers given stay in the audit trail). Returns their numbers."""
    cleared = []
    for number, criterion in enumerate(criteria, start=1):
        if criterion.waived:
            criterion.waived_reason = None
            criterion.waived_at = None
            criterion.waived_by_id = None
            cleared.append(number)
    return cleared
