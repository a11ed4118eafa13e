"""R-TRI-4: the requester's notice of a decision, in words they can pass on to the customer.

Seed 000: "Support / Sales would be notified of yes/no decisions and asked to communicate the
decision back to customers." So the text says what was decided, why, what happens next and when
the requester will hear again — plainly, without internal jargon or role codes.
"""

from __future__ import annotations

from datetime import datetime

from escdesk.domain.messages import MessageKind, OutboxMessage, Template
from escdesk.domain.request import Decision, EscalationRequest, RequestStatus


def _day(moment: datetime) -> str:
    return moment.strftime("%A %d %B %Y, %H:%M UTC")


def notice_text(
    request: EscalationRequest,
    decision: Decision,
    *,
    customer: str,
    next_meeting: datetime,
    eta: datetime | None = None,
    education_due: datetime | None = None,
) -> tuple[str, str]:
    """The subject and body of the notice."""
    what = request.summary
    if decision.outcome is RequestStatus.ESCALATED:
        decided = (
            f"We are escalating this: ESC-{decision.escalation_id} is open, and engineering "
            "will work on it as a priority."
        )
        then = (
            f"The team aims to have it resolved by {_day(eta)}."
            if eta
            else "The escalation's owner will set a target date within a day."
        )
        hear = "You will hear with every update of the escalation, at its agreed cadence."
    elif decision.outcome is RequestStatus.SCHEDULED:
        decided = f"We are not escalating this; the fix is planned for release {decision.release}."
        then = "It will reach this customer with that release, like every other customer."
        hear = f"You will hear again when release {decision.release} ships, or if its plan changes."
    elif decision.outcome is RequestStatus.EDUCATION:
        decided = "We are not escalating this: it is a documentation or training gap."
        due = f" by {_day(education_due)}" if education_due else ""
        then = (
            f"We will close the gap (a guide or training){due}; meanwhile, please walk the "
            "customer through the workaround."
        )
        hear = "You will hear again when the material is published."
    else:
        decided = "We are not escalating this now; it is in the backlog for a future release."
        then = "Product reviews the backlog when it plans each release."
        hear = (
            f"It can be raised again at the next triage meeting, {_day(next_meeting)}, "
            "if the situation changes."
        )
    subject = f"Your escalation request REQ-{request.id} for {customer}: {decision.outcome.value}"
    body = "\n\n".join(
        [
            f"About: {what} ({customer}).",
            f"Decision: {decided}",
            f"Why: {decision.rationale}",
            f"What happens next: {then}",
            f"When you will hear again: {hear}",
            "Please pass this on to the customer in your own words.",
        ]
    )
    return subject, body


def notice(
    request: EscalationRequest,
    decision: Decision,
    *,
    requester_email: str,
    customer: str,
    next_meeting: datetime,
    eta: datetime | None = None,
    education_due: datetime | None = None,
) -> OutboxMessage:
    """The outbox message to the requester, written in the decision's transaction."""
    subject, body = notice_text(
        request,
        decision,
        customer=customer,
        next_meeting=next_meeting,
        eta=eta,
        education_due=education_due,
    )
    return OutboxMessage(
        MessageKind.INTERNAL_EMAIL,
        requester_email,
        {"audience": "internal", "subject": subject, "body": body, "request_id": request.id},
        Template.NOTICE,
    )
